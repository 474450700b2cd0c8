// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/capture_loop.h"

#include "capture/encoder.h"
#include "helper/loop_descriptors.h"
#include "protocol/event_filter.h"
#include "protocol/messages.h"
#include "protocol/parser.h"
#include "protocol/sequence_baseline.h"
#include "protocol/taskstats.h"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace procscope::helper {

using namespace protocol;
using capture::LossReason;
using capture::StopReason;

namespace {

constexpr std::size_t kBatchDatagrams = 256; // per wake-up, so signals and output get a turn
constexpr std::size_t kTriggerBatch = 8; // exec trigger datagrams per recvmmsg
constexpr std::size_t kSlotBytes = 1024; // per datagram in a recvmmsg batch; events are 76 bytes
constexpr std::size_t kQueuedEventCost = 832; // receive buffer bytes one queued event takes
constexpr double kStormEventsPerSecond = 30000; // the fastest storm measured on 2 CPUs
constexpr auto kMaxCoalesce = std::chrono::milliseconds(10);
constexpr std::size_t kCoalesceFromBatch = 8; // datagrams per drain that count as load
constexpr std::size_t kFlushThreshold = 32 << 10; // write at once from this much pending output
constexpr auto kFlushDelay = std::chrono::milliseconds(20); // else at most this late
constexpr std::size_t kSnapshotDrainEvery = 32; // processes between connector drains
constexpr int kFinalDrainMs = 5000;
constexpr std::uint64_t kCostPairingGraceNs = 2'000'000'000; // exit and figures meet well within this
constexpr std::size_t kCostSlotBytes = 4096; // one taskstats message: 596 bytes, 1,172 with its group's

} // namespace

CaptureLoop::CaptureLoop(ConnectorSocket& socket, const Subscription& subscription, const HelperOptions& options,
    int outputFd, int peerFd, ConnectorSocket* execTrigger, TaskstatsSocket* costs)
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
    , m_batchBuffer(kSlotBytes * std::tuple_size_v<decltype(m_batch)>)
    // A description of a process found exiting waits for its exit event only when exits are captured.
    , m_enricher(m_proc, (options.events & maskOf(EventType::Exit)) != 0)
    , m_execTrigger(execTrigger)
    , m_costs(costs)
    , m_pairCosts(costs && (options.events & maskOf(EventType::Exit)) != 0)
    , m_costMatcher(kCostPairingGraceNs)
    , m_costBuffer(costs ? kCostSlotBytes * std::tuple_size_v<decltype(m_costBatch)> : 0)
{
    m_scratch.reserve(4096);
    // Waking once per event costs several system calls per event. After each wake-up, wait a
    // little so events arrive in batches; how long depends on how many events the receive
    // buffer can hold: at most a quarter of it may fill at storm rate while we wait.
    if (const auto size = socket.receiveBufferSize()) {
        const double events = double(size.value()) / double(kQueuedEventCost);
        const auto wait = std::chrono::duration<double>(events / 4 / kStormEventsPerSecond);
        m_coalesce = std::min<std::chrono::nanoseconds>(kMaxCoalesce, std::chrono::duration_cast<std::chrono::nanoseconds>(wait));
    }
}

void CaptureLoop::write(const capture::Record& record, bool reserved, LossReason refused)
{
    m_scratch.clear();
    if (!capture::appendRecord(record, m_scratch))
        return; // cannot happen for records the helper builds: argv is capped far below the limit
    if (!m_output.append(m_scratch, reserved)) {
        m_losses.add(refused, 1);
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
        const ExitEvent* exitEvent = nullptr;
        if (const auto* event = std::get_if<ProcEvent>(&message)) {
            header = &event->header;
            what = event->what();
            if ((exitEvent = std::get_if<ExitEvent>(&event->payload)))
                exitCode = exitEvent->exitCode;
        } else if (const auto* ack = std::get_if<SubscribeAck>(&message)) {
            header = &ack->header;
            if (isAckFor(*ack, m_subscription.requestAck) && ack->err != 0) {
                stop(StopReason::RuntimeError,
                    "the kernel refused the subscription: " + Error::os(static_cast<int>(ack->err), "subscribing").message());
            }
        } else {
            continue; // NOOP, DONE, netlink ERROR: nothing to record
        }
        // An exit from before the registration took effect can have no figures.
        if (exitEvent && m_pairCosts && header->timestampNs >= m_costs->registeredAtNs())
            m_costMatcher.exitSeen(exitEvent->pid, ProcReader::monotonicNowNs());
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
            m_enricher.execWritten(std::get<ExecEvent>(std::get<ProcEvent>(message).payload).pid, header->timestampNs);
        else if (exitEvent && exitEvent->pid == exitEvent->tgid)
            m_enricher.exitWritten(exitEvent->pid, header->timestampNs);
    }
}

std::size_t CaptureLoop::drainConnector(std::size_t maxDatagrams)
{
    // The kernel queues each exec on both sockets at once: reading the trigger first means an
    // exec in this batch finds its early description instead of being described twice.
    if (m_execTrigger)
        drainExecTrigger();
    std::size_t taken = 0;
    while (taken < maxDatagrams) {
        auto received = m_socket.receiveMany(m_batchBuffer, m_batch);
        if (!received) {
            const Error& error = received.error();
            if (error.kind() == ErrorKind::Overrun)
                m_losses.add(LossReason::KernelOverrun, 1);
            else if (error.kind() != ErrorKind::Interrupted) {
                stop(StopReason::RuntimeError, error.message());
                break;
            }
            continue;
        }
        const auto batch = received.value();
        m_losses.add(LossReason::TruncatedDatagram, batch.truncated);
        for (std::size_t i = 0; i < batch.received; ++i)
            handleDatagram(m_batch[i].bytes, m_batch[i].senderPid);
        taken += batch.received + batch.truncated;
        if (batch.received + batch.truncated < m_batch.size())
            break; // drained
    }
    // Enrich right after the batch: the sooner /proc is read, the more often the process
    // is still there; reading only after draining keeps the kernel queue short.
    for (const auto& process : m_enricher.takeReady())
        write(process);
    // After the events: a task's figures then follow its fork (readers wait for it anyway).
    // Once unsubscribed, figures wait until the connector is empty: only then is it known
    // which exits made it into the capture.
    if (!m_unsubscribed)
        drainCosts();
    countUnpairedCosts(false);
    reportLosses();
    return taken;
}

bool CaptureLoop::drainCosts()
{
    if (!m_costs)
        return true;
    for (std::size_t round = 0; round < kBatchDatagrams / m_costBatch.size(); ++round) {
        auto received = m_costs->receiveMany(m_costBuffer, m_costBatch);
        if (!received) {
            const Error& error = received.error();
            if (error.kind() == ErrorKind::Overrun)
                m_losses.add(LossReason::CostOverrun, 1);
            else if (error.kind() != ErrorKind::Interrupted)
                stop(StopReason::RuntimeError, error.message());
            continue;
        }
        const DatagramBatch batch = received.value();
        m_losses.add(LossReason::TruncatedDatagram, batch.truncated);
        const std::uint64_t now = ProcReader::monotonicNowNs();
        for (std::size_t i = 0; i < batch.received; ++i)
            handleCostDatagram(m_costBatch[i], now);
        if (batch.received + batch.truncated < m_costBatch.size())
            return true;
    }
    return false;
}

void CaptureLoop::handleCostDatagram(const Datagram& datagram, std::uint64_t nowNs)
{
    const auto parsed = parseTaskstats(datagram.bytes, m_costs->familyId(), datagram.senderPid);
    if (!parsed) {
        m_losses.add(parsed.error().kind() == ErrorKind::SpoofedSender ? LossReason::SpoofedSender : LossReason::MalformedMessage, 1);
        return;
    }
    if (parsed.value().kind != TaskstatsMessage::Kind::Figures)
        return;
    const TaskFigures& figures = parsed.value().figures;
    // After the unsubscribe, only figures whose exit made it into the capture belong to it.
    if (m_unsubscribed && !(m_pairCosts && m_costMatcher.exitWaiting(figures.pid)))
        return;
    // Output-buffer loss counts events; figures refused there are an exit without its figures.
    write(capture::TaskCostRecord { figures.groupEnded ? capture::cost_flags::kGroupEnded : std::uint16_t { 0 }, nowNs, figures }, false,
        LossReason::ExitWithoutCost);
    if (m_pairCosts)
        m_costMatcher.figuresSeen(figures.pid, nowNs);
}

void CaptureLoop::countUnpairedCosts(bool all)
{
    if (!m_pairCosts)
        return;
    const auto unpaired = m_costMatcher.expire(ProcReader::monotonicNowNs(), all);
    m_losses.add(LossReason::ExitWithoutCost, unpaired.exitsWithoutFigures);
    m_losses.add(LossReason::CostWithoutExit, unpaired.figuresWithoutExit);
}

// Processes still running at the end: what they cost so far, marked as such.
void CaptureLoop::writeRunningCosts()
{
    if (!m_costs)
        return;
    for (const std::uint32_t pid : m_proc.listProcesses()) {
        if (auto figures = m_proc.readCost(pid))
            write(capture::TaskCostRecord { capture::cost_flags::kRunning, ProcReader::monotonicNowNs(), std::move(*figures) }, false,
                LossReason::ExitWithoutCost);
    }
}

void CaptureLoop::drainExecTrigger()
{
    // Execs come one or two per wake-up: a short batch keeps each call cheap.
    const auto slots = std::span(m_batch).first(kTriggerBatch);
    while (true) {
        auto received = m_execTrigger->receiveMany(m_batchBuffer, slots);
        if (!received) {
            if (received.error().kind() == ErrorKind::Overrun)
                continue; // the main socket accounts for loss; this one only triggers enrichment
            return;
        }
        const auto batch = received.value();
        m_triggered.clear();
        for (std::size_t i = 0; i < batch.received; ++i) {
            DatagramParser parser(m_batch[i].bytes, m_batch[i].senderPid);
            Message message;
            while (parser.next(message)) {
                const auto* event = std::get_if<ProcEvent>(&message);
                const auto* exec = event ? std::get_if<ExecEvent>(&event->payload) : nullptr;
                if (exec)
                    m_triggered.push_back({ exec->pid, event->header.timestampNs });
            }
        }
        m_enricher.readEarly(m_triggered);
        if (batch.received + batch.truncated < slots.size())
            return;
    }
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
    auto status = m_output.flush();
    m_outputBlocked = !m_output.empty();
    if (!status) {
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

    LoopDescriptors loop;
    if (const auto error = loop.create(m_options.durationSeconds))
        stop(StopReason::RuntimeError, Error::os(*error, "setting up the event loop").message());
    loop.add(m_socket.fd(), EPOLLIN);
    // When every exit is captured, its figures are queued before its exit event (the kernel
    // sends them first): the connector's wake-up reads both, and the figures need no wake-up
    // of their own (which would double them at low rates).
    const bool costsWake = m_costs && !m_pairCosts;
    if (costsWake)
        loop.add(m_costs->fd(), EPOLLIN);
    if (m_execTrigger)
        loop.add(m_execTrigger->fd(), EPOLLIN);
    if (m_peerFd >= 0)
        loop.add(m_peerFd, EPOLLIN | EPOLLRDHUP);
    if (outputPollable && m_outputFd != m_peerFd)
        loop.add(m_outputFd, 0); // EPOLLOUT is switched on while the consumer lags

    if (m_trackSequence)
        forkOnEveryCpu();
    if (m_options.snapshot)
        takeSnapshot();
    drainConnector(kBatchDatagrams);
    flushOutput();

    using Clock = std::chrono::steady_clock;
    bool wantOutput = false;
    std::optional<Clock::time_point> flushDeadline;
    // Coalescing: after a drain, the main socket is left out of epoll until `listenAgainAt`,
    // so its events arrive in batches. Nothing else waits meanwhile (signals, peer, exec trigger).
    std::optional<Clock::time_point> listenAgainAt;
    const auto listenToConnector = [&](bool listen) {
        loop.modify(m_socket.fd(), listen ? EPOLLIN : 0u);
        if (costsWake) // figures come with exits: read in the same batches
            loop.modify(m_costs->fd(), listen ? EPOLLIN : 0u);
    };
    while (!m_stopReason) {
        // EPOLLOUT only while the consumer has not taken everything we tried to write.
        if (outputPollable && m_outputBlocked != wantOutput) {
            loop.modify(m_outputFd, (m_outputFd == m_peerFd ? EPOLLIN | EPOLLRDHUP : 0u) | (m_outputBlocked ? EPOLLOUT : 0u));
            wantOutput = m_outputBlocked;
        }
        const auto now = Clock::now();
        if (listenAgainAt && now >= *listenAgainAt) {
            listenToConnector(true);
            listenAgainAt.reset();
        }
        // Output is written in chunks: at once when much is pending, otherwise a little later.
        int waitMs = -1;
        const auto waitUntil = [&](Clock::time_point when) {
            const int ms = int(std::chrono::ceil<std::chrono::milliseconds>(when - now).count());
            waitMs = waitMs < 0 ? ms : std::min(waitMs, ms);
        };
        if (listenAgainAt)
            waitUntil(*listenAgainAt);
        if (!m_output.empty() && !m_outputBlocked) {
            if (!flushDeadline)
                flushDeadline = now + kFlushDelay;
            if (m_output.size() >= kFlushThreshold || now >= *flushDeadline) {
                flushOutput();
                flushDeadline.reset();
            } else {
                waitUntil(*flushDeadline);
            }
        }
        if (m_stopReason)
            break;
        epoll_event events[8];
        const int ready = ::epoll_wait(loop.epoll(), events, 8, waitMs);
        if (ready < 0 && errno != EINTR) {
            stop(StopReason::RuntimeError, Error::os(errno, "waiting for events").message());
            break;
        }
        for (int i = 0; i < ready; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_socket.fd() || (costsWake && fd == m_costs->fd())) {
                // Wait a little before the next wake-up so events come in batches: always when
                // the exec trigger enriches at once; otherwise only under load, because an exec
                // must be enriched before its process is gone.
                const std::size_t taken = drainConnector(kBatchDatagrams);
                if (m_coalesce.count() > 0 && (m_execTrigger || taken >= kCoalesceFromBatch)) {
                    listenToConnector(false);
                    listenAgainAt = Clock::now() + m_coalesce;
                }
            } else if (m_execTrigger && fd == m_execTrigger->fd()) {
                drainExecTrigger();
            } else if (fd == loop.signals()) {
                loop.drainSignals();
                stop(StopReason::Signal);
            } else if (fd == loop.timer()) {
                stop(StopReason::Duration);
            } else {
                const std::uint32_t what = events[i].events;
                if (fd == m_peerFd && (what & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                    // The peer sends nothing but EOF, or 'q' to ask for a stop; anything else is ignored.
                    char input[64];
                    const ssize_t n = ::read(m_peerFd, input, sizeof input);
                    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR) || (n > 0 && std::memchr(input, 'q', static_cast<std::size_t>(n))))
                        stop(StopReason::PeerClosed);
                }
                if (fd == m_outputFd && (what & EPOLLOUT))
                    flushOutput();
                if (fd == m_outputFd && fd != m_peerFd && (what & (EPOLLERR | EPOLLHUP))) {
                    m_peerGone = true;
                    stop(StopReason::PeerClosed);
                }
            }
        }
    }

    // Reveal loss at the end of the last burst, then stop the kernel's events before draining.
    if (m_trackSequence && m_stopReason != StopReason::RuntimeError) {
        forkOnEveryCpu();
        drainConnector(kBatchDatagrams);
    }
    drainCosts();
    (void)m_socket.unsubscribe();
    m_unsubscribed = true;
    for (std::size_t round = 0; round < 1000; ++round) {
        const std::uint64_t before = m_events;
        drainConnector(kBatchDatagrams);
        if (m_events == before)
            break;
    }
    for (std::size_t round = 0; round < 1000 && !drainCosts(); ++round) { }
    writeRunningCosts();
    countUnpairedCosts(true);
    // Descriptions still waiting for an exit event that never came.
    for (const auto& process : m_enricher.takeReady(true))
        write(process);
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
