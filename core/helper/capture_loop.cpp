// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/capture_loop.h"

#include "capture/encoder.h"
#include "protocol/event_filter.h"
#include "protocol/messages.h"
#include "protocol/parser.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace procscope::helper {

using namespace protocol;
using capture::LossReason;
using capture::StopReason;

namespace {

constexpr std::size_t kBatchDatagrams = 256; // per wake-up, so signals and output get a turn
constexpr std::size_t kSnapshotDrainEvery = 32; // processes between connector drains
constexpr int kFinalDrainMs = 5000;

// Closes a descriptor when the scope ends.
struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

bool addToEpoll(int epoll, int fd, std::uint32_t events)
{
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    return ::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0;
}

} // namespace

CaptureLoop::CaptureLoop(ConnectorSocket& socket, const Subscription& subscription, const HelperOptions& options,
    int outputFd, int peerFd)
    : m_socket(socket)
    , m_subscription(subscription)
    , m_options(options)
    , m_helperFilters(!subscription.kernelFiltered && (options.events & kAllEvents) != kAllEvents)
    // Sequence numbers are assigned before the kernel filters: gaps mean loss only when the
    // kernel sends us everything.
    , m_trackSequence(!subscription.kernelFiltered)
    , m_outputFd(outputFd)
    , m_peerFd(peerFd)
    , m_output(outputFd, options.bufferBytes)
{
    m_scratch.reserve(4096);
}

void CaptureLoop::write(const capture::Record& record, bool reserved)
{
    m_scratch.clear();
    if (!capture::appendRecord(record, m_scratch))
        return; // cannot happen for records the helper builds: argv is capped far below the limit
    if (!m_output.append(m_scratch, reserved)) {
        m_losses.add(LossReason::OutputBuffer, 1);
        return;
    }
    if (std::holds_alternative<capture::ProcessRecord>(record))
        ++m_processes;
}

void CaptureLoop::handleDatagram(std::span<const std::byte> bytes, std::uint32_t senderPid)
{
    DatagramParser parser(bytes, senderPid);
    Message message;
    while (parser.next(message)) {
        if (const auto* malformed = std::get_if<Malformed>(&message)) {
            m_losses.add(malformed->error.kind() == ErrorKind::SpoofedSender ? LossReason::SpoofedSender
                                                                              : LossReason::MalformedMessage,
                1);
            continue;
        }
        if (std::holds_alternative<NetlinkOverrun>(message)) {
            m_losses.add(LossReason::KernelOverrun, 1);
            continue;
        }
        const EventHeader* header = nullptr;
        std::uint32_t what = 0;
        std::uint32_t exitCode = 0;
        if (const auto* event = std::get_if<ProcEvent>(&message)) {
            header = &event->header;
            what = event->what();
            if (const auto* exit = std::get_if<ExitEvent>(&event->payload))
                exitCode = exit->exitCode;
        } else if (const auto* ack = std::get_if<SubscribeAck>(&message)) {
            header = &ack->header;
            if (isAckFor(*ack, m_subscription.requestAck) && ack->err != 0) {
                stop(StopReason::RuntimeError,
                    "the kernel refused the subscription: " + Error::os(static_cast<int>(ack->err), "subscribing").message());
            }
        } else {
            continue; // NOOP, DONE, netlink ERROR: nothing to record
        }
        if (m_trackSequence) {
            if (const auto gap = m_sequence.observe(header->cpu, header->seq))
                m_losses.add(LossReason::SequenceGap, gap->lost, gap->cpu);
        }
        if (m_helperFilters && !maskAccepts(m_options.events, what, exitCode))
            continue;
        m_scratch.clear();
        capture::appendKernelEvent(header->seq, header->ack, parser.lastConnectorData(), m_scratch);
        if (!m_output.append(m_scratch)) {
            m_losses.add(LossReason::OutputBuffer, 1);
            continue;
        }
        ++m_events;
        if (what == maskOf(EventType::Exec))
            m_pendingExecs.emplace_back(std::get<ExecEvent>(std::get<ProcEvent>(message).payload).pid, header->timestampNs);
    }
}

void CaptureLoop::drainConnector(std::size_t maxDatagrams)
{
    for (std::size_t i = 0; i < maxDatagrams; ++i) {
        auto received = m_socket.receive(m_datagram, std::chrono::milliseconds(0));
        if (!received) {
            const Error& error = received.error();
            if (error.kind() == ErrorKind::Overrun)
                m_losses.add(LossReason::KernelOverrun, 1);
            else if (error.kind() == ErrorKind::BufferTooSmall)
                m_losses.add(LossReason::TruncatedDatagram, 1);
            else if (error.kind() != ErrorKind::Interrupted) {
                stop(StopReason::RuntimeError, error.message());
                break;
            }
            continue;
        }
        if (!received.value())
            break; // drained
        handleDatagram(received.value()->bytes, received.value()->senderPid);
    }
    // Enrich right after the batch: the sooner /proc is read, the more often the process
    // is still there; reading only after draining keeps the kernel queue short.
    enrichPendingExecs();
    reportLosses();
}

void CaptureLoop::enrichPendingExecs()
{
    for (const auto& [pid, timestamp] : m_pendingExecs)
        write(m_proc.read(pid, capture::ProcessSource::Exec, timestamp));
    m_pendingExecs.clear();
}

void CaptureLoop::reportLosses()
{
    for (const auto& record : m_losses.unreported(ProcReader::monotonicNowNs())) {
        m_scratch.clear();
        capture::appendRecord(record, m_scratch);
        if (m_output.append(m_scratch, true))
            m_losses.markReported(record);
    }
}

void CaptureLoop::flushOutput()
{
    if (m_peerGone)
        return;
    if (auto status = m_output.flush(); !status) {
        if (status.error().kind() == ErrorKind::ConnectionClosed) {
            m_peerGone = true;
            stop(StopReason::PeerClosed);
        } else {
            stop(StopReason::RuntimeError, status.error().message());
        }
    }
}

void CaptureLoop::takeSnapshot()
{
    std::size_t count = 0;
    for (const std::uint32_t pid : m_proc.listProcesses()) {
        write(m_proc.read(pid, capture::ProcessSource::Snapshot));
        if (++count % kSnapshotDrainEvery == 0) {
            drainConnector(kBatchDatagrams);
            flushOutput();
        }
    }
}

// One fork and exit on every CPU: gives each CPU a sequence number now, so loss before a CPU's
// first event and loss at the end of a burst both show up as gaps.
void CaptureLoop::touchEveryCpu()
{
    cpu_set_t original;
    CPU_ZERO(&original);
    if (::sched_getaffinity(0, sizeof original, &original) != 0)
        return;
    for (std::size_t cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &original))
            continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (::sched_setaffinity(0, sizeof one, &one) != 0)
            continue;
        const pid_t child = ::fork();
        if (child == 0)
            ::_exit(0);
        if (child > 0)
            while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) { }
    }
    ::sched_setaffinity(0, sizeof original, &original);
}

void CaptureLoop::stop(StopReason reason, std::optional<std::string> error)
{
    if (m_stopReason)
        return;
    m_stopReason = reason;
    m_error = std::move(error);
}

CaptureResult CaptureLoop::run(const capture::HeaderRecord& header, const std::vector<capture::StatusRecord>& notes)
{
    struct stat outputInfo {};
    const bool outputPollable = ::fstat(m_outputFd, &outputInfo) == 0 && !S_ISREG(outputInfo.st_mode);

    m_scratch.clear();
    capture::appendPreamble(m_scratch);
    m_output.append(m_scratch, true);
    write(header, true);
    for (const auto& note : notes)
        write(note, true);

    // A background job of a non-interactive shell starts with SIGINT ignored, and an ignored
    // signal never reaches the signalfd: a stop request must always work. (SIGHUP keeps what
    // it inherited, so nohup still means what it says.)
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGHUP);
    ::sigprocmask(SIG_BLOCK, &stopSignals, nullptr);
    Fd signals { ::signalfd(-1, &stopSignals, SFD_CLOEXEC | SFD_NONBLOCK) };
    Fd timer;
    Fd epoll { ::epoll_create1(EPOLL_CLOEXEC) };
    if (signals.fd < 0 || epoll.fd < 0)
        stop(StopReason::RuntimeError, Error::os(errno, "setting up the event loop").message());
    addToEpoll(epoll.fd, m_socket.fd(), EPOLLIN);
    addToEpoll(epoll.fd, signals.fd, EPOLLIN);
    if (m_peerFd >= 0)
        addToEpoll(epoll.fd, m_peerFd, EPOLLIN | EPOLLRDHUP);
    if (outputPollable && m_outputFd != m_peerFd)
        addToEpoll(epoll.fd, m_outputFd, 0); // EPOLLOUT is switched on while output is pending
    if (m_options.durationSeconds) {
        timer.fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        itimerspec when {};
        const double seconds = *m_options.durationSeconds;
        when.it_value.tv_sec = static_cast<time_t>(seconds);
        when.it_value.tv_nsec = static_cast<long>((seconds - static_cast<double>(when.it_value.tv_sec)) * 1e9);
        if (when.it_value.tv_sec == 0 && when.it_value.tv_nsec == 0)
            when.it_value.tv_nsec = 1;
        ::timerfd_settime(timer.fd, 0, &when, nullptr);
        addToEpoll(epoll.fd, timer.fd, EPOLLIN);
    }

    if (m_trackSequence)
        touchEveryCpu();
    if (m_options.snapshot)
        takeSnapshot();
    drainConnector(kBatchDatagrams);
    flushOutput();

    bool wantOutput = false;
    while (!m_stopReason) {
        const bool pending = !m_output.empty();
        if (outputPollable && pending != wantOutput) {
            epoll_event event {};
            event.data.fd = m_outputFd;
            event.events = (m_outputFd == m_peerFd ? EPOLLIN | EPOLLRDHUP : 0u) | (pending ? EPOLLOUT : 0u);
            ::epoll_ctl(epoll.fd, EPOLL_CTL_MOD, m_outputFd, &event);
            wantOutput = pending;
        }
        epoll_event events[8];
        const int ready = ::epoll_wait(epoll.fd, events, 8, -1);
        if (ready < 0 && errno != EINTR) {
            stop(StopReason::RuntimeError, Error::os(errno, "waiting for events").message());
            break;
        }
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_socket.fd()) {
                drainConnector(kBatchDatagrams);
            } else if (fd == signals.fd) {
                signalfd_siginfo info {};
                while (::read(signals.fd, &info, sizeof info) == sizeof info) { }
                stop(StopReason::Signal);
            } else if (fd == timer.fd) {
                stop(StopReason::Duration);
            } else if (fd == m_peerFd && (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                // The peer sends nothing but EOF, or 'q' to ask for a stop; anything else is ignored.
                char input[64];
                const ssize_t n = ::read(m_peerFd, input, sizeof input);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || (n > 0 && std::memchr(input, 'q', static_cast<std::size_t>(n))))
                    stop(StopReason::PeerClosed);
            } else if (fd == m_outputFd && (events[i].events & (EPOLLERR | EPOLLHUP))) {
                m_peerGone = true;
                stop(StopReason::PeerClosed);
            }
        }
        flushOutput();
    }

    // Reveal loss at the end of the last burst, then stop the kernel's events before draining.
    if (m_trackSequence && m_stopReason != StopReason::RuntimeError) {
        touchEveryCpu();
        drainConnector(kBatchDatagrams);
    }
    (void)m_socket.unsubscribe();
    for (std::size_t round = 0; round < 1000; ++round) {
        const std::uint64_t before = m_events;
        drainConnector(kBatchDatagrams);
        if (m_events == before)
            break;
    }
    reportLosses();
    write(capture::StatusRecord { m_error ? capture::StatusLevel::Error : capture::StatusLevel::Info,
              m_error ? capture::StatusCode::RuntimeError : capture::StatusCode::Stopping, ProcReader::monotonicNowNs(),
              m_error ? *m_error : std::string("stopping: ") + capture::stopReasonName(*m_stopReason) },
        true);
    capture::TrailerRecord trailer;
    trailer.timestampNs = ProcReader::monotonicNowNs();
    trailer.stopReason = *m_stopReason;
    trailer.events = m_events;
    trailer.processes = m_processes;
    trailer.lost = m_losses.totals();
    write(trailer, true);
    if (!m_peerGone) {
        if (auto status = m_output.drain(kFinalDrainMs); !status && status.error().kind() != ErrorKind::ConnectionClosed && !m_error)
            m_error = status.error().message();
    }
    return CaptureResult { *m_stopReason, m_error, m_events, m_processes };
}

} // namespace procscope::helper
