// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/workspace.h"

#include "capture/file_loader.h"
#include "capture/ring_files.h"
#include "capture/ring_limits_text.h"
#include "document/capture_document.h"
#include "document/file_jobs.h"
#include "document/record_pump.h"
#include "document/recovery_store.h"
#include "document/sample_capture.h"
#include "document/view_options.h"
#include "models/display_filter_state.h"
#include "models/display_text.h"
#include "models/event_table_model.h"
#include "session/exporters.h"

#include <QFileInfo>
#include <QLocale>
#include <QPromise>
#include <QSettings>
#include <QThread>
#include <QThreadPool>
#include <malloc.h>
#include <utility>

namespace procscope::ui {

namespace {
constexpr int kMaxRecentFiles = 10;
} // namespace

Workspace::Workspace(QObject* parent)
    : Workspace(std::make_unique<RecoveryStore>(), parent)
{ }

Workspace::Workspace(std::unique_ptr<RecoveryStore> recovery, QObject* parent)
    : QObject(parent)
    , m_document(new CaptureDocument(this))
    , m_controller(new CaptureController(this))
    , m_recovery(std::move(recovery))
    , m_work(new BackgroundWork(this))
    , m_pump(new RecordPump(m_document, [this] { return takeRecords(); }, this))
{
    connect(m_controller, &CaptureController::recordsReady, this, [this] { m_pump->wake(RecordPump::kIntervalMs); });
    connect(m_controller, &CaptureController::stateChanged, this, &Workspace::stateChanged);
    connect(m_controller, &CaptureController::finished, this, &Workspace::onCaptureFinished);
    connect(m_controller, &CaptureController::failed, this, &Workspace::onCaptureFailed);
    connect(m_controller, &CaptureController::warning, this,
        [this](const QString& text) { emit notice(Severity::Warning, text); });
    connect(m_document, &CaptureDocument::reset, this, &Workspace::stateChanged);
    connect(m_work, &BackgroundWork::progress, this, &Workspace::progress);
    connect(m_work, &BackgroundWork::finished, this, [this] {
        emit workFinished();
        emit stateChanged();
    });
}

Workspace::~Workspace()
{
    cancelOpen();
    if (m_loader)
        m_loader->wait();
    // The reader thread and the helper go before the document they feed.
    delete m_controller;
    m_controller = nullptr;
}

bool Workspace::capturing() const
{
    return (m_controller && m_controller->state() != CaptureController::State::Idle) || m_pump->finishing();
}

bool Workspace::hasCapture() const
{
    return !m_document->isEmpty();
}

bool Workspace::hasUnsavedCapture() const
{
    return !m_document->isEmpty() && !m_document->isSaved();
}

bool Workspace::openingRecoveryFile() const
{
    return m_loader && !m_recoveryPath.isEmpty() && m_loader->path() == m_recoveryPath;
}

QString Workspace::captureName() const
{
    if (m_document->isSaved() && !m_document->sourcePath().isEmpty())
        return QFileInfo(m_document->sourcePath()).fileName();
    return tr("Unsaved capture");
}

bool Workspace::open(const QString& path)
{
    if (path.isEmpty()) {
        emit notice(Severity::Warning,
            tr("The sample capture is not installed with this copy of Procscope."));
        emit opened(false);
        return false;
    }
    if (!idle()) {
        emit notice(Severity::Warning, busyReason(tr("Stop the capture before opening a file.")));
        emit opened(false);
        return false;
    }
    m_loader = std::make_unique<FileLoader>(path);
    m_fileShown = false;
    m_heldRecords.clear();
    m_headerMissing = false;
    const QString what = tr("Opening %1...").arg(QFileInfo(path).fileName());
    connect(m_loader.get(), &FileLoader::progress, this,
        [this, what](qint64 done, qint64 total) { emit progress(what, done, total); });
    connect(
        m_loader.get(), &FileLoader::recordsReady, this,
        [this] { m_pump->wake(0); }, Qt::QueuedConnection);
    connect(
        m_loader.get(), &QThread::finished, this,
        [this] { m_pump->whenAllApplied([this] { finishOpen(); }); }, Qt::QueuedConnection);
    m_pump->restart(true);
    m_loader->start();
    emit progress(what, 0, 0);
    emit stateChanged();
    return true;
}

void Workspace::cancelOpen()
{
    if (m_loader)
        m_loader->cancel();
}

std::vector<capture::Record> Workspace::takeRecords()
{
    if (!m_loader)
        return m_controller ? m_controller->takeRecords() : std::vector<capture::Record> {};
    std::vector<capture::Record> records = m_loader->takeRecords();
    if (!records.empty() && !m_fileShown) {
        // A file of several hosts names its hosts (and may say one of them never started)
        // before a header: those wait until the first header decides.
        m_heldRecords.insert(m_heldRecords.end(), std::make_move_iterator(records.begin()),
            std::make_move_iterator(records.end()));
        records.clear();
        const auto first = std::find_if(
            m_heldRecords.begin(), m_heldRecords.end(), [](const capture::Record& r) {
                return !std::holds_alternative<capture::HostRecord>(r)
                    && !std::holds_alternative<capture::HostEndRecord>(r);
            });
        if (first == m_heldRecords.end())
            return {};
        if (!std::holds_alternative<capture::HeaderRecord>(*first)) {
            // Its header is damaged: events without one are not shown in place of what is.
            m_headerMissing = true;
            m_heldRecords.clear();
            m_loader->cancel();
            return {};
        }
        records = std::move(m_heldRecords);
        m_heldRecords.clear();
        showFile();
    }
    if (m_fileShown)
        m_document->noteDamage(m_loader->takeDamage());
    return records;
}

void Workspace::showFile()
{
    // The file is a capture (its header came first): from here on it replaces what was shown.
    const QString& path = m_loader->path();
    const bool recovering = !m_recoveryPath.isEmpty() && path == m_recoveryPath;
    if (!recovering)
        discardRecoveryFile(); // the user agreed to replace the unsaved capture
    m_captureClock.invalidate();
    m_document->startFile(path, m_recovery->pagingDirectory(), !recovering);
    m_fileShown = true;
    emit stateChanged();
}

void Workspace::finishOpen()
{
    std::unique_ptr<FileLoader> loader = std::move(m_loader);
    const QString path = loader->path();
    const bool recovering = !m_recoveryPath.isEmpty() && path == m_recoveryPath;
    const session::Session* session = m_fileShown ? m_document->session() : nullptr;
    const bool gotHeader = session && session->header();
    const QString problem = m_headerMissing
        ? tr("%1 could not be read: its first record, the capture's header, is damaged.").arg(path)
        : session ? loader->problem(gotHeader, session->damage().records,
              session->damage().first.empty()
                  ? QString()
                  : QString::fromStdString(session->damage().first.front().message()))
                  : loader->problem(false, 0, {});
    emit workFinished();
    if (!gotHeader) {
        emit notice(loader->cancelled() && !m_headerMissing ? Severity::Info : Severity::Error,
            problem.isEmpty() ? tr("%1 holds no capture.").arg(path) : problem);
        if (recovering)
            m_recoveryPath.clear();
        if (m_fileShown)
            m_document->clear();
        emit stateChanged();
        emit opened(false);
        return;
    }
    if (recovering)
        m_document->setSaved(false);
    else
        addRecentFile(path);
    // Reading passed millions of records from one thread to another: the allocator keeps what
    // they freed for reuse unless asked to give it back (off the UI thread: it walks the heap).
    QThreadPool::globalInstance()->start([] { ::malloc_trim(0); });
    if (!problem.isEmpty())
        emit notice(Severity::Warning, problem);
    else if (recovering)
        emit notice(Severity::Info,
            tr("The recovered capture is not saved yet: use Save (Ctrl+S) to keep it."));
    emit stateChanged();
    emit opened(true);
}

bool Workspace::startCapture(CaptureOptions options)
{
    if (!idle())
        return false;
    discardRecoveryFile();
    QString error;
    // A ring's files are the capture's safe copy: a recovery file would grow without its bound.
    m_recoveryPath = options.ring.any() ? QString() : m_recovery->create(&error);
    if (m_recoveryPath.isEmpty() && !options.ring.any())
        emit notice(Severity::Warning,
            tr("The capture cannot be kept safe from a crash of the window (%1); it is captured "
               "anyway.")
                .arg(error));
    options.recoveryPath = m_recoveryPath;
    m_writePath = options.writePath;
    m_lastOptions = options;
    for (const capture::HostTarget& host : options.hosts) { // offered again by the capture dialog
        if (const QString url = QString::fromStdString(host.url());
            !host.isLocal() && !m_recentHosts.contains(url))
            m_recentHosts.prepend(url);
    }
    setRecentHosts(m_recentHosts);
    m_pump->restart(false);
    m_document->startLive(m_recovery->pagingDirectory());
    m_document->setSourcePath(m_recoveryPath);
    m_captureClock.start();
    if (!m_controller->start(options)) {
        discardRecoveryFile();
        m_document->clear();
        m_captureClock.invalidate();
        return false;
    }
    if (!options.elevate && !CaptureController::runningAsRoot())
        emit notice(Severity::Info,
            tr("Capturing without elevation: details of other users' processes (command line, "
               "executable, "
               "working directory) are reduced, and what each process cost (CPU, memory, I/O) is "
               "not recorded."));
    emit stateChanged();
    return true;
}

void Workspace::stopCapture()
{
    m_controller->stop();
}

void Workspace::close()
{
    if (!idle())
        return;
    discardRecoveryFile();
    m_captureClock.invalidate();
    m_document->clear();
}

void Workspace::onCaptureFinished(bool clean, const QString& message)
{
    m_pump->whenAllApplied([this, clean, message] { finishCapture(clean, message); });
}

void Workspace::onCaptureFailed(const QString& message)
{
    m_pump->whenAllApplied([this, message] { failCapture(message); });
}

void Workspace::finishCapture(bool clean, const QString& message)
{
    QString summary;
    const auto* session = m_document->session();
    if (session && session->trailer()) {
        // Every host's closing totals: a session of several hosts adds them up.
        capture::TrailerRecord trailer {};
        for (const session::SessionHost& host : session->hosts()) {
            if (!host.trailer)
                continue;
            trailer.events += host.trailer->events;
            trailer.processes += host.trailer->processes;
            for (std::size_t i = 0; i < trailer.lost.size(); ++i)
                trailer.lost[i] += host.trailer->lost[i];
        }
        std::uint64_t lost = 0;
        for (const auto count : trailer.lost)
            lost += count;
        const QLocale locale;
        // Which plural form follows the events; a translation words the rest around it.
        const int plural = pluralForm(trailer.events);
        summary = lost == 0
            ? tr("Capture stopped: %1 events, %2 processes, nothing lost.", nullptr, plural)
                  .arg(locale.toString(qulonglong(trailer.events)),
                      locale.toString(qulonglong(trailer.processes)))
            : tr("Capture stopped: %1 events, %2 processes, %3 lost.", nullptr, plural)
                  .arg(locale.toString(qulonglong(trailer.events)),
                      locale.toString(qulonglong(trailer.processes)),
                      locale.toString(qulonglong(lost)));
    }
    if (clean && message.isEmpty())
        emit notice(Severity::Status, summary);
    else if (clean) // stopped for a reason of its own (a full disk): say so where it is seen
        emit notice(
            Severity::Warning, summary.isEmpty() ? message : tr("%1 %2").arg(message, summary));
    else
        emit notice(
            Severity::Error, summary.isEmpty() ? message : tr("%1 %2").arg(message, summary));
    if (const auto ring = m_controller->ring(); ring && ring->error() != 0) {
        // The files miss what came after the failure (said when it happened): the window
        // holds more than they do, and only an export keeps it.
        m_document->setSourcePath(QString());
        m_document->setSaved(false);
    } else if (ring) {
        // Its files are on disk already: the newest names the ring, and opens all of it.
        const QString newest = QFile::decodeName(ring->currentFile().c_str());
        emit notice(Severity::Info, ringSummary(*ring));
        m_document->setSourcePath(newest);
        m_document->setSaved(true);
        addRecentFile(newest);
    } else if (!m_writePath.isEmpty()) { // --write: the capture is saved where the user asked
        m_document->setSourcePath(m_writePath);
        m_document->setSaved(true);
        addRecentFile(m_writePath);
        discardRecoveryFile();
    }
    emit stateChanged();
    emit captureFinished();
}

void Workspace::failCapture(const QString& message)
{
    emit notice(Severity::Error, message);
    if (m_document->session() && m_document->session()->events().size() == 0
        && !m_document->session()->header()) {
        discardRecoveryFile();
        m_document->clear();
    }
    emit stateChanged();
    emit captureFinished();
}

void Workspace::cancelWork()
{
    m_work->cancel();
}

QFuture<WorkResult> Workspace::refuse(const QString& why)
{
    emit notice(Severity::Error, why);
    return QtFuture::makeReadyFuture(WorkResult { false, false, 0, why });
}

QString Workspace::ringSummary(const capture::RingWriter& ring)
{
    const QLocale locale;
    const QString kept = tr("The capture is kept in %n ring files in %1 (%2 on disk)", nullptr,
        pluralForm(ring.keptFileCount()))
                             .arg(QFileInfo(QFile::decodeName(ring.base().c_str())).absolutePath(),
                                 locale.formattedDataSize(qint64(ring.keptBytes())));
    if (ring.discardedEvents() == 0)
        return tr("%1; the ring discarded nothing.").arg(kept);
    return tr("%1; older events discarded by the ring: %2 (shown here until the capture is "
              "closed; opening the files shows what they keep).")
        .arg(kept, locale.toString(qulonglong(ring.discardedEvents())));
}

QString Workspace::busyReason(const QString& whileCapturing) const
{
    return capturing() ? whileCapturing : tr("Wait for the file being read or written first.");
}

QFuture<WorkResult> Workspace::saveTo(const QString& destination)
{
    const QString source = m_document->sourcePath();
    if (m_document->isEmpty())
        return refuse(tr("There is no capture to save."));
    if (!idle())
        return refuse(busyReason(tr("Stop the capture before saving it: its events are still arriving.")));
    if (source.isEmpty())
        return refuse(
            tr("This capture has no file to save from (its recovery file could not be created)."));
    if (capture::parseRingFileName(QFile::encodeName(source).toStdString()).number != 0)
        return refuse(tr("This capture is a ring of files named like %1, already on disk: copy "
                         "those files to keep it elsewhere, or export its events.")
                          .arg(QFileInfo(source).fileName()));
    QFuture<WorkResult> copied;
    if (QFileInfo(source).canonicalFilePath() == QFileInfo(destination).canonicalFilePath()) {
        copied = QtFuture::makeReadyFuture(WorkResult { true, false, 0, {} });
    } else {
        copied = m_work->run(tr("Saving %1...").arg(QFileInfo(destination).fileName()),
            QFileInfo(source).size(), [source, destination](WorkProgress& progress) {
                return copyCaptureFile(source, destination, progress);
            });
    }
    return copied.then(this, [this, destination](WorkResult result) {
        if (result.cancelled) {
            emit notice(Severity::Status, tr("Saving cancelled"));
        } else if (!result.ok) {
            result.error
                = tr("Saving to %1 failed: %2. The capture is still here; try another place.")
                      .arg(destination, result.error);
            emit notice(Severity::Error, result.error);
        } else {
            discardRecoveryFile();
            m_document->setSourcePath(destination);
            m_document->setSaved(true);
            addRecentFile(destination);
            emit notice(Severity::Status, tr("Saved %1").arg(destination));
            emit stateChanged();
        }
        return result;
    });
}

QFuture<WorkResult> Workspace::exportTo(
    const QString& destination, session::ExportFormat format, bool shownOnly)
{
    if (m_document->isEmpty())
        return refuse(tr("There is no capture to export."));
    if (!idle())
        return refuse(busyReason(tr("Stop the capture before exporting: its events are still arriving.")));
    const session::Session* session = m_document->session();
    // What the table shows, taken now: a filter still being evaluated goes on meanwhile (its
    // slices run in the event loop), and the worker must not read what that replaces.
    std::vector<std::uint8_t> shown; // empty: all
    if (shownOnly) {
        const EventTableModel* table = m_document->eventModel();
        shown.resize(session->events().size());
        for (std::size_t row = 0; row < shown.size(); ++row)
            shown[row] = table->shows(row) ? 1 : 0;
    }
    const auto total = static_cast<qint64>(session->events().size());
    QFuture<WorkResult> exported
        = m_work->run(tr("Exporting to %1...").arg(QFileInfo(destination).fileName()), total,
            [session, destination, format, shown = std::move(shown)](WorkProgress& progress) {
                return exportCaptureEvents(*session, destination, format, shown, progress);
            });
    return exported.then(this, [this, destination](WorkResult result) {
        if (result.cancelled) {
            QFile::remove(destination);
            emit notice(Severity::Status, tr("Export cancelled"));
        } else if (!result.ok) {
            result.error = tr("Exporting to %1 failed: %2.").arg(destination, result.error);
            emit notice(Severity::Error, result.error);
        } else {
            emit notice(Severity::Status,
                tr("Exported %n events to %1", nullptr, pluralForm(result.events))
                    .arg(destination));
        }
        return result;
    });
}

QStringList Workspace::recoverableCaptures() const
{
    return m_recovery->orphans();
}

bool Workspace::recover(const QString& path)
{
    if (!idle() || !m_recovery->adopt(path))
        return false;
    discardRecoveryFile();
    m_recoveryPath = path;
    return open(path);
}

void Workspace::discardRecoverable(const QStringList& paths)
{
    for (const QString& path : paths) {
        if (m_recovery->adopt(path))
            m_recovery->discard(path);
    }
}

void Workspace::keepForRecovery()
{
    if (!m_recoveryPath.isEmpty())
        m_recovery->release(m_recoveryPath);
    m_recoveryPath.clear();
}

void Workspace::discardRecoveryFile()
{
    if (m_recoveryPath.isEmpty())
        return;
    m_recovery->discard(m_recoveryPath);
    if (m_document->sourcePath() == m_recoveryPath)
        m_document->setSourcePath({});
    m_recoveryPath.clear();
}

void Workspace::addRecentFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute == sampleCapturePath())
        return;
    m_recentFiles.removeAll(absolute);
    m_recentFiles.prepend(absolute);
    while (m_recentFiles.size() > kMaxRecentFiles)
        m_recentFiles.removeLast();
    emit recentFilesChanged();
}

void Workspace::clearRecentFiles()
{
    m_recentFiles.clear();
    emit recentFilesChanged();
}

void Workspace::restoreSettings(const QSettings& settings)
{
    m_recentFiles = settings.value(u"files/recent"_qs).toStringList();
    m_lastOptions.events = settings.value(u"capture/events"_qs).toString();
    m_lastOptions.elevate = settings.value(u"capture/elevate"_qs, true).toBool();
    m_lastOptions.writePath = settings.value(u"capture/writePath"_qs).toString();
    // Limits out of range (a settings file edited by hand) are no limit, not a broken ring.
    const auto within = [](std::uint64_t value, std::uint64_t low, std::uint64_t high) { return value >= low && value <= high ? value : 0; };
    m_lastOptions.ring.maxBytes = within(settings.value(u"capture/ringBytes"_qs).toULongLong(), capture::kMinRingBytes, capture::kMaxRingBytes);
    m_lastOptions.ring.keepNs = within(settings.value(u"capture/ringKeepNs"_qs).toULongLong(), capture::kMinRingAgeNs, capture::kMaxRingAgeNs);
    setRecentHosts(settings.value(u"capture/recentHosts"_qs).toStringList());
    m_lastOptions.hosts.clear();
    for (const QString& url : settings.value(u"capture/hosts"_qs).toStringList()) {
        std::string error; // a settings file edited by hand is checked like a command line
        if (const auto host = capture::parseHostTarget(url.toStdString(), error))
            m_lastOptions.hosts.push_back(*host);
        else if (!m_recentHosts.contains(url))
            m_recentHosts.append(url); // the capture dialog lists it with the reason
    }
    m_document->viewOptions()->restore(settings);
    emit recentFilesChanged();
}

void Workspace::saveSettings(QSettings& settings) const
{
    settings.setValue(u"files/recent"_qs, m_recentFiles);
    settings.setValue(u"capture/events"_qs, m_lastOptions.events);
    settings.setValue(u"capture/elevate"_qs, m_lastOptions.elevate);
    settings.setValue(u"capture/writePath"_qs, m_lastOptions.writePath);
    settings.setValue(u"capture/ringBytes"_qs, qulonglong(m_lastOptions.ring.maxBytes));
    settings.setValue(u"capture/ringKeepNs"_qs, qulonglong(m_lastOptions.ring.keepNs));
    settings.setValue(u"capture/recentHosts"_qs, m_recentHosts);
    QStringList hosts;
    for (const capture::HostTarget& host : m_lastOptions.hosts)
        hosts << QString::fromStdString(host.url());
    settings.setValue(u"capture/hosts"_qs, hosts);
    m_document->viewOptions()->save(settings);
}

} // namespace procscope::ui
