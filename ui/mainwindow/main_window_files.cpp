// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's file handling: open (worker thread, progress, cancel), save, export,
// recent files, recovery of captures a crashed window left behind, drag and drop.
#include "mainwindow/main_window.h"

#include "capture/file_loader.h"
#include "document/capture_document.h"
#include "mainwindow/capture_dialog.h"
#include "mainwindow/message_bar.h"
#include "mainwindow/recovery_store.h"
#include "mainwindow/welcome_page.h"
#include "models/event_table_model.h"
#include "session/chrome_trace.h"
#include "session/exporters.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimer>
#include <QDir>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStatusBar>
#include <QThread>
#include <atomic>
#include <fstream>

namespace procscope::ui {

namespace {

constexpr int kMaxRecentFiles = 10;
QString captureFilter() { return QCoreApplication::translate("MainWindow", "Procscope captures (*.pscap);;All files (*)"); }

// Runs `work` on a worker thread while the window's event loop keeps running.
void runInWorker(const std::function<void()>& work)
{
    QEventLoop loop;
    QThread* thread = QThread::create(work);
    QObject::connect(thread, &QThread::finished, &loop, &QEventLoop::quit);
    thread->start();
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    thread->wait();
    delete thread;
}

} // namespace

void MainWindow::chooseAndOpen()
{
    const QString start = m_recentFiles.isEmpty() ? QDir::homePath() : QFileInfo(m_recentFiles.first()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Capture"), start, captureFilter());
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::openFile(const QString& path)
{
    if (m_loader)
        return;
    if (path.isEmpty()) {
        m_messages->showMessage(tr("The sample capture is not installed with this copy of Procscope."), MessageBar::Level::Warning);
        emit fileOpened(false);
        return;
    }
    if (m_controller->state() != CaptureController::State::Idle) {
        m_messages->showMessage(tr("Stop the capture before opening a file."), MessageBar::Level::Warning);
        emit fileOpened(false);
        return;
    }
    if (path != m_recoveryPath && !confirmDiscard(tr("opening another capture"))) {
        emit fileOpened(false);
        return;
    }
    m_loader = std::make_unique<FileLoader>(path);
    auto* progress = new QProgressDialog(tr("Opening %1...").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, 1000, this);
    progress->setWindowTitle(tr("Opening capture"));
    progress->setMinimumDuration(400);
    progress->setWindowModality(Qt::WindowModal);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    m_loadProgress = progress;
    connect(m_loader.get(), &FileLoader::progress, progress, [progress](qint64 done, qint64 total) {
        if (total > 0)
            progress->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
    });
    connect(progress, &QProgressDialog::canceled, m_loader.get(), &FileLoader::cancel);
    connect(m_loader.get(), &QThread::finished, this, &MainWindow::onLoaderFinished, Qt::QueuedConnection);
    m_loader->start();
    updateActions();
}

void MainWindow::onLoaderFinished()
{
    std::unique_ptr<FileLoader> loader = std::move(m_loader);
    if (m_loadProgress)
        m_loadProgress->deleteLater();
    const QString path = loader->path();
    const bool recovering = !m_recoveryPath.isEmpty() && path == m_recoveryPath;
    std::unique_ptr<session::Session> session = loader->takeSession();
    const QString problem = loader->problem();
    if (loader->cancelled() || !session || !session->header()) {
        m_messages->showMessage(problem.isEmpty() ? tr("%1 holds no capture.").arg(path) : problem,
            loader->cancelled() ? MessageBar::Level::Info : MessageBar::Level::Error);
        if (recovering)
            m_recoveryPath.clear();
        updateActions();
        emit fileOpened(false);
        return;
    }
    if (!recovering)
        discardRecoveryFile(); // the user agreed to replace the unsaved capture
    m_document->replace(std::move(session), path);
    if (recovering) {
        m_document->setSaved(false);
        updateTitle();
    } else {
        addRecentFile(path);
    }
    showWorkspace(true);
    if (!problem.isEmpty())
        m_messages->showMessage(problem, MessageBar::Level::Warning);
    else if (recovering)
        m_messages->showMessage(tr("The recovered capture is not saved yet: use Save (Ctrl+S) to keep it."), MessageBar::Level::Info);
    else
        m_messages->dismiss();
    updateActions();
    emit fileOpened(true);
}

bool MainWindow::save()
{
    if (m_document->isEmpty() || m_document->isSaved())
        return true;
    return saveAs();
}

bool MainWindow::saveAs()
{
    if (m_document->isEmpty())
        return false;
    const QString suggested = QDir::homePath() + u"/procscope-"_qs + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs) + u".pscap"_qs;
    QString path = QFileDialog::getSaveFileName(this, tr("Save Capture"), suggested, captureFilter());
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += u".pscap"_qs;
    return copyCaptureTo(path);
}

bool MainWindow::copyCaptureTo(const QString& destination)
{
    const QString source = m_document->sourcePath();
    if (source.isEmpty()) {
        m_messages->showMessage(tr("This capture has no file to save from (its recovery file could not be created)."), MessageBar::Level::Error);
        return false;
    }
    if (QFileInfo(source).canonicalFilePath() != QFileInfo(destination).canonicalFilePath()) {
        QString error;
        runInWorker([&] {
            QFile in(source);
            QSaveFile out(destination);
            if (!in.open(QIODevice::ReadOnly)) {
                error = in.errorString();
                return;
            }
            if (!out.open(QIODevice::WriteOnly)) {
                error = out.errorString();
                return;
            }
            QByteArray chunk;
            while (!(chunk = in.read(1 << 20)).isEmpty()) {
                if (out.write(chunk) != chunk.size()) {
                    error = out.errorString();
                    out.cancelWriting();
                    return;
                }
            }
            if (!out.commit())
                error = out.errorString();
        });
        if (!error.isEmpty()) {
            m_messages->showMessage(tr("Saving to %1 failed: %2. The capture is still here; try another place.").arg(destination, error), MessageBar::Level::Error);
            return false;
        }
    }
    discardRecoveryFile();
    m_document->setSourcePath(destination);
    m_document->setSaved(true);
    addRecentFile(destination);
    statusBar()->showMessage(tr("Saved %1").arg(destination), 5000);
    updateTitle();
    updateActions();
    return true;
}

void MainWindow::exportCapture()
{
    if (m_document->isEmpty())
        return;
    // Like Wireshark's "displayed packets": with a filter or hidden types, the user chooses.
    bool shownOnly = false;
    if (const EventTableModel* table = m_document->eventModel(); table->filtered()) {
        const QLocale locale;
        QMessageBox ask(QMessageBox::Question, tr("Export Events"),
            tr("The event table shows %1 of the capture's %2 events. Which should be exported?")
                .arg(locale.toString(table->rowCount()), locale.toString(qulonglong(m_document->session()->events().size()))), // rows, loss records included, as the table counts them
            QMessageBox::Cancel, this);
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
    const QString base = m_document->sourcePath().isEmpty() || !m_document->isSaved() ? QDir::homePath() + u"/procscope-export"_qs
                                                                                     : QFileInfo(m_document->sourcePath()).absoluteFilePath().chopped(QFileInfo(m_document->sourcePath()).suffix().size() + 1);
    QString path = QFileDialog::getSaveFileName(this, tr("Export Events"), base + u".jsonl"_qs, jsonl + u";;"_qs + csv + u";;"_qs + chrome, &chosen);
    if (path.isEmpty())
        return;
    const auto format = chosen == csv ? session::ExportFormat::Csv : chosen == chrome ? session::ExportFormat::ChromeTrace : session::ExportFormat::Jsonl;
    exportTo(path, format, shownOnly);
}

bool MainWindow::exportTo(const QString& path, session::ExportFormat format, bool shownOnly)
{
    if (m_document->isEmpty())
        return false;
    const session::Session& session = *m_document->session();
    const auto rows = static_cast<int>(std::min<std::size_t>(session.events().size(), INT_MAX));
    QProgressDialog progress(tr("Exporting to %1...").arg(QFileInfo(path).fileName()), tr("Cancel"), 0, std::max(rows, 1), this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(300);
    std::atomic<int> done { 0 };
    std::atomic<int> exported { 0 };
    std::atomic<bool> cancelled { false };
    // What the table shows, taken now: a filter still being evaluated goes on meanwhile (its
    // slices run in the event loop), and the worker must not read what that replaces.
    std::vector<std::uint8_t> shown;
    if (shownOnly) {
        const EventTableModel* table = m_document->eventModel();
        shown.resize(session.events().size());
        for (std::size_t row = 0; row < shown.size(); ++row)
            shown[row] = table->shows(row) ? 1 : 0;
    }
    QTimer poll;
    connect(&poll, &QTimer::timeout, &progress, [&] { progress.setValue(done.load()); });
    connect(&progress, &QProgressDialog::canceled, &progress, [&] { cancelled = true; });
    poll.start(100);
    bool written = false;
    runInWorker([&] {
        std::ofstream out(QFile::encodeName(path).toStdString(), std::ios::binary | std::ios::trunc);
        if (!out)
            return;
        const session::RowFilter filter = [&](std::size_t row) {
            done.fetch_add(1, std::memory_order_relaxed);
            if (cancelled.load(std::memory_order_relaxed) || (shownOnly && (row >= shown.size() || !shown[row])))
                return false;
            exported.fetch_add(1, std::memory_order_relaxed);
            return true;
        };
        switch (format) {
        case session::ExportFormat::Jsonl: session::exportJsonl(session, out, filter); break;
        case session::ExportFormat::Csv: session::exportCsv(session, out, filter); break;
        case session::ExportFormat::ChromeTrace: session::exportChromeTrace(session, out, filter); break;
        }
        out.close();
        written = static_cast<bool>(out);
    });
    poll.stop();
    progress.reset();
    if (cancelled) {
        QFile::remove(path);
        statusBar()->showMessage(tr("Export cancelled"), 5000);
        return false;
    }
    if (!written) {
        m_messages->showMessage(tr("Exporting to %1 failed: the file could not be written.").arg(path), MessageBar::Level::Error);
        return false;
    }
    statusBar()->showMessage(tr("Exported %1 events to %2").arg(QLocale().toString(exported.load()), path), 8000);
    return true;
}

bool MainWindow::confirmDiscard(const QString& doing)
{
    if (!m_askBeforeDiscarding || m_document->isEmpty() || m_document->isSaved())
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved capture"), tr("The capture is not saved. Save it before %1?").arg(doing),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void MainWindow::discardRecoveryFile()
{
    if (m_recoveryPath.isEmpty())
        return;
    m_recovery->discard(m_recoveryPath);
    if (m_document->sourcePath() == m_recoveryPath)
        m_document->setSourcePath({});
    m_recoveryPath.clear();
}

void MainWindow::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute == sampleCapturePath())
        return;
    m_recentFiles.removeAll(absolute);
    m_recentFiles.prepend(absolute);
    while (m_recentFiles.size() > kMaxRecentFiles)
        m_recentFiles.removeLast();
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    int n = 1;
    for (const QString& file : std::as_const(m_recentFiles)) {
        QAction* action = m_recentMenu->addAction(u"&%1  %2"_qs.arg(n++ % 10).arg(QFileInfo(file).fileName()));
        action->setToolTip(file);
        action->setStatusTip(file);
        connect(action, &QAction::triggered, this, [this, file] { openFile(file); });
    }
    m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("Clear the List"));
    connect(clear, &QAction::triggered, this, [this] {
        m_recentFiles.clear();
        updateRecentMenu();
    });
    m_recentMenu->setEnabled(!m_recentFiles.isEmpty());
    m_welcome->setRecentFiles(m_recentFiles);
}

void MainWindow::showCaptureDialog()
{
    CaptureDialog dialog(this);
    dialog.setEvents(m_captureEvents);
    dialog.setElevate(m_captureElevate);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_captureEvents = dialog.events();
    m_captureElevate = dialog.elevate();
    CaptureOptions options;
    options.events = m_captureEvents;
    options.elevate = m_captureElevate;
    startCapture(options);
}

void MainWindow::offerRecovery()
{
    const QStringList orphans = m_recovery->orphans();
    if (orphans.isEmpty())
        return;
    const QString newest = orphans.last();
    const QFileInfo info(newest);
    const QString when = QLocale().toString(info.lastModified(), QLocale::ShortFormat);
    const QString text = orphans.size() == 1
        ? tr("A capture from %1 (%2) was not saved when Procscope last ended. Recover it?").arg(when, QLocale().formattedDataSize(info.size()))
        : tr("%1 captures were not saved when Procscope ended; the latest is from %2 (%3). Recover it?")
              .arg(orphans.size())
              .arg(when, QLocale().formattedDataSize(info.size()));
    m_messages->showMessage(text, MessageBar::Level::Info,
        { { tr("&Recover"),
              [this, newest] {
                  if (!m_recovery->adopt(newest))
                      return;
                  m_recoveryPath = newest;
                  openFile(newest);
              } },
            { tr("&Discard"), [this, orphans] {
                 for (const QString& path : orphans) {
                     if (m_recovery->adopt(path))
                         m_recovery->discard(path);
                 }
             } } });
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    const QString path = urls.first().toLocalFile();
    QTimer::singleShot(0, this, [this, path] { openFile(path); }); // not inside the drag's own loop
}

} // namespace procscope::ui
