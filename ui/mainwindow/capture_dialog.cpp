// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/capture_dialog.h"

#include "capture/capture_controller.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace procscope::ui {

namespace {
const char* const kEventNames[] = { "fork", "exec", "exit", "uid", "gid", "sid", "ptrace", "comm", "coredump", "nonzero-exit" };
}

CaptureDialog::CaptureDialog(QWidget* parent)
    : QDialog(parent)
    , m_elevated(new QRadioButton(this))
    , m_unprivileged(new QRadioButton(tr("Capture &without elevation: details of other users' processes are reduced"), this))
{
    setWindowTitle(tr("Start Capture"));
    auto* events = new QGroupBox(tr("Events to capture"), this);
    auto* grid = new QGridLayout(events);
    int i = 0;
    for (const char* name : kEventNames) {
        const QString key = QString::fromLatin1(name);
        auto* box = new QCheckBox(key, events);
        box->setChecked(key != u"nonzero-exit"_qs);
        if (key == u"nonzero-exit"_qs)
            box->setToolTip(tr("Only exits with a non-zero status (ignored when \"exit\" is on)"));
        grid->addWidget(box, i / 4, i % 4);
        m_boxes.insert(key, box);
        ++i;
    }
    auto* how = new QGroupBox(tr("Permission"), this);
    auto* howLayout = new QVBoxLayout(how);
    const bool root = CaptureController::runningAsRoot();
    m_elevated->setText(root ? tr("Capture &as root (Procscope runs as root: no password needed)")
                             : tr("Capture &as administrator (polkit asks for your password)"));
    howLayout->addWidget(m_elevated);
    howLayout->addWidget(m_unprivileged);
    const bool unprivileged = CaptureController::unprivilegedCaptureAvailable();
    m_unprivileged->setEnabled(unprivileged && !root);
    if (!unprivileged)
        m_unprivileged->setToolTip(tr("Needs Linux 6.6 or later"));
    m_elevated->setChecked(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(events);
    layout->addWidget(how);
    layout->addWidget(buttons);
    auto updateOk = [this, buttons] {
        bool any = false;
        for (QCheckBox* box : std::as_const(m_boxes))
            any = any || box->isChecked();
        buttons->button(QDialogButtonBox::Ok)->setEnabled(any);
    };
    for (QCheckBox* box : std::as_const(m_boxes))
        connect(box, &QCheckBox::toggled, this, updateOk);
}

void CaptureDialog::setEvents(const QString& events)
{
    const QStringList chosen = events.split(u',', Qt::SkipEmptyParts);
    for (auto it = m_boxes.begin(); it != m_boxes.end(); ++it)
        it.value()->setChecked(chosen.isEmpty() ? it.key() != u"nonzero-exit"_qs : chosen.contains(it.key()));
}

QString CaptureDialog::events() const
{
    QStringList chosen;
    bool all = true;
    for (const char* name : kEventNames) {
        const QString key = QString::fromLatin1(name);
        if (m_boxes[key]->isChecked())
            chosen << key;
        else if (key != u"nonzero-exit"_qs)
            all = false;
    }
    return all ? QString() : chosen.join(u',');
}

void CaptureDialog::setElevate(bool elevate)
{
    (elevate || !m_unprivileged->isEnabled() ? m_elevated : m_unprivileged)->setChecked(true);
}

bool CaptureDialog::elevate() const { return !m_unprivileged->isChecked(); }

} // namespace procscope::ui
