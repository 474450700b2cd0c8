// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/session.h"

#include "protocol/parser.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <type_traits>

namespace procscope::session {

// Clock arithmetic on values a file supplies: wide enough that no sum or difference overflows.
__extension__ typedef __int128 Wide;

using namespace protocol;

Session::Session(const std::string& spillDirectory)
    : m_events(spillDirectory)
    , m_lineage(m_strings)
    , m_costs(m_lineage)
{ }

bool Session::costsRecorded() const
{
    return (m_header && (m_header->flags & capture::header_flags::kCostsRecorded)) || m_costs.any();
}

std::uint64_t Session::totalLost() const
{
    return std::accumulate(m_losses.begin(), m_losses.end(), std::uint64_t { 0 });
}

void Session::noteDamagedRecord(const capture::DecodeError& error)
{
    m_damage.note(error);
}

void Session::noteDamage(const DamageTally& tally)
{
    for (const capture::DecodeError& error : tally.first)
        m_damage.note(error);
    m_damage.records += tally.records - tally.first.size();
}

void Session::apply(const capture::Record& record)
{
    if (m_skippingRingSnapshot) {
        const auto* process = std::get_if<capture::ProcessRecord>(&record);
        if (process && process->source == capture::ProcessSource::Snapshot)
            return;
        if (!std::holds_alternative<capture::HeaderRecord>(record))
            m_skippingRingSnapshot = false;
    }
    std::visit(
        [this](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, capture::HeaderRecord>) {
                applyHeader(r);
            } else if constexpr (std::is_same_v<T, capture::KernelEventRecord>) {
                applyEvent(r);
            } else if constexpr (std::is_same_v<T, capture::ProcessRecord>) {
                if (m_hosts[m_current].clockOffsetNs == 0) {
                    m_lineage.applyProcess(r);
                } else {
                    capture::ProcessRecord shifted = r;
                    shifted.startNs = onSessionClock(r.startNs);
                    shifted.observedNs = onSessionClock(r.observedNs);
                    shifted.eventTimestampNs = onSessionClock(r.eventTimestampNs);
                    m_lineage.applyProcess(shifted);
                }
            } else if constexpr (std::is_same_v<T, capture::LossRecord>) {
                applyLoss(r);
            } else if constexpr (std::is_same_v<T, capture::StatusRecord>) {
                m_statuses.push_back(r);
                m_statuses.back().timestampNs = onSessionClock(r.timestampNs);
                m_statusHosts.push_back(m_current);
            } else if constexpr (std::is_same_v<T, capture::TaskCostRecord>) {
                if (m_hosts[m_current].clockOffsetNs == 0) {
                    m_costs.apply(r);
                } else {
                    capture::TaskCostRecord shifted = r;
                    shifted.timestampNs = onSessionClock(r.timestampNs);
                    m_costs.apply(shifted);
                }
            } else if constexpr (std::is_same_v<T, capture::HostRecord>) {
                applyHost(r);
            } else if constexpr (std::is_same_v<T, capture::HostEndRecord>) {
                applyHostEnd(r);
            } else if constexpr (std::is_same_v<T, capture::RingFileRecord>) {
                applyRingFile(r);
            } else if constexpr (std::is_same_v<T, capture::TrailerRecord>) {
                m_hosts[m_current].trailer = r;
                m_hosts[m_current].trailer->timestampNs = onSessionClock(r.timestampNs);
                if (m_clockHost == m_current || !m_clockHost)
                    m_trailer = m_hosts[m_current].trailer;
            }
            // HostBytesRecord: a reader's business (capture::HostDemux), never a session's.
        },
        record);
}

void Session::storeRow(const StoredEvent& row, bool nonzeroExit)
{
    m_events.append(row);
    // Hosts' batches arrive one after another: the last row is not always the latest.
    m_latestEventNs = std::max<std::uint64_t>(m_latestEventNs, row.timestampNs);
    addRate(row.kind, row.timestampNs, nonzeroExit);
}

void Session::addRate(EventKind kind, std::uint64_t timestampNs, bool nonzeroExit)
{
    m_rates.add(kind, timestampNs, nonzeroExit);
    const std::uint8_t host = m_current;
    if (host == 0)
        return;
    if (m_otherHostRates.size() < host)
        m_otherHostRates.resize(host);
    auto& rates = m_otherHostRates[host - 1u];
    if (!rates) {
        rates = std::make_unique<Rates>();
        rates->setOrigin(m_rates.originNs()); // the same buckets as everyone's
    }
    rates->add(kind, timestampNs, nonzeroExit);
}

Rates::Resampled Session::resampleHost(
    std::uint8_t host, std::size_t windowBuckets, std::size_t maxPoints) const
{
    const std::size_t buckets = m_rates.bucketCount();
    if (host > 0) {
        const bool has = host <= m_otherHostRates.size() && m_otherHostRates[host - 1u];
        return has ? m_otherHostRates[host - 1u]->resample(windowBuckets, maxPoints, buckets)
                   : Rates().resample(windowBuckets, maxPoints, buckets);
    }
    Rates::Resampled first = m_rates.resample(windowBuckets, maxPoints);
    for (const auto& other : m_otherHostRates) {
        if (!other)
            continue;
        const Rates::Resampled theirs = other->resample(windowBuckets, maxPoints, buckets);
        for (std::size_t p = 0; p < first.points.size() && p < theirs.points.size(); ++p) {
            for (std::size_t k = 0; k < first.points[p].size(); ++k)
                first.points[p][k] -= theirs.points[p][k];
        }
    }
    return first;
}

std::uint64_t Session::onSessionClock(std::uint64_t ns) const
{
    const std::int64_t offset = m_hosts[m_current].clockOffsetNs;
    if (ns == 0 || offset == 0)
        return ns;
    // A process started long before this host's capture may land before the session's clock
    // began: it keeps the earliest time there is rather than becoming "unknown" (0).
    // 128 bits: a hostile file's values cannot overflow.
    const Wide shifted = static_cast<Wide>(ns) + offset;
    return shifted < 1 ? 1 : shifted > static_cast<Wide>(UINT64_MAX) ? UINT64_MAX : static_cast<std::uint64_t>(shifted);
}

void Session::applyHeader(const capture::HeaderRecord& header)
{
    SessionHost& host = m_hosts[m_current];
    host.header = header;
    if (host.label.empty())
        host.label = header.hostName;
    if (!m_clockHost) {
        m_clockHost = m_current;
        m_header = header;
        m_rates.setOrigin(header.monotonicNs);
        return;
    }
    // Wall clock = realtime + (ts - monotonic) on each host: the same instant on both clocks.
    const capture::HeaderRecord& reference = *m_hosts[*m_clockHost].header;
    const auto wallAtZero = [](const capture::HeaderRecord& h) { return static_cast<Wide>(h.realtimeNs) - static_cast<Wide>(h.monotonicNs); };
    // Clocks further apart than a century are a damaged header, not a machine: left unaligned.
    constexpr Wide kCentury = static_cast<Wide>(100) * 366 * 86'400 * 1'000'000'000LL;
    const Wide offset = wallAtZero(header) - wallAtZero(reference);
    host.clockOffsetNs = m_current == *m_clockHost || offset > kCentury || offset < -kCentury ? 0 : static_cast<std::int64_t>(offset);
}

void Session::applyHost(const capture::HostRecord& declared)
{
    if (declared.index >= capture::kMaxHosts)
        return;
    if (declared.index >= m_hosts.size())
        m_hosts.resize(declared.index + 1u);
    SessionHost& host = m_hosts[declared.index];
    if (!declared.label.empty())
        host.label = declared.label;
    if (!declared.address.empty())
        host.address = declared.address;
    m_current = static_cast<std::uint8_t>(declared.index);
    m_lineage.setHost(m_current);
}

void Session::applyRingFile(const capture::RingFileRecord& file)
{
    const std::uint64_t eventsNow = m_hosts[m_current].events;
    if (!m_lastRingFile) {
        // The first file read: what came before it was discarded (none for the ring's first).
        m_ring.ring = true;
        m_ring.firstFile = file.number;
        m_ring.events = file.eventsBefore;
        m_ring.byKind = file.kindsBefore;
    } else {
        // A later file: it continues the one before, unless files between are missing.
        const std::uint64_t expected = m_lastRingFile->eventsBefore + (eventsNow - m_eventsAtLastRingFile);
        if (file.eventsBefore > expected)
            m_ring.events += file.eventsBefore - expected;
        m_skippingRingSnapshot = true;
    }
    m_lastRingFile = file;
    m_eventsAtLastRingFile = eventsNow;
}

void Session::applyHostEnd(const capture::HostEndRecord& end)
{
    if (end.index >= m_hosts.size())
        return;
    m_hosts[end.index].end = end;
    if (end.reason != capture::HostEndReason::ConnectionLost || !m_clockHost)
        return;
    // Marked among the events where it happened: the viewer's wall clock on the session's clock.
    const capture::HeaderRecord& reference = *m_hosts[*m_clockHost].header;
    const Wide ts = static_cast<Wide>(end.realtimeNs) - static_cast<Wide>(reference.realtimeNs)
        + static_cast<Wide>(reference.monotonicNs);
    StoredEvent row;
    row.kind = EventKind::Loss;
    row.timestampNs = ts < 1 ? 1 : static_cast<std::uint64_t>(ts);
    row.cpu = kNoCpuRow;
    row.a = static_cast<std::uint32_t>(capture::LossReason::ConnectionLost);
    row.host = end.index & 31u;
    storeRow(row);
}

void Session::applyLoss(const capture::LossRecord& loss)
{
    const std::size_t reason = static_cast<std::size_t>(loss.reason) - 1;
    if (reason >= capture::kLossReasonCount)
        return; // only the session itself marks a lost connection
    m_losses[reason] += loss.count;
    m_hosts[m_current].losses[reason] += loss.count;
    StoredEvent row;
    row.kind = EventKind::Loss;
    row.timestampNs = onSessionClock(loss.timestampNs);
    row.cpu = loss.cpu == protocol::kNoCpu ? kNoCpuRow : static_cast<std::uint16_t>(loss.cpu);
    row.a = static_cast<std::uint32_t>(loss.reason);
    row.b = static_cast<std::uint32_t>(loss.count);
    row.c = static_cast<std::uint32_t>(loss.count >> 32);
    row.host = m_current & 31u;
    storeRow(row);
}

void Session::applyEvent(const capture::KernelEventRecord& record)
{
    const Message message = record.parse();
    const auto* event = std::get_if<ProcEvent>(&message);
    if (!event)
        return; // subscribe acks (ours and other programs') are not process activity
    StoredEvent row;
    row.timestampNs = onSessionClock(event->header.timestampNs);
    row.host = m_current & 31u;
    ++m_hosts[m_current].events;
    row.seq = event->header.seq;
    row.cpu = event->header.cpu >= kNoCpuRow ? kNoCpuRow
                                             : static_cast<std::uint16_t>(event->header.cpu);
    row.kind = eventKindOf(event->payload);
    std::visit(
        [&row](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>) {
                row.pid = e.childPid, row.tgid = e.childTgid, row.a = e.parentPid,
                row.b = e.parentTgid;
            } else if constexpr (std::is_same_v<T, UnknownEvent>) {
                row.a = e.what;
            } else {
                row.pid = e.pid, row.tgid = e.tgid;
                if constexpr (std::is_same_v<T, UidEvent>)
                    row.a = e.ruid, row.b = e.euid;
                else if constexpr (std::is_same_v<T, GidEvent>)
                    row.a = e.rgid, row.b = e.egid;
                else if constexpr (std::is_same_v<T, PtraceEvent>)
                    row.a = e.tracerPid, row.b = e.tracerTgid;
                else if constexpr (std::is_same_v<T, ExitEvent>) {
                    row.a = e.exitCode, row.b = static_cast<std::uint32_t>(e.exitSignal);
                    row.c = e.parentPid, row.d = e.parentTgid, row.flags = e.hasParent ? 1 : 0;
                } else if constexpr (std::is_same_v<T, CoredumpEvent>) {
                    row.c = e.parentPid, row.d = e.parentTgid, row.flags = e.hasParent ? 1 : 0;
                }
            }
        },
        event->payload);
    if (m_hosts[m_current].clockOffsetNs != 0) {
        ProcEvent shifted = *event; // the lineage dates processes by their events
        shifted.header.timestampNs = row.timestampNs;
        row.node = m_lineage.applyEvent(shifted, row);
    } else {
        row.node = m_lineage.applyEvent(*event, row);
    }
    storeRow(row, row.kind == EventKind::Exit && row.pid == row.tgid && row.a != 0);
}

const char* eventKindName(EventKind kind)
{
    static constexpr const char* kNames[kEventKindCount] = { "fork", "exec", "exit", "uid", "gid",
        "sid", "ptrace", "comm", "coredump", "unknown", "loss" };
    return kNames[static_cast<std::size_t>(kind)];
}

EventKind eventKindOf(const EventPayload& payload)
{
    return std::visit(
        [](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>)
                return EventKind::Fork;
            else if constexpr (std::is_same_v<T, ExecEvent>)
                return EventKind::Exec;
            else if constexpr (std::is_same_v<T, ExitEvent>)
                return EventKind::Exit;
            else if constexpr (std::is_same_v<T, UidEvent>)
                return EventKind::Uid;
            else if constexpr (std::is_same_v<T, GidEvent>)
                return EventKind::Gid;
            else if constexpr (std::is_same_v<T, SidEvent>)
                return EventKind::Sid;
            else if constexpr (std::is_same_v<T, PtraceEvent>)
                return EventKind::Ptrace;
            else if constexpr (std::is_same_v<T, CommEvent>)
                return EventKind::Comm;
            else if constexpr (std::is_same_v<T, CoredumpEvent>)
                return EventKind::Coredump;
            else
                return EventKind::Unknown;
        },
        payload);
}

} // namespace procscope::session
