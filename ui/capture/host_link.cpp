// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/host_link.h"

#include "capture/capture_controller.h"
#include "capture/stream_reader.h"

#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace procscope::ui {

namespace {
constexpr qsizetype kMaxStderr = 64 * 1024;
constexpr int kStopGraceMs = 10'000;
constexpr int kSshFailed = 255; // ssh's own failures (the remote command's status is passed on)

QString lastLines(const QByteArray& text)
{
    QStringList lines;
    for (const QByteArray& line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            lines << QString::fromLocal8Bit(line.trimmed());
    }
    while (lines.size() > 3)
        lines.removeFirst();
    return lines.join(u' ');
}
} // namespace

HostLink::HostLink(std::uint16_t index, capture::HostTarget target, QString label, QObject* parent)
    : QObject(parent)
    , m_index(index)
    , m_target(std::move(target))
    , m_label(std::move(label))
{ }

HostLink::~HostLink()
{
    abort();
    release(QDeadlineTimer(3000));
}

void HostLink::release(QDeadlineTimer deadline)
{
    if (m_released || !m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_released = true; // waited for once: the destructor does not wait again
    m_process->disconnect(this);
    if (!m_target.isLocal())
        m_process->kill();
    if (!m_process->waitForFinished(static_cast<int>(std::max<qint64>(0, deadline.remainingTime())))) {
        m_process->kill(); // works when the helper is ours; an elevated one ends on the closed socket
        m_process->waitForFinished(1000);
    }
}

std::vector<capture::Record> HostLink::takeRecords()
{
    return m_reader ? m_reader->takeRecords() : std::vector<capture::Record> {};
}

std::uint64_t HostLink::bytesRead() const
{
    return m_reader ? m_reader->bytesRead() : 0;
}

bool HostLink::decodedAny() const
{
    return m_reader && m_reader->decodedAny();
}

QString HostLink::sshDestination() const
{
    return QString::fromStdString(
        m_target.user.empty() ? m_target.host : m_target.user + "@" + m_target.host);
}

bool HostLink::start(const Launch& launch, Sinks sinks)
{
    const auto closeSinks = [&sinks] {
        for (const auto& sink : sinks.raw)
            ::close(sink.first);
    };
    QStringList args;
    if (m_target.isLocal()) {
        if (launch.helper.isEmpty() || !QFileInfo(launch.helper).isExecutable()) {
            closeSinks();
            emit failed(
                tr("The capture helper (procscope-helper) was not found or is not executable%1. "
                   "Rebuild or reinstall Procscope.")
                    .arg(launch.helper.isEmpty() ? QString() : u" at %1"_qs.arg(launch.helper)));
            return false;
        }
        m_elevated = launch.elevate && !CaptureController::runningAsRoot();
        m_program = launch.helper;
        if (m_elevated) {
            m_program = QStandardPaths::findExecutable(u"pkexec"_qs);
            const QString elsewise = CaptureController::unprivilegedCaptureAvailable()
                ? tr(", or capture without elevation")
                : QString();
            if (m_program.isEmpty()) {
                closeSinks();
                emit failed(tr("pkexec is not installed, so Procscope cannot ask for permission to "
                               "capture. Install the \"pkexec\" package, "
                               "run Procscope as root%1.")
                                .arg(elsewise));
                return false;
            }
            if (const QString refusal = CaptureController::elevationRefusal(launch.helper);
                !refusal.isEmpty()) {
                closeSinks();
                emit failed(tr("Procscope will not run the capture helper as root: %1. Install "
                               "Procscope (cmake --install), "
                               "run it as root%2.")
                                .arg(refusal, elsewise));
                return false;
            }
            args << launch.helper;
        }
        if (!launch.events.isEmpty())
            args << u"--events"_qs << launch.events;
    } else {
        m_program = QStandardPaths::findExecutable(u"ssh"_qs);
        m_remoteHelper = launch.remoteHelper;
        if (m_program.isEmpty()) {
            closeSinks();
            emit failed(tr("The OpenSSH client (ssh) is not installed, so Procscope cannot reach "
                           "%1. Install the \"openssh-client\" package.")
                            .arg(m_label));
            return false;
        }
        if (!capture::isPlainAbsolutePath(m_remoteHelper.toStdString())
            || !capture::isPlainEventList(launch.events.toStdString())) {
            closeSinks();
            emit failed(tr("The remote helper path %1 or the event list is not plain enough to "
                           "pass to a remote shell.")
                            .arg(m_remoteHelper));
            return false;
        }
        for (const std::string& arg : capture::sshArguments(
                 m_target, m_remoteHelper.toStdString(), launch.events.toStdString()))
            args << QString::fromStdString(arg);
    }

    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        closeSinks();
        emit failed(tr("Cannot create the socket to the capture helper: %1")
                        .arg(QString::fromLocal8Bit(std::strerror(errno))));
        return false;
    }
    m_reader = std::make_unique<StreamReader>(fds[0]);
    for (const auto& [fd, name] : sinks.raw)
        m_reader->addSink(fd, name);
    for (const auto& [file, name] : sinks.shared)
        m_reader->addSink(file, m_index, name);
    for (const auto& [ring, name] : sinks.rings)
        m_reader->addSink(ring, name);
    connect(m_reader.get(), &StreamReader::recordsReady, this, &HostLink::recordsReady,
        Qt::QueuedConnection);
    connect(
        m_reader.get(), &StreamReader::sinkFailed, this, &HostLink::warning, Qt::QueuedConnection);
    connect(m_reader.get(), &StreamReader::diskNearlyFull, this, &HostLink::diskNearlyFull,
        Qt::QueuedConnection);
    // Nothing more can be shown (not a capture: a remote shell's chatter first, say): stop it.
    connect(
        m_reader.get(), &StreamReader::decodeFailed, this, &HostLink::stop, Qt::QueuedConnection);
    connect(m_reader.get(), &QThread::finished, this, [this] {
        m_readerDone = true;
        maybeFinish();
    });

    m_process = std::make_unique<QProcess>();
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    const int helperEnd = fds[1];
    m_process->setChildProcessModifier([helperEnd] {
        // The helper's (or ssh's) standard input and output are both our socket (dup2 clears
        // close-on-exec).
        ::dup2(helperEnd, STDIN_FILENO);
        ::dup2(helperEnd, STDOUT_FILENO);
    });
    connect(m_process.get(), &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > kMaxStderr)
            m_stderr = m_stderr.right(kMaxStderr);
    });
    connect(m_process.get(), &QProcess::finished, this, &HostLink::onProcessFinished);
    connect(m_process.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_failedToStart = true;
        m_processDone = true;
        maybeFinish();
    });
    m_process->start(m_program, args);
    ::close(helperEnd); // the helper holds it now: its exit is our end of file
    m_reader->start();
    m_running = true;
    return true;
}

void HostLink::stop()
{
    if (!m_running || m_stopping || !m_reader)
        return;
    m_stopping = true;
    m_reader->closeInput();
    QTimer::singleShot(kStopGraceMs, this, [this] {
        if (!m_running)
            return;
        m_reader->abort(); // the helper did not answer: stop waiting for it
        if (!m_target.isLocal() && m_process)
            m_process->kill(); // ssh is ours
    });
}

void HostLink::abort()
{
    if (m_reader) {
        m_reader->closeInput();
        m_reader->abort();
    }
}

void HostLink::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    m_stderr += m_process->readAllStandardError();
    m_exitCode = exitCode;
    m_exitStatus = status;
    m_processDone = true;
    maybeFinish();
}

void HostLink::maybeFinish()
{
    if (!m_processDone || !m_readerDone || !m_running)
        return;
    m_running = false;
    const bool clean = !m_failedToStart && m_exitStatus == QProcess::NormalExit && m_exitCode == 0
        && m_reader->sawTrailer();
    const bool gotNothing = !m_reader->decodedAny();
    m_connectionLost = !m_target.isLocal() && !gotNothing && !m_reader->sawTrailer()
        && (m_exitCode == kSshFailed || m_exitStatus == QProcess::CrashExit);
    QString message = clean ? QString() : explainExit();
    const QString damage = m_reader->decodeError();
    if (!damage.isEmpty() && !m_connectionLost)
        message += (message.isEmpty() ? QString() : u" "_qs)
            + tr("The stream was damaged: %1").arg(damage);
    if (!clean && gotNothing)
        emit failed(message);
    else
        emit finished(clean && damage.isEmpty(), message);
}

QString HostLink::explainExit() const
{
    return m_target.isLocal() ? explainLocalExit() : explainRemoteExit();
}

QString HostLink::explainLocalExit() const
{
    const QString said = lastLines(m_stderr);
    const QString elsewise = CaptureController::unprivilegedCaptureAvailable() && m_elevated
        ? tr(", or capture without elevation (reduced details)")
        : QString();
    if (m_failedToStart) {
        return m_elevated ? tr("pkexec could not be started: %1.").arg(m_process->errorString())
                          : tr("The capture helper %1 could not be started: %2.")
                                .arg(m_program, m_process->errorString());
    }
    if (m_exitStatus == QProcess::CrashExit)
        return tr("The capture helper stopped unexpectedly (it crashed or was killed). Everything "
                  "captured until then is kept.");
    if (m_exitCode == 127 && m_stderr.contains("authentication agent"))
        return tr("No polkit authentication agent is running, so there is nobody to ask for your "
                  "password. "
                  "Start your desktop's authentication agent, or run Procscope as root%1.")
            .arg(elsewise);
    if (m_exitCode == 127 && m_stderr.contains("Not authorized"))
        return tr("You are not authorized to capture process events (polkit refused the action "
                  "io.github.procscope.capture). "
                  "Ask an administrator to allow it%1.")
            .arg(elsewise);
    if (m_exitCode == 126 && m_elevated)
        return tr("The authorization was dismissed, so the capture did not start.");
    if (m_exitCode == 127)
        return m_elevated ? tr("pkexec refused to start the capture helper%1.")
                                .arg(said.isEmpty() ? QString() : u": "_qs + said)
                          : tr("The capture helper could not be run%1.")
                                .arg(said.isEmpty() ? QString() : u": "_qs + said);
    if (m_exitCode != 0)
        return tr("The capture helper failed (exit status %1)%2")
            .arg(m_exitCode)
            .arg(said.isEmpty() ? u"."_qs : u": "_qs + said);
    if (m_reader && !m_reader->sawTrailer())
        return tr(
            "The capture helper ended without its closing record; the capture may be incomplete.");
    return {};
}

// ssh says what failed on its standard error; each case gets what to do about it.
QString HostLink::explainRemoteExit() const
{
    const QString host = m_label;
    const QString said = lastLines(m_stderr);
    const QByteArray& err = m_stderr;
    if (m_failedToStart)
        return tr("ssh (%1) could not be started: %2.").arg(m_program, m_process->errorString());
    if (m_connectionLost)
        return tr("The connection to %1 was lost; everything that arrived before is kept.%2")
            .arg(host, said.isEmpty() ? QString() : u" ("_qs + said + u")"_qs);
    if (err.contains("Could not resolve hostname") || err.contains("Name or service not known"))
        return tr("%1 could not be found (ssh could not resolve its name). Check the name, or add "
                  "the host to your ~/.ssh/config.")
            .arg(host);
    if (err.contains("REMOTE HOST IDENTIFICATION HAS CHANGED"))
        return tr("The host key of %1 has changed since you last connected, so ssh refused to "
                  "connect (someone may be intercepting the "
                  "connection). If the change is expected, remove the old key with \"ssh-keygen -R "
                  "%1\" and connect once with ssh to accept the new one.")
            .arg(QString::fromStdString(m_target.host));
    if (err.contains("Host key verification failed") || err.contains("No ED25519 host key is known")
        || err.contains("host key is known for"))
        return tr("The host key of %1 is not known yet, and Procscope does not accept keys on your "
                  "behalf. Connect once with "
                  "\"ssh %2\" in a terminal to check and accept it, then capture again.")
            .arg(host, sshDestination());
    if (err.contains("Permission denied"))
        return tr("%1 refused the login as %2 (%3). Procscope logs in with your SSH keys and agent "
                  "only, never a password: add your "
                  "public key to the remote account (ssh-copy-id %2).")
            .arg(host, sshDestination(), said);
    if (err.contains("Connection refused"))
        return tr("Nothing accepts SSH connections on %1%2 (connection refused). Check the port, "
                  "and that the SSH server runs there.")
            .arg(host, m_target.port ? tr(" port %1").arg(m_target.port) : QString());
    if (err.contains("timed out") || err.contains("No route to host")
        || err.contains("Network is unreachable"))
        return tr("%1 could not be reached (%2). Check the network and the host name.")
            .arg(host, said);
    if (m_reader && m_reader->decodeError().contains(u"wrong magic"_qs))
        return tr("Something on %1 printed text before the capture helper's stream (often a login "
                  "script such as ~/.bashrc "
                  "writing to its output when the shell is not interactive), so the capture could "
                  "not be read. Make it print only "
                  "in interactive shells.")
            .arg(host);
    if (m_exitCode == 127
        && err.contains(QByteArray::fromStdString(std::string(capture::kRemoteHelperMissing))))
        return tr("Procscope's capture helper is not installed on %1 (looked for %2). Install "
                  "Procscope there.")
            .arg(host, m_remoteHelper);
    if (err.contains("a password is required") || err.contains("a terminal is required"))
        return tr("On %1, sudo asks for a password to start the capture helper, and Procscope does "
                  "not type passwords. Log in as root "
                  "(ssh://root@%2), or allow %3 to run %4 with sudo without a password.")
            .arg(host, QString::fromStdString(m_target.host),
                m_target.user.empty() ? tr("your user") : QString::fromStdString(m_target.user),
                m_remoteHelper);
    if (err.contains("sudoers") || err.contains("not allowed to")
        || err.contains("may not run sudo"))
        return tr("sudo on %1 does not allow %2 to run the capture helper (%3). Ask its "
                  "administrator, or log in as root.")
            .arg(host,
                m_target.user.empty() ? tr("your user") : QString::fromStdString(m_target.user),
                said);
    if (m_exitCode == 127 && err.contains("sudo"))
        return tr("sudo is not installed on %1, and the login is not root. Log in as root "
                  "(ssh://root@%2).")
            .arg(host, QString::fromStdString(m_target.host));
    if (m_exitCode == kSshFailed)
        return tr("ssh could not connect to %1: %2")
            .arg(host, said.isEmpty() ? tr("no reason given") : said);
    if (m_exitCode != 0)
        return tr("The capture helper on %1 failed (exit status %2)%3")
            .arg(host)
            .arg(m_exitCode)
            .arg(said.isEmpty() ? u"."_qs : u": "_qs + said);
    if (m_reader && !m_reader->sawTrailer())
        return tr("The capture on %1 ended without its closing record; it may be incomplete.")
            .arg(host);
    return {};
}

} // namespace procscope::ui
