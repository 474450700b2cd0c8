// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/capture_controller.h"

#include "capture/stream_reader.h"
#include "protocol/kernel_version.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTimer>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PROCSCOPE_HELPER_FROM_BINDIR
#define PROCSCOPE_HELPER_FROM_BINDIR "../libexec/procscope/procscope-helper"
#endif

namespace procscope::ui {

namespace {
constexpr qsizetype kMaxStderr = 64 * 1024;
constexpr int kStopGraceMs = 10'000;

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

CaptureController::CaptureController(QObject* parent)
    : QObject(parent)
{
}

CaptureController::~CaptureController()
{
    if (m_reader) {
        m_reader->closeInput();
        m_reader->abort();
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        if (!m_process->waitForFinished(3000)) {
            m_process->kill(); // works when the helper is ours; an elevated one ends on the closed socket
            m_process->waitForFinished(1000);
        }
    }
}

QString CaptureController::findHelper()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate : { dir + u"/procscope-helper"_qs, QDir::cleanPath(dir + u"/"_qs + QStringLiteral(PROCSCOPE_HELPER_FROM_BINDIR)) }) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
    }
    return {};
}

bool CaptureController::unprivilegedCaptureAvailable()
{
    return protocol::supportsEventFilter(protocol::parseKernelRelease(protocol::runningKernelRelease()));
}

bool CaptureController::runningAsRoot() { return ::geteuid() == 0; }

QString CaptureController::elevationRefusal(const QString& helper)
{
    QString at = QFileInfo(helper).absoluteFilePath();
    while (!at.isEmpty()) {
        struct stat info {};
        if (::stat(QFile::encodeName(at).constData(), &info) != 0)
            return tr("%1 cannot be checked (%2)").arg(at, QString::fromLocal8Bit(std::strerror(errno)));
        const bool stickyDirectory = S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX);
        if (info.st_uid != 0 || (!stickyDirectory && (info.st_mode & (S_IWGRP | S_IWOTH))))
            return tr("%1 can be changed by users other than root").arg(at);
        if (at == u"/"_qs)
            break;
        at = QFileInfo(at).absolutePath();
    }
    return {};
}

QString CaptureController::helperProgram() const { return m_helper.isEmpty() ? findHelper() : m_helper; }

qint64 CaptureController::helperPid() const { return m_process ? m_process->processId() : 0; }

std::vector<capture::Record> CaptureController::takeRecords() { return m_reader ? m_reader->takeRecords() : std::vector<capture::Record> {}; }

std::uint64_t CaptureController::bytesRead() const { return m_reader ? m_reader->bytesRead() : 0; }

void CaptureController::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool CaptureController::start(const CaptureOptions& options)
{
    if (m_state != State::Idle)
        return false;
    const QString helper = helperProgram();
    if (helper.isEmpty() || !QFileInfo(helper).isExecutable()) {
        emit failed(tr("The capture helper (procscope-helper) was not found or is not executable%1. Rebuild or reinstall Procscope.")
                        .arg(helper.isEmpty() ? QString() : u" at %1"_qs.arg(helper)));
        return false;
    }
    m_elevated = options.elevate && !runningAsRoot();
    QString program = helper;
    QStringList args;
    if (m_elevated) {
        program = QStandardPaths::findExecutable(u"pkexec"_qs);
        if (program.isEmpty()) {
            emit failed(tr("pkexec is not installed, so Procscope cannot ask for permission to capture. Install the \"pkexec\" package, "
                           "run Procscope as root%1.")
                            .arg(unprivilegedCaptureAvailable() ? tr(", or capture without elevation") : QString()));
            return false;
        }
        if (const QString refusal = elevationRefusal(helper); !refusal.isEmpty()) {
            emit failed(tr("Procscope will not run the capture helper as root: %1. Install Procscope (cmake --install), "
                           "run it as root%2.")
                            .arg(refusal, unprivilegedCaptureAvailable() ? tr(", or capture without elevation") : QString()));
            return false;
        }
        args << helper;
    }
    if (!options.events.isEmpty())
        args << u"--events"_qs << options.events;

    std::vector<std::pair<int, QString>> sinks;
    const auto closeSinks = [&sinks] {
        for (const auto& sink : sinks)
            ::close(sink.first);
    };
    for (const auto& [path, mode] : { std::pair { options.recoveryPath, 0600 }, std::pair { options.writePath, 0644 } }) {
        if (path.isEmpty())
            continue;
        const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            closeSinks();
            emit failed(tr("Cannot write the capture to %1: %2. Choose another file.").arg(path, reason));
            return false;
        }
        sinks.emplace_back(fd, path);
    }

    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        closeSinks();
        emit failed(tr("Cannot create the socket to the capture helper: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return false;
    }
    m_stderr.clear();
    m_stopReason.clear();
    m_processDone = m_readerDone = m_failedToStart = false;
    m_exitCode = 0;
    m_exitStatus = QProcess::NormalExit;
    m_reader = std::make_unique<StreamReader>(fds[0]);
    for (const auto& [fd, name] : sinks)
        m_reader->addSink(fd, name);
    connect(m_reader.get(), &StreamReader::recordsReady, this, &CaptureController::recordsReady, Qt::QueuedConnection);
    connect(m_reader.get(), &StreamReader::sinkFailed, this, &CaptureController::warning, Qt::QueuedConnection);
    connect(
        m_reader.get(), &StreamReader::diskNearlyFull, this,
        [this](const QString& message) {
            if (m_state != State::Running)
                return; // already stopping, for the user's reason
            m_stopReason = message;
            stop();
        },
        Qt::QueuedConnection);
    connect(m_reader.get(), &QThread::finished, this, [this] {
        m_readerDone = true;
        maybeFinish();
    });

    m_process = std::make_unique<QProcess>();
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    const int helperEnd = fds[1];
    m_process->setChildProcessModifier([helperEnd] {
        // The helper's standard input and output are both our socket (dup2 clears close-on-exec).
        ::dup2(helperEnd, STDIN_FILENO);
        ::dup2(helperEnd, STDOUT_FILENO);
    });
    connect(m_process.get(), &QProcess::readyReadStandardError, this, [this] {
        m_stderr += m_process->readAllStandardError();
        if (m_stderr.size() > kMaxStderr)
            m_stderr = m_stderr.right(kMaxStderr);
    });
    connect(m_process.get(), &QProcess::finished, this, &CaptureController::onProcessFinished);
    connect(m_process.get(), &QProcess::errorOccurred, this, &CaptureController::onProcessError);
    m_process->start(program, args);
    ::close(helperEnd); // the helper holds it now: its exit is our end of file
    m_reader->start();
    setState(State::Running);
    return true;
}

void CaptureController::stop()
{
    if (m_state != State::Running || !m_reader)
        return;
    setState(State::Stopping);
    m_reader->closeInput();
    QTimer::singleShot(kStopGraceMs, this, [this, reader = m_reader.get()] {
        if (m_state == State::Stopping && m_reader.get() == reader)
            m_reader->abort(); // the helper did not answer: stop waiting for it
    });
}

void CaptureController::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    m_stderr += m_process->readAllStandardError();
    m_exitCode = exitCode;
    m_exitStatus = status;
    m_processDone = true;
    maybeFinish();
}

void CaptureController::onProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return;
    m_failedToStart = true;
    m_processDone = true;
    maybeFinish();
}

QString CaptureController::explainExit() const
{
    const QString said = lastLines(m_stderr);
    const QString elsewise = unprivilegedCaptureAvailable() && m_elevated ? tr(", or capture without elevation (reduced details)") : QString();
    if (m_failedToStart) {
        return m_elevated ? tr("pkexec could not be started: %1.").arg(m_process->errorString())
                          : tr("The capture helper %1 could not be started: %2.").arg(helperProgram(), m_process->errorString());
    }
    if (m_exitStatus == QProcess::CrashExit)
        return tr("The capture helper stopped unexpectedly (it crashed or was killed). Everything captured until then is kept.");
    if (m_exitCode == 127 && m_stderr.contains("authentication agent"))
        return tr("No polkit authentication agent is running, so there is nobody to ask for your password. "
                  "Start your desktop's authentication agent, or run Procscope as root%1.")
            .arg(elsewise);
    if (m_exitCode == 127 && m_stderr.contains("Not authorized"))
        return tr("You are not authorized to capture process events (polkit refused the action io.github.procscope.capture). "
                  "Ask an administrator to allow it%1.")
            .arg(elsewise);
    if (m_exitCode == 126 && m_elevated)
        return tr("The authorization was dismissed, so the capture did not start.");
    if (m_exitCode == 127)
        return m_elevated ? tr("pkexec refused to start the capture helper%1.").arg(said.isEmpty() ? QString() : u": "_qs + said)
                          : tr("The capture helper could not be run%1.").arg(said.isEmpty() ? QString() : u": "_qs + said);
    if (m_exitCode != 0)
        return tr("The capture helper failed (exit status %1)%2").arg(m_exitCode).arg(said.isEmpty() ? u"."_qs : u": "_qs + said);
    if (m_reader && !m_reader->sawTrailer())
        return tr("The capture helper ended without its closing record; the capture may be incomplete.");
    return {};
}

void CaptureController::maybeFinish()
{
    if (!m_processDone || !m_readerDone || m_state == State::Idle)
        return;
    const bool clean = !m_failedToStart && m_exitStatus == QProcess::NormalExit && m_exitCode == 0 && m_reader->sawTrailer();
    QString message = clean ? QString() : explainExit();
    const QString damage = m_reader->decodeError();
    if (!damage.isEmpty())
        message += (message.isEmpty() ? QString() : u" "_qs) + tr("The stream was damaged: %1").arg(damage);
    if (!m_stopReason.isEmpty())
        message = m_stopReason + (message.isEmpty() ? QString() : u" "_qs + message);
    const bool gotNothing = m_reader->bytesRead() == 0;
    setState(State::Idle);
    if (!clean && gotNothing)
        emit failed(message);
    else
        emit finished(clean && damage.isEmpty(), message);
}

} // namespace procscope::ui
