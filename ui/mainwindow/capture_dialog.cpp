// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/capture_dialog.h"

#include "capture/capture_controller.h"
#include "mainwindow/capture_file_box.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSysInfo>
#include <QVBoxLayout>

namespace procscope::ui {

namespace {
const char* const kEventNames[]
    = { "fork", "exec", "exit", "uid", "gid", "sid", "ptrace", "comm", "coredump", "nonzero-exit" };
}

CaptureDialog::CaptureDialog(QWidget* parent)
    : QDialog(parent)
    , m_elevated(new QRadioButton(this))
    , m_unprivileged(new QRadioButton(
          tr("Capture &without elevation: details of other users' processes are reduced"), this))
    , m_hosts(new QListWidget(this))
    , m_newHost(new QLineEdit(this))
    , m_hostProblem(new QLabel(this))
    , m_file(new CaptureFileBox(this))
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

    auto* machines = new QGroupBox(tr("Hosts"), this);
    auto* machinesLayout = new QGridLayout(machines);
    m_hosts->setAccessibleName(tr("Hosts to capture"));
    m_hosts->setToolTip(
        tr("Tick every machine to capture; they are shown side by side in one capture"));
    m_hosts->setMaximumHeight(m_hosts->fontMetrics().height() * 6);
    m_newHost->setPlaceholderText(tr("ssh://user@host:port"));
    m_newHost->setAccessibleName(tr("Remote host to add"));
    m_newHost->setToolTip(tr("Procscope runs ssh with your keys, agent and ~/.ssh/config (no "
                             "passwords), and starts the capture "
                             "helper there as root, or through sudo -n"));
    auto* add = new QPushButton(tr("A&dd Host"), machines);
    auto* remove = new QPushButton(tr("Re&move"), machines);
    remove->setAccessibleName(tr("Remove the selected host"));
    m_hostProblem->setWordWrap(true);
    m_hostProblem->setStyleSheet(u"color: #b03020"_qs);
    m_hostProblem->hide();
    auto* label = new QLabel(tr("Add a &remote host:"), machines);
    label->setBuddy(m_newHost);
    machinesLayout->addWidget(m_hosts, 0, 0, 1, 3);
    machinesLayout->addWidget(label, 1, 0);
    machinesLayout->addWidget(m_newHost, 1, 1);
    machinesLayout->addWidget(add, 1, 2);
    machinesLayout->addWidget(m_hostProblem, 2, 0, 1, 2);
    machinesLayout->addWidget(remove, 2, 2);
    addHost(u"local"_qs, true);
    connect(add, &QPushButton::clicked, this, &CaptureDialog::addTypedHost);
    m_newHost->installEventFilter(this); // Enter there adds the host typed, instead of starting
    connect(remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem* item = m_hosts->currentItem();
            item && item->data(Qt::UserRole).toString() != u"local"_qs)
            delete item;
        updateOk();
    });
    connect(m_hosts, &QListWidget::itemChanged, this, &CaptureDialog::updateOk);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("&Start"));
    m_ok->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(events);
    layout->addWidget(how);
    layout->addWidget(machines);
    layout->addWidget(m_file);
    layout->addWidget(buttons);
    connect(m_file, &CaptureFileBox::changed, this, &CaptureDialog::updateOk);
    for (QCheckBox* box : std::as_const(m_boxes))
        connect(box, &QCheckBox::toggled, this, &CaptureDialog::updateOk);
}

bool CaptureDialog::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_newHost && event->type() == QEvent::KeyPress
        && !m_newHost->text().trimmed().isEmpty()) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            addTypedHost();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void CaptureDialog::updateOk()
{
    bool anyEvent = false;
    for (QCheckBox* box : std::as_const(m_boxes))
        anyEvent = anyEvent || box->isChecked();
    const QStringList chosen = hosts();
    m_file->setOnlyThisMachine(chosen == QStringList { u"local"_qs });
    m_ok->setEnabled(anyEvent && !chosen.isEmpty() && m_file->problem().isEmpty());
}

void CaptureDialog::setWritePath(const QString& path)
{
    m_file->setWritePath(path, false);
}

QString CaptureDialog::writePath() const
{
    return m_file->writePath();
}

void CaptureDialog::setRing(const capture::RingLimits& ring)
{
    m_file->setRing(ring);
}

capture::RingLimits CaptureDialog::ring() const
{
    return m_file->ring();
}

void CaptureDialog::addHost(const QString& url, bool checked)
{
    for (int i = 0; i < m_hosts->count(); ++i) {
        if (m_hosts->item(i)->data(Qt::UserRole).toString() == url) {
            if (checked && (m_hosts->item(i)->flags() & Qt::ItemIsUserCheckable))
                m_hosts->item(i)->setCheckState(Qt::Checked);
            return;
        }
    }
    // A remembered host is checked again (the settings file may have been edited by hand): one
    // that does not pass stays listed with the reason, cannot be ticked, and can be removed.
    std::string error;
    const bool usable = url == u"local"_qs || capture::parseHostTarget(url.toStdString(), error);
    const QString text = url == u"local"_qs ? tr("This machine (%1)").arg(QSysInfo::machineHostName())
        : usable                          ? url
                                          : tr("%1 (cannot be used: %2)").arg(url, QString::fromStdString(error));
    auto* item = new QListWidgetItem(text, m_hosts);
    item->setData(Qt::UserRole, url);
    if (!usable) {
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        item->setToolTip(text);
        return;
    }
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void CaptureDialog::addTypedHost()
{
    QString typed = m_newHost->text().trimmed();
    if (typed.isEmpty())
        return;
    if (!typed.startsWith(u"ssh://"_qs) && typed != u"local"_qs)
        typed.prepend(u"ssh://"_qs); // people type user@host
    std::string error;
    const auto target = capture::parseHostTarget(typed.toStdString(), error);
    if (!target) {
        m_hostProblem->setText(QString::fromStdString(error));
        m_hostProblem->show();
        return;
    }
    m_hostProblem->hide();
    addHost(QString::fromStdString(target->url()), true);
    m_newHost->clear();
    updateOk();
}

void CaptureDialog::setHosts(const QStringList& known, const QStringList& chosen)
{
    for (const QString& url : known)
        addHost(url, false);
    for (const QString& url : chosen)
        addHost(url, true);
    if (!chosen.isEmpty() && !chosen.contains(u"local"_qs))
        m_hosts->item(0)->setCheckState(Qt::Unchecked);
    updateOk();
}

QStringList CaptureDialog::hosts() const
{
    QStringList out;
    for (int i = 0; i < m_hosts->count(); ++i) {
        if (m_hosts->item(i)->checkState() == Qt::Checked)
            out << m_hosts->item(i)->data(Qt::UserRole).toString();
    }
    return out;
}

QStringList CaptureDialog::knownHosts() const
{
    QStringList out;
    for (int i = 0; i < m_hosts->count(); ++i) {
        if (const QString url = m_hosts->item(i)->data(Qt::UserRole).toString(); url != u"local"_qs)
            out << url;
    }
    return out;
}

void CaptureDialog::setEvents(const QString& events)
{
    const QStringList chosen = events.split(u',', Qt::SkipEmptyParts);
    for (auto it = m_boxes.begin(); it != m_boxes.end(); ++it)
        it.value()->setChecked(
            chosen.isEmpty() ? it.key() != u"nonzero-exit"_qs : chosen.contains(it.key()));
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

bool CaptureDialog::elevate() const
{
    return !m_unprivileged->isChecked();
}

} // namespace procscope::ui
