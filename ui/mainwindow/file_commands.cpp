// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/file_commands.h"

#include "document/capture_document.h"
#include "document/sample_capture.h"
#include "document/workspace.h"
#include "mainwindow/capture_dialog.h"
#include "mainwindow/message_bar.h"
#include "models/event_table_model.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>

namespace procscope::ui {

namespace {
QString captureFilter() { return FileCommands::tr("Procscope captures (*.pscap);;All files (*)"); }
} // namespace

FileCommands::FileCommands(Workspace* workspace, QWidget* window, MessageBar* messages)
    : QObject(window)
    , m_workspace(workspace)
    , m_window(window)
    , m_messages(messages)
{
    connect(workspace, &Workspace::progress, this, &FileCommands::showProgress);
    connect(workspace, &Workspace::workFinished, this, &FileCommands::hideProgress);
}

void FileCommands::showProgress(const QString& what, qint64 done, qint64 total)
{
    if (m_workspace->opening())
        return; // the status bar shows it: the window is usable while a file loads
    if (!m_progress) {
        // Window-modal and shown only when the work takes a moment; the event loop is the
        // window's own (nothing waits here), so timers and a live status bar go on.
        m_progress = new QProgressDialog(what, tr("Cancel"), 0, 1000, m_window);
        m_progress->setWindowTitle(QCoreApplication::applicationName());
        m_progress->setWindowModality(Qt::WindowModal);
        m_progress->setMinimumDuration(400);
        m_progress->setAutoClose(false);
        m_progress->setAutoReset(false);
        connect(m_progress, &QProgressDialog::canceled, m_workspace, [this] {
            m_workspace->cancelOpen();
            m_workspace->cancelWork();
        });
    }
    m_progress->setLabelText(what);
    if (total > 0)
        m_progress->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
}

void FileCommands::hideProgress()
{
    if (m_progress)
        m_progress->deleteLater();
    m_progress = nullptr;
}

void FileCommands::whenDiscardable(const QString& doing, const std::function<void()>& proceed)
{
    if (!m_askBeforeDiscarding || !m_workspace->hasUnsavedCapture()) {
        proceed();
        return;
    }
    const auto answer = QMessageBox::warning(m_window, tr("Unsaved capture"), tr("The capture is not saved. Save it before %1?").arg(doing),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Discard) {
        proceed();
    } else if (answer == QMessageBox::Save) {
        if (const QString path = askSavePath(); !path.isEmpty()) {
            m_workspace->saveTo(path).then(this, [proceed](const WorkResult& result) {
                if (result.ok)
                    proceed();
            });
        }
    }
}

void FileCommands::chooseAndOpen()
{
    const QStringList& recent = m_workspace->recentFiles();
    const QString start = recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.first()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Capture"), start, captureFilter());
    if (!path.isEmpty())
        open(path);
}

void FileCommands::open(const QString& path)
{
    if (!m_workspace->idle()) {
        m_workspace->open(path); // says why it cannot now
        return;
    }
    whenDiscardable(tr("opening another capture"), [this, path] { m_workspace->open(path); });
}

void FileCommands::openSample() { open(sampleCapturePath()); }

bool FileCommands::startCapture(const CaptureOptions& options)
{
    if (!m_workspace->idle())
        return false;
    auto started = std::make_shared<bool>(false);
    whenDiscardable(tr("starting a new capture"), [this, options, started] {
        m_messages->dismiss();
        *started = m_workspace->startCapture(options);
    });
    return *started;
}

void FileCommands::showCaptureDialog()
{
    CaptureDialog dialog(m_window);
    dialog.setEvents(m_workspace->lastCaptureOptions().events);
    dialog.setElevate(m_workspace->lastCaptureOptions().elevate);
    QStringList chosen;
    for (const capture::HostTarget& host : m_workspace->lastCaptureOptions().hosts)
        chosen << QString::fromStdString(host.url());
    dialog.setHosts(m_workspace->recentHosts(), chosen);
    dialog.setWritePath(m_workspace->lastCaptureOptions().writePath);
    dialog.setRing(m_workspace->lastCaptureOptions().ring);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_workspace->setRecentHosts(dialog.knownHosts());
    CaptureOptions options;
    options.events = dialog.events();
    options.elevate = dialog.elevate();
    options.writePath = dialog.writePath();
    options.ring = dialog.ring();
    for (const QString& url : dialog.hosts()) {
        std::string error;
        if (const auto host = capture::parseHostTarget(url.toStdString(), error))
            options.hosts.push_back(*host);
    }
    if (options.hosts.size() == 1 && options.hosts.front().isLocal())
        options.hosts.clear(); // this machine alone: a one-host capture, as always
    startCapture(options);
}

void FileCommands::close()
{
    if (m_workspace->idle())
        whenDiscardable(tr("closing it"), [this] { m_workspace->close(); });
}

void FileCommands::save()
{
    if (m_workspace->hasUnsavedCapture())
        saveAs();
}

QString FileCommands::askSavePath()
{
    const QString suggested = QDir::homePath() + u"/procscope-"_qs + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs) + u".pscap"_qs;
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save Capture"), suggested, captureFilter());
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty())
        path += u".pscap"_qs;
    return path;
}

void FileCommands::saveAs()
{
    if (!m_workspace->hasCapture())
        return;
    if (const QString path = askSavePath(); !path.isEmpty())
        m_workspace->saveTo(path);
}

void FileCommands::exportCapture()
{
    const CaptureDocument* document = m_workspace->document();
    if (document->isEmpty())
        return;
    // Like Wireshark's "displayed packets": with a filter or hidden types, the user chooses.
    bool shownOnly = false;
    if (const EventTableModel* table = document->eventModel(); table->filtered()) {
        const QLocale locale;
        QMessageBox ask(QMessageBox::Question, tr("Export Events"),
            tr("The event table shows %1 of the capture's %2 events. Which should be exported?")
                .arg(locale.toString(table->rowCount()), locale.toString(qulonglong(document->session()->events().size()))),
            QMessageBox::Cancel, m_window);
        QPushButton* shown = ask.addButton(tr("&Shown Events"), QMessageBox::AcceptRole);
        ask.addButton(tr("&All Events"), QMessageBox::AcceptRole);
        ask.setDefaultButton(shown);
        ask.exec();
        if (ask.clickedButton() == ask.button(QMessageBox::Cancel) || !ask.clickedButton())
            return;
        shownOnly = ask.clickedButton() == shown;
    }
    const QString jsonl = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    const QString chrome = tr("Chrome trace, opens in Perfetto (*.json)");
    QString chosen = jsonl;
    const QFileInfo source(document->sourcePath());
    const QString base = source.filePath().isEmpty() || !document->isSaved() ? QDir::homePath() + u"/procscope-export"_qs
                                                                            : source.absoluteFilePath().chopped(source.suffix().size() + 1);
    const QString path = QFileDialog::getSaveFileName(m_window, tr("Export Events"), base + u".jsonl"_qs, jsonl + u";;"_qs + csv + u";;"_qs + chrome, &chosen);
    if (path.isEmpty())
        return;
    const auto format = chosen == csv ? session::ExportFormat::Csv : chosen == chrome ? session::ExportFormat::ChromeTrace : session::ExportFormat::Jsonl;
    m_workspace->exportTo(path, format, shownOnly);
}

void FileCommands::offerRecovery()
{
    const QStringList orphans = m_workspace->recoverableCaptures();
    if (orphans.isEmpty())
        return;
    const QString newest = orphans.last();
    const QFileInfo info(newest);
    const QString when = QLocale().toString(info.lastModified(), QLocale::ShortFormat);
    const QString size = QLocale().formattedDataSize(info.size());
    const QString text = orphans.size() == 1 ? tr("A capture from %1 (%2) was not saved when Procscope last ended. Recover it?").arg(when, size)
                                             : tr("%n captures were not saved when Procscope ended; the latest is from %1 (%2). Recover it?", nullptr, orphans.size()).arg(when, size);
    m_messages->showMessage(text, MessageBar::Level::Info,
        { { tr("&Recover"), [this, newest] { m_workspace->recover(newest); } },
            { tr("&Discard"), [this, orphans] { m_workspace->discardRecoverable(orphans); } } });
}

} // namespace procscope::ui
