// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "session/event_store.h"
#include "session/lineage.h"

#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

namespace procscope::session {

// What one process cost, its threads added up (peak memory is shared by them: the largest).
// Counters the kernel keeps in 64 bits but that no process reaches 2^32 of are kept in 32 (saturating).
struct ProcessCost {
    std::uint64_t userNs = 0;
    std::uint64_t systemNs = 0;
    std::uint64_t elapsedNs = 0;
    std::uint64_t maxRssBytes = 0;
    std::uint64_t maxVmBytes = 0;
    std::uint64_t readBytes = 0;
    std::uint64_t writeBytes = 0;
    std::uint64_t readChars = 0;
    std::uint64_t writeChars = 0;
    std::uint64_t cpuDelayNs = 0;
    std::uint64_t blkioDelayNs = 0;
    std::uint64_t swapinDelayNs = 0;
    std::uint64_t reclaimDelayNs = 0;
    std::uint32_t minorFaults = 0;
    std::uint32_t majorFaults = 0;
    std::uint32_t voluntarySwitches = 0;
    std::uint32_t involuntarySwitches = 0;
    std::uint16_t tasks = 0; // task records added (the leader and each thread)
    bool known = false; // at least one record
    bool complete = false; // the last thread's figures came: nothing more will be added
    bool running = false; // figures so far of a process running when the capture stopped

    std::uint64_t cpuNs() const { return userNs + systemNs; }
};

// A process and every descendant by fork lineage, summed (peak memory too: an upper bound of
// what the subtree held at once).
struct SubtreeCost {
    std::uint64_t cpuNs = 0;
    std::uint64_t maxRssBytes = 0;
    std::uint64_t readBytes = 0;
    std::uint64_t writeBytes = 0;
};

// What one process adds to each subtree it is in: its own CPU, peak memory, disk read and written.
SubtreeCost contribution(const ProcessCost& cost);

// Figures that could not be applied, by why.
struct CostTally {
    std::uint64_t records = 0;
    std::uint64_t unknownProcess = 0; // no process with that id in the capture (so far: see ProcessCosts)
    std::uint64_t duplicated = 0; // a second "last thread" record for one process
};

// Per-process cost from task cost records, and each subtree's total kept up to date as records
// arrive and as processes learn their parents: each change walks up the lineage once, so a live
// capture never recomputes the tree.
class ProcessCosts : public LineageListener {
public:
    explicit ProcessCosts(Lineage& lineage);
    ~ProcessCosts() override;
    ProcessCosts(const ProcessCosts&) = delete;
    ProcessCosts& operator=(const ProcessCosts&) = delete;

    // The process the record was about, or kNoNode. Figures may come before their process's
    // fork event (a process that lived less than the helper's batch): they wait for it, and
    // count as for an unknown process while they wait.
    NodeId apply(const capture::TaskCostRecord& record);

    bool any() const { return !m_own.empty(); }
    // nullptr when no figures came for `node`.
    const ProcessCost* own(NodeId node) const;
    SubtreeCost subtree(NodeId node) const;
    CostTally tally() const;
    std::size_t bytes() const;

    void nodeAdded(NodeId node) override;
    void nodeChanged(NodeId) override {}
    void childAdded(NodeId parent, NodeId child) override;

private:
    void grow();
    NodeId applyTo(NodeId node, const capture::TaskCostRecord& record, bool notify);
    // Adds `delta` (modulo 2^64, so a decrease is a wrapped negative) from `from` up to the root.
    void propagate(NodeId from, const SubtreeCost& delta, bool notify);

    Lineage& m_lineage;
    std::deque<ProcessCost> m_own; // per node, once any figures came
    std::deque<SubtreeCost> m_subtree;
    CostTally m_tally;
    static constexpr std::size_t kMaxWaiting = 1 << 16; // records; beyond, they count as unknown at once
    std::unordered_map<std::uint64_t, std::vector<capture::TaskCostRecord>> m_waiting; // by host and process id
    std::size_t m_waitingRecords = 0;
};

} // namespace procscope::session
