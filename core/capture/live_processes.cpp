// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/live_processes.h"

#include "protocol/events.h"

#include <algorithm>
#include <type_traits>

namespace procscope::capture {

namespace {

// RingFileRecord's order: fork, exec, exit, uid, gid, sid, ptrace, comm, coredump, unknown.
template <typename T> constexpr std::size_t ringKindOf()
{
    using namespace protocol;
    if constexpr (std::is_same_v<T, ForkEvent>)
        return 0;
    else if constexpr (std::is_same_v<T, ExecEvent>)
        return 1;
    else if constexpr (std::is_same_v<T, ExitEvent>)
        return 2;
    else if constexpr (std::is_same_v<T, UidEvent>)
        return 3;
    else if constexpr (std::is_same_v<T, GidEvent>)
        return 4;
    else if constexpr (std::is_same_v<T, SidEvent>)
        return 5;
    else if constexpr (std::is_same_v<T, PtraceEvent>)
        return 6;
    else if constexpr (std::is_same_v<T, CommEvent>)
        return 7;
    else if constexpr (std::is_same_v<T, CoredumpEvent>)
        return 8;
    else
        return 9;
}

} // namespace

void LiveProcesses::note(const Record& record)
{
    if (const auto* event = std::get_if<KernelEventRecord>(&record))
        noteEvent(*event);
    else if (const auto* process = std::get_if<ProcessRecord>(&record))
        noteDescription(*process);
}

void LiveProcesses::noteEvent(const KernelEventRecord& record)
{
    const protocol::Message message = record.parse();
    const auto* event = std::get_if<protocol::ProcEvent>(&message);
    if (!event)
        return; // a subscribe ack: not process activity, and readers do not count it either
    ++m_events;
    if (event->header.timestampNs > m_latestNs)
        m_latestNs = event->header.timestampNs;
    std::visit(
        [&](const auto& payload) {
            using T = std::decay_t<decltype(payload)>;
            ++m_byKind[ringKindOf<T>()];
            if constexpr (std::is_same_v<T, protocol::ForkEvent>) {
                if (payload.isThread())
                    return;
                m_exitedAt.erase(payload.childTgid); // a pid used again
                ProcessRecord child;
                if (const auto parent = m_running.find(payload.parentTgid); parent != m_running.end())
                    child = parent->second; // what the child runs until it execs
                child.source = ProcessSource::Snapshot;
                child.readable = static_cast<std::uint16_t>(
                    (child.readable & ~(readable::kPpid | readable::kStartTime | readable::kExitedBeforeRead))
                    | readable::kPpid | readable::kStartTime);
                child.pid = child.tgid = payload.childTgid;
                child.ppid = payload.parentTgid;
                child.startNs = event->header.timestampNs;
                child.eventTimestampNs = 0;
                m_running[payload.childTgid] = std::move(child);
            } else if constexpr (std::is_same_v<T, protocol::ExitEvent>) {
                if (payload.pid != payload.tgid)
                    return;
                m_running.erase(payload.tgid);
                m_exitedAt[payload.tgid] = event->header.timestampNs;
                m_recentExits.emplace_back(payload.tgid, event->header.timestampNs);
                if (m_recentExits.size() > kRecentExits) {
                    const auto [tgid, at] = m_recentExits.front();
                    m_recentExits.pop_front();
                    if (const auto it = m_exitedAt.find(tgid); it != m_exitedAt.end() && it->second == at)
                        m_exitedAt.erase(it);
                }
            } else if constexpr (std::is_same_v<T, protocol::CommEvent>) {
                if (payload.pid != payload.tgid)
                    return;
                if (const auto it = m_running.find(payload.tgid); it != m_running.end()) {
                    it->second.comm = std::string(payload.name());
                    it->second.readable |= readable::kComm;
                }
            }
        },
        event->payload);
}

void LiveProcesses::noteDescription(const ProcessRecord& process)
{
    // A description of a process that had already gone follows its exit: it is not running.
    if (process.readable & readable::kExitedBeforeRead)
        return;
    const std::uint32_t tgid = process.tgid ? process.tgid : process.pid;
    // Read before its exit, written after it (the helper writes descriptions after each
    // batch of events): it describes a process that is gone.
    if (const auto exited = m_exitedAt.find(tgid); exited != m_exitedAt.end() && process.eventTimestampNs <= exited->second)
        return;
    ProcessRecord& kept = m_running[tgid];
    const std::uint32_t forkParent = kept.ppid;
    const std::uint64_t forkStart = kept.startNs;
    kept = process;
    kept.source = ProcessSource::Snapshot;
    kept.pid = kept.tgid = tgid;
    kept.eventTimestampNs = 0;
    // An exec description may lack what the fork already said.
    if (!(kept.readable & readable::kPpid) && forkParent != 0) {
        kept.ppid = forkParent;
        kept.readable |= readable::kPpid;
    }
    if (!(kept.readable & readable::kStartTime) && forkStart != 0) {
        kept.startNs = forkStart;
        kept.readable |= readable::kStartTime;
    }
}

void LiveProcesses::forgetGone(const std::function<bool(std::uint32_t)>& running)
{
    std::erase_if(m_running, [&running](const auto& entry) { return !running(entry.first); });
}

std::vector<ProcessRecord> LiveProcesses::snapshot() const
{
    std::vector<ProcessRecord> out;
    out.reserve(m_running.size());
    for (const auto& [tgid, process] : m_running) {
        out.push_back(process);
        out.back().observedNs = m_latestNs;
    }
    // Parents before children where pids allow it, and the same order every time.
    std::sort(out.begin(), out.end(), [](const ProcessRecord& a, const ProcessRecord& b) { return a.tgid < b.tgid; });
    return out;
}

} // namespace procscope::capture
