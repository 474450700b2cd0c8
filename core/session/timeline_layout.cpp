// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/timeline_layout.h"

#include "session/process_identity.h"

#include <algorithm>

namespace procscope::session {

void TimelineLayout::clear()
{
    m_lanes.clear();
    m_laneOf.clear();
    m_startOf.clear();
    m_running.clear();
    m_placed = 0;
}

bool TimelineLayout::fits(const Lane& lane, std::uint64_t start, std::uint64_t end) const
{
    // Bars in a lane do not overlap, so only the neighbours of `start` can collide.
    auto next = lane.lower_bound(start);
    if (next != lane.end() && next->first < end)
        return false;
    if (next != lane.begin() && std::prev(next)->second.endNs > start)
        return false;
    return true;
}

void TimelineLayout::place(const Lineage& lineage, NodeId id, std::uint64_t originNs)
{
    const ProcessNode& node = lineage.node(id);
    const bool parentSkipped = node.parent != kNoNode && node.parent < m_laneOf.size() && m_laneOf[node.parent] == kSkipped;
    const bool kernelThreads = m_skipKernelThreads && isKernelThreadsRoot(node);
    if (parentSkipped || kernelThreads || id == m_skippedRoot) {
        m_laneOf[id] = kSkipped;
        return;
    }
    const std::uint64_t start = node.startNs && node.startNs >= originNs ? node.startNs : originNs;
    const std::uint64_t end = node.running() ? kOpenEnd : std::max(node.endNs, start + 1);
    const std::uint32_t parentLane = node.parent != kNoNode && node.parent < m_laneOf.size() ? m_laneOf[node.parent] : kNoLane;
    std::size_t lane = parentLane == kNoLane ? 0 : parentLane + 1;
    const std::size_t last = std::min(m_lanes.size(), lane + kSearchLanes);
    while (lane < last && !fits(m_lanes[lane], start, end))
        ++lane;
    if (lane >= m_lanes.size() || !fits(m_lanes[lane], start, end)) {
        lane = m_lanes.size();
        m_lanes.emplace_back();
    }
    m_lanes[lane].emplace(start, Bar { end, id });
    m_laneOf[id] = static_cast<std::uint32_t>(lane);
    m_startOf[id] = start;
    if (end == kOpenEnd)
        m_running.push_back(id);
}

bool TimelineLayout::update(const Lineage& lineage, std::uint64_t originNs, std::size_t budget)
{
    // Bars that were open and have ended since: shorten them, freeing the rest of their lane.
    std::erase_if(m_running, [&](NodeId id) {
        const ProcessNode& node = lineage.node(id);
        if (node.running())
            return false;
        Lane& lane = m_lanes[m_laneOf[id]];
        const auto it = lane.find(m_startOf[id]);
        if (it != lane.end() && it->second.node == id)
            it->second.endNs = std::max(node.endNs, it->first + 1);
        return true;
    });
    const std::size_t count = lineage.size();
    m_laneOf.resize(count, kNoLane);
    m_startOf.resize(count, 0);
    std::vector<NodeId> chain;
    std::size_t placed = 0;
    NodeId first = static_cast<NodeId>(m_placed);
    for (; first < count && placed < budget; ++first) {
        // A parent is placed before its children, even when it became known after them (a
        // snapshot lists children with lower pids first): walk up to the first placed ancestor.
        chain.clear();
        for (NodeId at = first; at != kNoNode && at < count && m_laneOf[at] == kNoLane && chain.size() < 4096; at = lineage.node(at).parent) {
            if (std::find(chain.begin(), chain.end(), at) != chain.end())
                break; // a damaged capture's cycle
            chain.push_back(at);
        }
        for (auto it = chain.rbegin(); it != chain.rend(); ++it)
            place(lineage, *it, originNs);
        placed += chain.size();
    }
    m_placed = first;
    return m_placed == count;
}

} // namespace procscope::session
