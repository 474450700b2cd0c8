// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

namespace procscope::capture {

// The processes running at the latest point of a capture stream, as its records say: each
// with its latest description (snapshot or exec enrichment) or, for a fork that has not
// exec'd, its parent's, which the child runs until it execs. A ring capture starts each of
// its files with them as snapshot records, so a process whose fork is in a file the ring
// discarded still has its parent, its name and its command line. Holds running processes
// only: what exits is forgotten.
class LiveProcesses
{
public:
    void note(const Record& record);
    // Forgets the processes `running` says are gone (their exit was lost, or not captured).
    void forgetGone(const std::function<bool(std::uint32_t)>& running);
    // Snapshot records of the running processes, observed at the latest event's time.
    std::vector<ProcessRecord> snapshot() const;
    std::size_t size() const { return m_running.size(); }
    // Process events seen (kernel event records other than subscribe acks), in total and by
    // kind (RingFileRecord's order).
    std::uint64_t events() const { return m_events; }
    const std::array<std::uint64_t, kRingEventKinds>& eventsByKind() const { return m_byKind; }

private:
    void noteEvent(const KernelEventRecord& event);
    void noteDescription(const ProcessRecord& process);

    std::unordered_map<std::uint32_t, ProcessRecord> m_running; // by tgid
    // Recent exits (tgid, time): a description read before the exit may come after it.
    static constexpr std::size_t kRecentExits = 4096;
    std::deque<std::pair<std::uint32_t, std::uint64_t>> m_recentExits;
    std::unordered_map<std::uint32_t, std::uint64_t> m_exitedAt;
    std::uint64_t m_latestNs = 0;
    std::uint64_t m_events = 0;
    std::array<std::uint64_t, kRingEventKinds> m_byKind {};
};

} // namespace procscope::capture
