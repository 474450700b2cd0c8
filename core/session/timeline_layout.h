// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/lineage.h"
#include "session/paged_array.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace procscope::session {

// Lanes for the lifetime timeline: every process a bar from its start to its end (running ones
// to the end of time), in a lane below its parent's, in the first lane from there where it
// overlaps no other bar. Children thus sit near their parent and a lane never holds two bars
// at once. Incremental: update() places only the processes that appeared since the last call
// and shortens the bars of those that ended, so a live capture costs what it adds.
// A capture of several machines has a band of lanes per host, in host order, each opened by an
// empty header lane where the view names the host: pids of two machines never share a lane.
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
    // Leaves out these nodes and everything under them (each host's capture helper, say).
    // Applies to what is placed from then on (clear() to redo).
    void setSkippedRoots(std::vector<NodeId> roots) { m_skippedRoots = std::move(roots); }
    void clear();

    // Lanes of all bands, header lanes included (an empty Lane).
    std::size_t laneCount() const;
    std::size_t placedCount() const { return m_placed; } // nodes considered so far, in node order
    const Lane& lane(std::size_t index) const;
    // The host whose band a header lane opens, or -1 for a lane that is not a header.
    int headerOf(std::size_t index) const;
    // kNoLane for a node not laid out (yet, or skipped).
    std::uint32_t laneOf(NodeId node) const;
    std::uint64_t startOf(NodeId node) const { return m_startOf.get(node); }
    static constexpr std::uint32_t kNoLane = 0xFFFFFFFF;

private:
    // Per node: 0 not placed (yet), kSkippedSlot left out, else its lane in its band plus one.
    static constexpr std::uint32_t kUnplacedSlot = 0;
    static constexpr std::uint32_t kSkippedSlot = 0xFFFFFFFF;
    bool fits(const Lane& lane, std::uint64_t start, std::uint64_t end) const;
    void place(const Lineage& lineage, NodeId id, std::uint64_t originNs);
    bool isUnplaced(NodeId id) const { return m_slots.get(id) == kUnplacedSlot; }
    bool withHeaders() const { return m_usedBands > 1; }
    std::size_t bandStart(std::uint8_t host) const; // global index of the band's first lane

    std::vector<std::vector<Lane>> m_bands; // by host; lanes within a band are local
    std::size_t m_usedBands = 0; // bands holding at least one lane
    // Paged, grown as nodes are placed: the first slice of a capture of millions of processes
    // would otherwise spend 100 ms clearing arrays for all of them.
    PagedArray<std::uint32_t> m_slots;
    PagedArray<std::uint8_t> m_hostOf;
    PagedArray<std::uint64_t> m_startOf;
    std::vector<NodeId> m_running; // placed with an open end
    std::size_t m_placed = 0;
    bool m_skipKernelThreads = false;
    std::vector<NodeId> m_skippedRoots;
};

} // namespace procscope::session
