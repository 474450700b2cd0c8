// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/host_multiplexer.h"
#include "capture/host_target.h"
#include "capture/records.h"
#include "capture/ring_writer.h"

#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QString>
#include <memory>
#include <vector>

namespace procscope::ui {

class HostLink;

struct CaptureOptions
{
    QString events; // the helper's --events; empty for all
    bool elevate = true; // through pkexec unless already root; false: unprivileged (Linux 6.6+)
    QString writePath; // also save the stream here as it arrives (may be empty)
    QString recoveryPath; // the stream goes here too, so a crash of the window loses nothing
    // With a limit, writePath names a ring of files that keeps the newest part of the capture
    // (capture::RingWriter); this machine alone.
    capture::RingLimits ring;
    // The machines to capture, in order (empty: this one). Several, or a remote one, are
    // written as a capture of several hosts (format version 3).
    std::vector<capture::HostTarget> hosts;
    QString remoteHelper
        = QString::fromLatin1(capture::kRemoteHelperPath.data(), capture::kRemoteHelperPath.size());
};

// Starts procscope-helper on each host: here through pkexec unless root (or unprivileged),
// with one end of a socketpair as its standard input and output (pkexec keeps descriptors 0-2;
// there is no socket path another user could connect to); elsewhere through ssh. Reads each on
// a worker thread, stops them in-band (half-closing the socket, so each sends its trailer)
// and explains every way it can fail, naming the host.
class CaptureController : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Idle,
        Running,
        Stopping
    };
    Q_ENUM(State)

    explicit CaptureController(QObject* parent = nullptr);
    ~CaptureController() override;

    // Next to this program (build tree), else ${libexecdir}/procscope (installed); empty if
    // neither.
    static QString findHelper();
    static bool unprivilegedCaptureAvailable(); // Linux 6.6 and later
    static bool runningAsRoot();
    // Empty when `helper` may be run as root through pkexec; otherwise why not: a helper that
    // this user (or anyone but root) can change, in a file or a directory on its path, would
    // let them run their own code as root.
    static QString elevationRefusal(const QString& helper);
    // What the window calls a host: the remote host's name, or this machine's.
    static QString labelFor(const capture::HostTarget& target);

    // Tests and packagers may name another helper program.
    void setHelperProgram(const QString& path) { m_helper = path; }
    QString helperProgram() const;

    bool start(const CaptureOptions& options);
    void stop();
    State state() const { return m_state; }
    bool elevated() const;
    bool severalHosts() const { return m_multiHost; }

    // What arrived since the last call, from every host; with several hosts each host's records
    // follow its HostRecord, and a host that ended brings its HostEndRecord.
    std::vector<capture::Record> takeRecords();
    std::uint64_t bytesRead() const;
    // The ring of files the capture is written to (null without one); its counters may be
    // read while it is written.
    std::shared_ptr<const capture::RingWriter> ring() const { return m_ring; }

signals:
    void stateChanged(procscope::ui::CaptureController::State state);
    void recordsReady();
    // The capture could not start, or ended abnormally: a sentence saying what happened and what to
    // do.
    void failed(const QString& message);
    // The capture ended: cleanly (trailer seen) or not; `message` says which.
    void finished(bool clean, const QString& message);
    void warning(const QString& message);

private:
    void releaseLinks(); // stops every link and waits for their processes, once for all
    void setState(State state);
    void linkEnded(HostLink* link, bool clean, bool started, const QString& message);

    QString m_helper;
    State m_state = State::Idle;
    bool m_multiHost = false;
    std::vector<std::unique_ptr<HostLink>> m_links;
    std::vector<std::shared_ptr<capture::HostMultiplexer>> m_files;
    std::shared_ptr<capture::RingWriter> m_ring;
    std::vector<capture::Record> m_declared; // every host's HostRecord, taken first
    std::vector<capture::Record> m_ended; // HostEndRecords not yet taken
    QStringList m_messages;
    QString m_stopReason; // the capture was stopped for a reason of its own (a full disk)
    int m_linksRunning = 0;
    int m_linksStarted = 0;
    bool m_allClean = true;
};

} // namespace procscope::ui
