// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/filter_reference.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTextBrowser>

#ifndef PROCSCOPE_FILTERS_FROM_BINDIR
#define PROCSCOPE_FILTERS_FROM_BINDIR "../share/doc/procscope/FILTERS.md"
#endif
#ifndef PROCSCOPE_FILTERS_SOURCE
#define PROCSCOPE_FILTERS_SOURCE ""
#endif

namespace procscope::ui {

namespace {
QString installedPath()
{
    return QDir::cleanPath(QCoreApplication::applicationDirPath() + u'/' + QStringLiteral(PROCSCOPE_FILTERS_FROM_BINDIR));
}
} // namespace

QString filterReferencePath()
{
    for (const QString& candidate : { installedPath(), QStringLiteral(PROCSCOPE_FILTERS_SOURCE) }) {
        if (!candidate.isEmpty() && QFileInfo(candidate).isFile())
            return QFileInfo(candidate).absoluteFilePath();
    }
    return {};
}

QWidget* showFilterReference(QWidget* parent)
{
    auto* browser = new QTextBrowser(parent);
    browser->setWindowFlag(Qt::Window);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    browser->setWindowTitle(QCoreApplication::translate("FilterReference", "Display Filter Reference"));
    browser->setAccessibleName(browser->windowTitle());
    browser->setOpenExternalLinks(true);
    QFile file(filterReferencePath());
    if (!file.fileName().isEmpty() && file.open(QIODevice::ReadOnly)) {
        browser->setMarkdown(QString::fromUtf8(file.readAll()));
    } else {
        browser->setPlainText(QCoreApplication::translate("FilterReference", "The filter reference (FILTERS.md) is not installed: it was expected at %1.")
                                  .arg(installedPath()));
    }
    browser->resize(760, 640);
    browser->show();
    return browser;
}

} // namespace procscope::ui
