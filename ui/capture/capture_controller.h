// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <memory>
#include <vector>

namespace procscope::ui {

class StreamReader;

struct CaptureOptions {
    QString events; // the helper's --events; empty for all
    bool elevate = true; // through pkexec unless already root; false: unprivileged (Linux 6.6+)
    QString writePath; // also save the stream here as it arrives (may be empty)
    QString recoveryPath; // the stream goes here too, so a crash of the window loses nothing
};

// Starts procscope-helper (through pkexec unless root, or unprivileged) with one end of a
// socketpair as its standard input and output (pkexec keeps descriptors 0-2; there is no
// socket path another user could connect to), reads it on a worker thread, stops it in-band
// (half-closing the socket, so it sends its trailer) and explains every way it can fail.
class CaptureController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Stopping };
    Q_ENUM(State)

    explicit CaptureController(QObject* parent = nullptr);
    ~CaptureController() override;

    // Next to this program (build tree), else ${libexecdir}/procscope (installed); empty if neither.
    static QString findHelper();
    static bool unprivilegedCaptureAvailable(); // Linux 6.6 and later
    static bool runningAsRoot();
    // Empty when `helper` may be run as root through pkexec; otherwise why not: a helper that
    // this user (or anyone but root) can change, in a file or a directory on its path, would
    // let them run their own code as root.
    static QString elevationRefusal(const QString& helper);

    // Tests and packagers may name another helper program.
    void setHelperProgram(const QString& path) { m_helper = path; }
    QString helperProgram() const;

    bool start(const CaptureOptions& options);
    void stop();
    State state() const { return m_state; }
    bool elevated() const { return m_elevated; }
    qint64 helperPid() const;

    std::vector<capture::Record> takeRecords();
    std::uint64_t bytesRead() const;

signals:
    void stateChanged(procscope::ui::CaptureController::State state);
    void recordsReady();
    // The capture could not start, or ended abnormally: a sentence saying what happened and what to do.
    void failed(const QString& message);
    // The capture ended: cleanly (trailer seen) or not; `message` says which.
    void finished(bool clean, const QString& message);
    void warning(const QString& message);

private:
    void setState(State state);
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void maybeFinish();
    QString explainExit() const;

    QString m_helper;
    State m_state = State::Idle;
    bool m_elevated = false;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<StreamReader> m_reader;
    QByteArray m_stderr;
    QString m_stopReason; // the capture was stopped for a reason of its own (a full disk)
    bool m_processDone = false;
    bool m_readerDone = false;
    bool m_failedToStart = false;
    int m_exitCode = 0;
    QProcess::ExitStatus m_exitStatus = QProcess::NormalExit;
};

} // namespace procscope::ui
