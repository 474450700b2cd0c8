// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/about_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace procscope::ui {

namespace {
constexpr int kIconSize = 64;

// Selectable, so a path or version can be copied; named, so a screen reader says what it is.
QLabel* valueLabel(const QString& text, const QString& name)
{
    auto* label = new QLabel(text);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    label->setAccessibleName(name);
    return label;
}
} // namespace

AboutDialog::AboutDialog(QWidget* parent)
    : AboutDialog(probeCaptureEnvironment(), parent)
{
}

AboutDialog::AboutDialog(const CaptureEnvironment& environment, QWidget* parent)
    : QDialog(parent)
    , m_details(aboutText(environment))
{
    setWindowTitle(tr("About Procscope"));

    auto* icon = new QLabel;
    icon->setPixmap(QApplication::windowIcon().pixmap(QSize(kIconSize, kIconSize), devicePixelRatioF())); // sharp on high-DPI screens
    auto* title = new QLabel(u"<h2>%1</h2>%2"_qs.arg(tr("Procscope %1").arg(environment.version).toHtmlEscaped(),
        tr("Process lifecycle activity, live from the kernel's Proc Connector.").toHtmlEscaped()));
    title->setWordWrap(true);
    auto* header = new QHBoxLayout;
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addWidget(title, 1);

    auto* licence = new QLabel(u"<a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">%1</a>"_qs.arg(QString::fromUtf16(kLicence)));
    licence->setOpenExternalLinks(true);
    licence->setAccessibleName(tr("Licence"));

    QString helperVersion = environment.helperVersion;
    if (environment.helperPath.isEmpty())
        helperVersion = tr("none: the helper is not installed next to this program, so capturing is not possible");
    else if (helperVersion.isEmpty())
        helperVersion = tr("unknown: the helper did not run");
    else if (!helperVersion.endsWith(u' ' + environment.version))
        helperVersion = tr("%1 (this window is %2: reinstall both together)").arg(helperVersion, environment.version);

    auto* form = new QFormLayout;
    form->addRow(tr("Licence:"), licence);
    form->addRow(tr("Kernel:"), valueLabel(environment.kernelRelease, tr("Kernel")));
    form->addRow(tr("Capture helper:"), valueLabel(environment.helperPath.isEmpty() ? tr("not found") : environment.helperPath, tr("Capture helper")));
    form->addRow(tr("Helper version:"), valueLabel(helperVersion, tr("Helper version")));
    form->addRow(tr("Capturing here:"), valueLabel(u"\u2022 "_qs + captureMethods(environment).join(u"\n\u2022 "_qs), tr("Capturing here")));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton* copy = buttons->addButton(tr("&Copy Details"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy these details as text, for a bug report"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_details); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addLayout(form);
    layout->addWidget(buttons);
    buttons->button(QDialogButtonBox::Close)->setFocus();
    setMinimumWidth(fontMetrics().averageCharWidth() * 72); // paths fit on one line
}

} // namespace procscope::ui
