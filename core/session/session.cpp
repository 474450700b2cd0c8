// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/session.h"

#include "protocol/parser.h"

#include <numeric>
#include <type_traits>

namespace procscope::session {

using namespace protocol;

Session::Session(const std::string& spillDirectory)
    : m_events(spillDirectory)
    , m_lineage(m_strings)
    , m_costs(m_lineage)
{
}

bool Session::costsRecorded() const
{
    return (m_header && (m_header->flags & capture::header_flags::kCostsRecorded)) || m_costs.any();
}

std::uint64_t Session::totalLost() const
{
    return std::accumulate(m_losses.begin(), m_losses.end(), std::uint64_t { 0 });
}

void Session::noteDamagedRecord(const capture::DecodeError& error) { m_damage.note(error); }

void Session::noteDamage(const DamageTally& tally)
{
    for (const capture::DecodeError& error : tally.first)
        m_damage.note(error);
    m_damage.records += tally.records - tally.first.size();
}

void Session::apply(const capture::Record& record)
{
    std::visit(
        [this](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, capture::HeaderRecord>) {
                m_header = r;
                m_rates.setOrigin(r.monotonicNs);
            } else if constexpr (std::is_same_v<T, capture::KernelEventRecord>) {
                applyEvent(r);
            } else if constexpr (std::is_same_v<T, capture::ProcessRecord>) {
                m_lineage.applyProcess(r);
            } else if constexpr (std::is_same_v<T, capture::LossRecord>) {
                m_losses[static_cast<std::size_t>(r.reason) - 1] += r.count;
                StoredEvent row;
                row.kind = EventKind::Loss;
                row.timestampNs = r.timestampNs;
                row.cpu = r.cpu == protocol::kNoCpu ? kNoCpuRow : static_cast<std::uint16_t>(r.cpu);
                row.a = static_cast<std::uint32_t>(r.reason);
                row.b = static_cast<std::uint32_t>(r.count);
                row.c = static_cast<std::uint32_t>(r.count >> 32);
                m_events.append(row);
                m_rates.add(EventKind::Loss, r.timestampNs);
            } else if constexpr (std::is_same_v<T, capture::StatusRecord>) {
                m_statuses.push_back(r);
            } else if constexpr (std::is_same_v<T, capture::TaskCostRecord>) {
                m_costs.apply(r);
            } else {
                m_trailer = r;
            }
        },
        record);
}

void Session::applyEvent(const capture::KernelEventRecord& record)
{
    const Message message = record.parse();
    const auto* event = std::get_if<ProcEvent>(&message);
    if (!event)
        return; // subscribe acks (ours and other programs') are not process activity
    StoredEvent row;
    row.timestampNs = event->header.timestampNs;
    row.seq = event->header.seq;
    row.cpu = event->header.cpu >= kNoCpuRow ? kNoCpuRow : static_cast<std::uint16_t>(event->header.cpu);
    row.kind = eventKindOf(event->payload);
    std::visit(
        [&row](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>) {
                row.pid = e.childPid, row.tgid = e.childTgid, row.a = e.parentPid, row.b = e.parentTgid;
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
    row.node = m_lineage.applyEvent(*event, row);
    m_events.append(row);
    m_rates.add(row.kind, row.timestampNs, row.kind == EventKind::Exit && row.pid == row.tgid && row.a != 0);
}

const char* eventKindName(EventKind kind)
{
    static constexpr const char* kNames[kEventKindCount] = { "fork", "exec", "exit", "uid", "gid", "sid",
        "ptrace", "comm", "coredump", "unknown", "loss" };
    return kNames[static_cast<std::size_t>(kind)];
}

EventKind eventKindOf(const EventPayload& payload)
{
    return std::visit(
        [](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>) return EventKind::Fork;
            else if constexpr (std::is_same_v<T, ExecEvent>) return EventKind::Exec;
            else if constexpr (std::is_same_v<T, ExitEvent>) return EventKind::Exit;
            else if constexpr (std::is_same_v<T, UidEvent>) return EventKind::Uid;
            else if constexpr (std::is_same_v<T, GidEvent>) return EventKind::Gid;
            else if constexpr (std::is_same_v<T, SidEvent>) return EventKind::Sid;
            else if constexpr (std::is_same_v<T, PtraceEvent>) return EventKind::Ptrace;
            else if constexpr (std::is_same_v<T, CommEvent>) return EventKind::Comm;
            else if constexpr (std::is_same_v<T, CoredumpEvent>) return EventKind::Coredump;
            else return EventKind::Unknown;
        },
        payload);
}

} // namespace procscope::session
