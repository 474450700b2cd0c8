// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/host_multiplexer.h"
#include "capture/ring_writer.h"
#include "capture/host_target.h"
#include "capture/records.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QProcess>
#include <QString>
#include <memory>
#include <vector>

namespace procscope::ui {

class StreamReader;

// One machine's capture: the helper it runs (here, through pkexec unless root or unprivileged;
// there, through ssh), the worker reading its stream, and what went wrong, said for that host.
class HostLink : public QObject
{
    Q_OBJECT
public:
    struct Launch
    {
        QString helper; // this machine's helper program
        QString remoteHelper; // the helper's path on remote machines
        QString events; // --events; empty for all
        bool elevate = true;
    };
    // Where the bytes go as they arrive: files of their own (one host), or files of several hosts.
    struct Sinks
    {
        std::vector<std::pair<int, QString>> raw;
        std::vector<std::pair<std::shared_ptr<capture::HostMultiplexer>, QString>> shared;
        std::vector<std::pair<std::shared_ptr<capture::RingWriter>, QString>> rings;
    };

    HostLink(
        std::uint16_t index, capture::HostTarget target, QString label, QObject* parent = nullptr);
    ~HostLink() override;

    // False, with failed() emitted, when it cannot start (the sinks are closed then).
    bool start(const Launch& launch, Sinks sinks);
    void stop(); // in-band: its helper sends its closing record
    void abort(); // the window is going away
    // After abort(): waits for its process until `deadline`, then kills it. ssh is ours and is
    // ended at once (the remote helper ends with the connection), so links that share one
    // deadline make closing wait once, not once per host.
    void release(QDeadlineTimer deadline);

    std::uint16_t index() const { return m_index; }
    const capture::HostTarget& target() const { return m_target; }
    const QString& label() const { return m_label; }
    bool running() const { return m_running; }
    bool elevated() const { return m_elevated; }
    std::vector<capture::Record> takeRecords();
    std::uint64_t bytesRead() const;
    bool decodedAny() const; // a record arrived (bytes alone may be a shell's chatter)
    // After finished(): the connection broke while events were arriving (remote hosts only).
    bool connectionLost() const { return m_connectionLost; }

signals:
    void recordsReady();
    void failed(const QString& message); // it could not start, or nothing came
    void finished(bool clean, const QString& message);
    void warning(const QString& message);
    void diskNearlyFull(const QString& message);

private:
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void maybeFinish();
    QString explainExit() const;
    QString explainLocalExit() const;
    QString explainRemoteExit() const;
    QString sshDestination() const; // user@host as the messages name it

    std::uint16_t m_index;
    capture::HostTarget m_target;
    QString m_label;
    QString m_program;
    QString m_remoteHelper;
    bool m_elevated = false;
    bool m_running = false;
    bool m_stopping = false;
    bool m_released = false; // release() waited for its process
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<StreamReader> m_reader;
    QByteArray m_stderr;
    bool m_processDone = false;
    bool m_readerDone = false;
    bool m_failedToStart = false;
    bool m_connectionLost = false;
    int m_exitCode = 0;
    QProcess::ExitStatus m_exitStatus = QProcess::NormalExit;
};

} // namespace procscope::ui
