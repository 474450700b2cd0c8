// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/lineage.h"

#include <cstdint>
#include <map>
#include <vector>

namespace procscope::session {

// Lanes for the lifetime timeline: every process a bar from its start to its end (running ones
// to the end of time), in a lane below its parent's, in the first lane from there where it
// overlaps no other bar. Children thus sit near their parent and a lane never holds two bars
// at once. Incremental: update() places only the processes that appeared since the last call
// and shortens the bars of those that ended, so a live capture costs what it adds.
class TimelineLayout {
public:
    static constexpr std::uint64_t kOpenEnd = ~std::uint64_t { 0 };
    // How far below its parent a process is looked for a free lane before a new lane is added.
    static constexpr std::size_t kSearchLanes = 48;

    struct Bar {
        std::uint64_t endNs; // kOpenEnd while running
        NodeId node;
    };
    using Lane = std::map<std::uint64_t, Bar>; // by start

    // `originNs`: where bars of processes with no known start begin (the capture's start).
    // Places at most about `budget` new processes (a caller that must stay responsive lays out a
    // large capture over several calls); true when every process is placed.
    bool update(const Lineage& lineage, std::uint64_t originNs, std::size_t budget = ~std::size_t { 0 });
    // Leaves out the kernel's threads (kthreadd, pid 2, and everything under it): in a capture
    // that began with a snapshot they are dozens of bars as long as the capture, above the
    // processes people look for. Applies to what is placed from then on (clear() to redo).
    void setSkipKernelThreads(bool skip) { m_skipKernelThreads = skip; }
    // Leaves out this node and everything under it (the capture helper's own process, say);
    // kNoNode for none. Applies to what is placed from then on (clear() to redo).
    void setSkippedRoot(NodeId root) { m_skippedRoot = root; }
    void clear();

    std::size_t laneCount() const { return m_lanes.size(); }
    std::size_t placedCount() const { return m_placed; } // nodes considered so far, in node order
    const Lane& lane(std::size_t index) const { return m_lanes[index]; }
    // kNoLane for a node not laid out (yet, or skipped).
    std::uint32_t laneOf(NodeId node) const { return node < m_laneOf.size() && m_laneOf[node] != kSkipped ? m_laneOf[node] : kNoLane; }
    std::uint64_t startOf(NodeId node) const { return node < m_startOf.size() ? m_startOf[node] : 0; }
    static constexpr std::uint32_t kNoLane = 0xFFFFFFFF;

private:
    static constexpr std::uint32_t kSkipped = 0xFFFFFFFE;
    bool fits(const Lane& lane, std::uint64_t start, std::uint64_t end) const;
    void place(const Lineage& lineage, NodeId id, std::uint64_t originNs);

    std::vector<Lane> m_lanes;
    std::vector<std::uint32_t> m_laneOf;
    std::vector<std::uint64_t> m_startOf;
    std::vector<NodeId> m_running; // placed with an open end
    std::size_t m_placed = 0;
    bool m_skipKernelThreads = false;
    NodeId m_skippedRoot = kNoNode;
};

} // namespace procscope::session
