// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/filter_reference.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QTextBrowser>
#include <QVBoxLayout>

// The resources live in a static library: the linker keeps them only when referenced.
static void initResources() { Q_INIT_RESOURCE(ui); }

namespace procscope::ui {

FilterReference::FilterReference(QWidget* parent)
    : QDialog(parent)
{
    initResources();
    setWindowTitle(tr("Display Filter Reference"));
    setObjectName(u"filterReference"_qs);
    auto* text = new QTextBrowser(this);
    text->setObjectName(u"filterReferenceText"_qs);
    text->setAccessibleName(tr("Display filter reference"));
    QFile reference(u":/procscope/FILTERS.md"_qs);
    if (reference.open(QIODevice::ReadOnly))
        text->setMarkdown(QString::fromUtf8(reference.readAll()));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(720, 640);
}

} // namespace procscope::ui
