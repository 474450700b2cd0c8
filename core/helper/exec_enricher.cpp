// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/exec_enricher.h"

#include <algorithm>

namespace procscope::helper {

namespace readable = capture::readable;

ExecEnricher::Described ExecEnricher::describe(std::uint32_t pid, std::uint64_t timestampNs) const
{
    Described described;
    described.record = m_proc.readArgv(pid, timestampNs, described.missing);
    m_proc.readRest(described.record, described.missing);
    described.readNs = described.record.observedNs;
    return described;
}

void ExecEnricher::readEarly(std::span<const Exec> execs)
{
    // Every argv of the batch first: the next process may be exiting while we read the others.
    m_batch.clear();
    for (const Exec& exec : execs) {
        Described described;
        described.record = m_proc.readArgv(exec.pid, exec.timestampNs, described.missing);
        m_batch.push_back(std::move(described));
    }
    for (Described& described : m_batch) {
        m_proc.readRest(described.record, described.missing);
        described.readNs = described.record.observedNs;
        const Key key { described.record.pid, described.record.eventTimestampNs };
        m_early.insert_or_assign(key, std::move(described));
    }
    m_batch.clear();
}

bool ExecEnricher::exitSeen(const capture::ProcessRecord& record) const
{
    return std::any_of(m_exits.begin(), m_exits.end(),
        [&](const Exec& exit) { return exit.pid == record.pid && exit.timestampNs >= record.eventTimestampNs; });
}

void ExecEnricher::settle(Described&& described, std::vector<capture::ProcessRecord>& ready, bool final, std::uint64_t nowNs)
{
    capture::ProcessRecord& record = described.record;
    const bool gone = described.missing == ArgvMissing::Gone;
    const bool exiting = described.missing == ArgvMissing::Exiting;
    if (gone || exiting) {
        if (m_exitsCaptured && exitSeen(record)) {
            record.readable |= readable::kExitedBeforeRead; // and its exit event is in the stream, before this
        } else if (m_exitsCaptured && !final && described.readNs + kExitWaitNs > nowNs) {
            m_waiting.push_back(std::move(described)); // its exit event is on its way
            return;
        } else if (gone) {
            record.readable |= readable::kExitedBeforeRead; // /proc/PID is gone: it exited, the exit event was lost or not asked for
        } else {
            // An empty command line and no exit: a process that emptied its own, or an exit
            // lost or not asked for. What was read is an empty argv; say no more.
            record.readable |= readable::kArgv;
        }
    }
    ready.push_back(std::move(record));
}

std::vector<capture::ProcessRecord> ExecEnricher::takeReady(bool final)
{
    std::vector<capture::ProcessRecord> ready;
    const std::uint64_t now = ProcReader::monotonicNowNs();
    if (!m_waiting.empty()) {
        auto waiting = std::move(m_waiting);
        m_waiting.clear();
        for (Described& described : waiting)
            settle(std::move(described), ready, final, now);
    }
    for (const Exec& exec : m_written) {
        const auto early = m_early.find(Key { exec.pid, exec.timestampNs });
        if (early != m_early.end()) {
            settle(std::move(early->second), ready, final, now);
            m_early.erase(early);
        } else {
            settle(describe(exec.pid, exec.timestampNs), ready, final, now);
        }
    }
    m_written.clear();
    // An exec the main socket lost still has its description: deliver it rather than drop it.
    constexpr std::uint64_t kOrphanAfterNs = 2'000'000'000;
    for (auto it = m_early.begin(); it != m_early.end();) {
        if (it->second.readNs + kOrphanAfterNs < now) {
            settle(std::move(it->second), ready, true, now);
            it = m_early.erase(it);
        } else {
            ++it;
        }
    }
    m_exits.clear();
    return ready;
}

} // namespace procscope::helper
