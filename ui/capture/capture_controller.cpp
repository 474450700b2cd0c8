// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/capture_controller.h"

#include "capture/host_link.h"
#include "protocol/kernel_version.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSysInfo>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PROCSCOPE_HELPER_FROM_BINDIR
#define PROCSCOPE_HELPER_FROM_BINDIR "../libexec/procscope/procscope-helper"
#endif

namespace procscope::ui {

CaptureController::CaptureController(QObject* parent)
    : QObject(parent)
{ }

CaptureController::~CaptureController() { releaseLinks(); }

void CaptureController::releaseLinks()
{
    // All readers stop first, then every process is waited for against one deadline.
    for (const auto& link : m_links) {
        link->disconnect(this);
        link->abort();
    }
    // Remote links first: their ssh is killed at once, before any local helper is waited for.
    const QDeadlineTimer deadline(3000);
    for (const bool local : { false, true }) {
        for (const auto& link : m_links) {
            if (link->target().isLocal() == local)
                link->release(deadline);
        }
    }
    m_links.clear();
}

QString CaptureController::findHelper()
{
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate : { dir + u"/procscope-helper"_qs,
             QDir::cleanPath(dir + u"/"_qs + QStringLiteral(PROCSCOPE_HELPER_FROM_BINDIR)) }) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.absoluteFilePath();
    }
    return {};
}

bool CaptureController::unprivilegedCaptureAvailable()
{
    return protocol::supportsEventFilter(
        protocol::parseKernelRelease(protocol::runningKernelRelease()));
}

bool CaptureController::runningAsRoot()
{
    return ::geteuid() == 0;
}

QString CaptureController::elevationRefusal(const QString& helper)
{
    QString at = QFileInfo(helper).absoluteFilePath();
    while (!at.isEmpty()) {
        struct stat info
        { };
        if (::stat(QFile::encodeName(at).constData(), &info) != 0)
            return tr("%1 cannot be checked (%2)")
                .arg(at, QString::fromLocal8Bit(std::strerror(errno)));
        const bool stickyDirectory = S_ISDIR(info.st_mode) && (info.st_mode & S_ISVTX);
        if (info.st_uid != 0 || (!stickyDirectory && (info.st_mode & (S_IWGRP | S_IWOTH))))
            return tr("%1 can be changed by users other than root").arg(at);
        if (at == u"/"_qs)
            break;
        at = QFileInfo(at).absolutePath();
    }
    return {};
}

QString CaptureController::helperProgram() const
{
    return m_helper.isEmpty() ? findHelper() : m_helper;
}

QString CaptureController::labelFor(const capture::HostTarget& target)
{
    if (!target.isLocal())
        return QString::fromStdString(target.host);
    const QString name = QSysInfo::machineHostName();
    return name.isEmpty() ? tr("this machine") : name;
}

bool CaptureController::elevated() const
{
    return std::any_of(
        m_links.begin(), m_links.end(), [](const auto& link) { return link->elevated(); });
}

std::vector<capture::Record> CaptureController::takeRecords()
{
    std::vector<capture::Record> out = std::move(m_declared);
    m_declared.clear();
    for (const auto& link : m_links) {
        std::vector<capture::Record> records = link->takeRecords();
        if (records.empty())
            continue;
        if (!m_multiHost && out.empty()) { // one host: its records as they are
            out = std::move(records);
            continue;
        }
        if (m_multiHost)
            out.emplace_back(capture::HostRecord {
                link->index(), link->label().toStdString(), link->target().url() });
        out.insert(out.end(), std::make_move_iterator(records.begin()),
            std::make_move_iterator(records.end()));
    }
    // After its host's last records: its reader had finished when the end was known.
    out.insert(out.end(), std::make_move_iterator(m_ended.begin()),
        std::make_move_iterator(m_ended.end()));
    m_ended.clear();
    return out;
}

std::uint64_t CaptureController::bytesRead() const
{
    std::uint64_t total = 0;
    for (const auto& link : m_links)
        total += link->bytesRead();
    return total;
}

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
    std::vector<capture::HostTarget> hosts = options.hosts;
    if (hosts.empty())
        hosts.emplace_back();
    if (hosts.size() > capture::kMaxHosts) {
        emit failed(tr("A capture holds at most %1 hosts.").arg(capture::kMaxHosts));
        return false;
    }
    m_multiHost = hosts.size() > 1 || !hosts.front().isLocal();

    const bool ring = options.ring.any();
    if (ring && (m_multiHost || options.writePath.isEmpty())) {
        emit failed(options.writePath.isEmpty()
                ? tr("A ring capture needs a file to write to: its files are named after it.")
                : tr("A ring capture is of this machine alone: capture other hosts without one."));
        return false;
    }
    std::vector<std::pair<int, QString>> files;
    const auto closeFiles = [&files] {
        for (const auto& file : files)
            ::close(file.first);
    };
    for (const auto& [path, mode] :
        { std::pair { options.recoveryPath, 0600 }, std::pair { options.writePath, 0644 } }) {
        if (path.isEmpty() || (ring && path == options.writePath))
            continue;
        const int fd = ::open(
            QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        if (fd < 0) {
            const QString reason = QString::fromLocal8Bit(std::strerror(errno));
            closeFiles();
            emit failed(
                tr("Cannot write the capture to %1: %2. Choose another file.").arg(path, reason));
            return false;
        }
        files.emplace_back(fd, path);
    }

    std::shared_ptr<capture::RingWriter> ringWriter;
    if (ring) {
        std::string error;
        ringWriter = capture::RingWriter::create(
            QFile::encodeName(options.writePath).toStdString(), options.ring, &error);
        if (!ringWriter) {
            closeFiles();
            emit failed(tr("Cannot write the capture's ring of files: %1. Choose another place.")
                            .arg(QString::fromLocal8Bit(error.c_str())));
            return false;
        }
        // This machine's: what /proc no longer has leaves the files' snapshots.
        ringWriter->setStillRunning(capture::RingWriter::runningHere);
    }

    releaseLinks();
    m_ring = ringWriter;
    m_files.clear();
    m_ended.clear();
    m_declared.clear();
    m_messages.clear();
    m_stopReason.clear();
    m_allClean = true;
    m_linksRunning = 0;
    QStringList labels;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        QString label = labelFor(hosts[i]);
        if (labels.contains(label)) // the same machine twice (another port, another user): told
                                    // apart by address
            label = QString::fromStdString(hosts[i].url()).remove(u"ssh://"_qs);
        while (labels.contains(label))
            label += u"'"_qs;
        labels << label;
        m_links.push_back(
            std::make_unique<HostLink>(static_cast<std::uint16_t>(i), hosts[i], label));
    }
    HostLink::Sinks shared;
    if (m_multiHost) {
        for (const auto& [fd, path] : files) {
            auto file = std::make_shared<capture::HostMultiplexer>(fd);
            for (const auto& link : m_links)
                file->declare({ link->index(), link->label().toStdString(), link->target().url() });
            shared.shared.emplace_back(file, path);
            m_files.push_back(std::move(file));
        }
        files.clear();
    }

    if (m_multiHost) { // the window knows every host from the start (a tree row each)
        for (const auto& link : m_links)
            m_declared.emplace_back(capture::HostRecord {
                link->index(), link->label().toStdString(), link->target().url() });
    }
    HostLink::Launch launch { helperProgram(), options.remoteHelper, options.events,
        options.elevate };
    QStringList startFailures;
    for (const auto& link : m_links) {
        HostLink* raw = link.get();
        connect(raw, &HostLink::recordsReady, this, &CaptureController::recordsReady);
        connect(raw, &HostLink::warning, this, &CaptureController::warning);
        connect(raw, &HostLink::diskNearlyFull, this, [this](const QString& message) {
            if (m_state != State::Running)
                return; // already stopping, for the user's reason
            m_stopReason = message;
            stop();
        });
        connect(raw, &HostLink::finished, this, [this, raw](bool clean, const QString& message) {
            linkEnded(raw, clean, true, message);
        });
        QString startFailure;
        auto failure = connect(raw, &HostLink::failed, this,
            [&startFailure](const QString& message) { startFailure = message; });
        HostLink::Sinks sinks = m_multiHost ? shared : HostLink::Sinks { files, {}, {} };
        if (ringWriter)
            sinks.rings.emplace_back(ringWriter, options.writePath);
        const bool started = raw->start(launch, std::move(sinks));
        disconnect(failure);
        if (!started) {
            linkEnded(raw, false, false, startFailure);
            startFailures << (m_multiHost ? raw->label() + u": "_qs + startFailure : startFailure);
            continue;
        }
        ++m_linksRunning;
        connect(raw, &HostLink::failed, this,
            [this, raw](const QString& message) { linkEnded(raw, false, true, message); });
    }
    if (m_linksRunning == 0) {
        m_links.clear();
        m_files.clear();
        m_ended.clear();
        emit failed(startFailures.join(u'\n'));
        return false;
    }
    for (const QString& message : startFailures)
        emit warning(message);
    setState(State::Running);
    return true;
}

void CaptureController::stop()
{
    if (m_state != State::Running)
        return;
    setState(State::Stopping);
    for (const auto& link : m_links)
        link->stop();
}

void CaptureController::linkEnded(HostLink* link, bool clean, bool started, const QString& message)
{
    m_allClean = m_allClean && clean;
    const QString said
        = m_multiHost && !message.isEmpty() ? link->label() + u": "_qs + message : message;
    if (!said.isEmpty())
        m_messages << said;
    if (m_multiHost) {
        using capture::HostEndReason;
        const HostEndReason reason = link->connectionLost() ? HostEndReason::ConnectionLost
            : started && link->decodedAny()                 ? HostEndReason::Finished
                                                            : HostEndReason::FailedToStart;
        const capture::HostEndRecord end { link->index(), reason,
            static_cast<std::uint64_t>(QDateTime::currentMSecsSinceEpoch()) * 1'000'000ULL,
            (message.isEmpty() ? QString() : message).toStdString() };
        for (const auto& file : m_files)
            file->end(end);
        m_ended.emplace_back(end);
        if (started)
            emit recordsReady();
    }
    if (!started)
        return; // start() says what happened
    --m_linksRunning;
    if (m_linksRunning > 0) {
        if (!message.isEmpty())
            emit warning(said);
        return;
    }
    const bool gotNothing = std::none_of(
        m_links.begin(), m_links.end(), [](const auto& l) { return l->decodedAny(); });
    QString summary = m_messages.join(u' ');
    if (!m_stopReason.isEmpty())
        summary = m_stopReason + (summary.isEmpty() ? QString() : u" "_qs + summary);
    for (const auto& file : m_files)
        file->sync();
    m_files.clear();
    setState(State::Idle);
    if (!m_allClean && gotNothing)
        emit failed(summary);
    else
        emit finished(m_allClean, summary);
}

} // namespace procscope::ui
