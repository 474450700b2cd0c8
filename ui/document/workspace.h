// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/capture_controller.h"
#include "document/background_work.h"
#include "capture/records.h"
#include "session/exporters.h"

#include <QElapsedTimer>
#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QSettings;

namespace procscope::ui {

class CaptureDocument;
class FileLoader;
class RecordPump;
class RecoveryStore;

// The application without its widgets: the capture document, the capture controller feeding
// it, the file loader, the recovery store and the paths of the capture's bytes. It opens,
// captures, stops, saves and exports, and says what happened through notice(); the window asks
// the user (discard unsaved?) and shows the results. Long work runs on worker threads and
// finishes through futures, never through a nested event loop.
class Workspace : public QObject {
    Q_OBJECT
public:
    enum class Severity { Status, Info, Warning, Error };
    Q_ENUM(Severity)

    explicit Workspace(QObject* parent = nullptr);
    // Tests keep their recovery files apart.
    Workspace(std::unique_ptr<RecoveryStore> recovery, QObject* parent);
    ~Workspace() override;

    CaptureDocument* document() const { return m_document; }
    CaptureController* controller() const { return m_controller; }
    RecoveryStore* recovery() const { return m_recovery.get(); }

    // Also while the last records of a capture that ended are being applied.
    bool capturing() const;
    bool opening() const { return m_loader != nullptr; }
    bool working() const { return m_work->busy(); } // saving or exporting
    // Whether open, start, close and the like may go ahead now.
    bool idle() const { return !capturing() && !opening() && !working(); }
    bool hasCapture() const;
    bool hasUnsavedCapture() const;
    // A capture left behind by a crash is being read back: until it is in, the file is its only copy.
    bool openingRecoveryFile() const;
    qint64 captureElapsedMs() const { return m_captureClock.isValid() ? m_captureClock.elapsed() : -1; }
    // A title for the capture: its file's name, or that it is not saved.
    QString captureName() const;

    // Starts reading `path` on a worker thread; opened() follows. False (with a notice) when
    // something else is under way.
    bool open(const QString& path);
    void cancelOpen();
    // A new live capture replaces what is shown (the caller asked about unsaved data).
    bool startCapture(CaptureOptions options);
    void stopCapture();
    // Drops the capture (and its recovery file).
    void close();

    // Copies the capture's own bytes to `destination`; the capture is then saved there.
    QFuture<WorkResult> saveTo(const QString& destination);
    // Exports the events (`shownOnly`: those the display filter and the event table show).
    // Refused while a capture runs: its events are still arriving.
    QFuture<WorkResult> exportTo(const QString& destination, session::ExportFormat format, bool shownOnly = false);
    void cancelWork();

    // Captures a window that ended without saving left behind, oldest first.
    QStringList recoverableCaptures() const;
    // Opens one of them (opened() follows); it stays unsaved until saved.
    bool recover(const QString& path);
    void discardRecoverable(const QStringList& paths);
    // Quitting without asking (a signal): an unsaved capture stays for the next start to offer.
    void keepForRecovery();
    // Quitting after the user chose to discard an unsaved capture: its recovery file goes too.
    void discardRecoveryFile();

    const QStringList& recentFiles() const { return m_recentFiles; }
    // Remote hosts the capture dialog offers (ssh:// addresses), remembered with the settings.
    const QStringList& recentHosts() const { return m_recentHosts; }
    void setRecentHosts(const QStringList& hosts) { m_recentHosts = hosts.mid(0, 20); }
    void clearRecentFiles();
    void restoreSettings(const QSettings& settings);
    void saveSettings(QSettings& settings) const;
    // What the last capture asked for, for the capture dialog.
    const CaptureOptions& lastCaptureOptions() const { return m_lastOptions; }


signals:
    void stateChanged(); // capturing, opening, working, saved or not: actions and title follow
    void opened(bool ok);
    void captureFinished();
    void notice(procscope::ui::Workspace::Severity severity, const QString& text);
    // Opening, saving or exporting: how far (total 0 when unknown).
    void progress(const QString& what, qint64 done, qint64 total);
    void workFinished();
    void recentFilesChanged();

private:
    // Save and Export that cannot go ahead: said, and a finished future that carries why.
    QFuture<WorkResult> refuse(const QString& why);
    static QString ringSummary(const capture::RingWriter& ring);
    QString busyReason(const QString& whileCapturing) const;
    void onCaptureFinished(bool clean, const QString& message);
    void onCaptureFailed(const QString& message);
    void finishCapture(bool clean, const QString& message);
    void failCapture(const QString& message);
    // From the file being opened (the first ones replace what is shown), or the capture.
    std::vector<capture::Record> takeRecords();
    void showFile();
    void finishOpen();
    void addRecentFile(const QString& path);

    CaptureDocument* m_document;
    CaptureController* m_controller;
    std::unique_ptr<RecoveryStore> m_recovery;
    std::unique_ptr<FileLoader> m_loader;
    bool m_fileShown = false; // the file being opened has replaced what was shown
    bool m_headerMissing = false; // the file being opened began with records but no header
    std::vector<capture::Record> m_heldRecords; // host records read before the file's first header
    BackgroundWork* m_work;
    RecordPump* m_pump;
    QElapsedTimer m_captureClock;
    QString m_recoveryPath; // the live (or recovered) capture's recovery file
    QString m_writePath; // --write: the live capture's own file
    CaptureOptions m_lastOptions;
    QStringList m_recentFiles;
    QStringList m_recentHosts;
};

} // namespace procscope::ui
