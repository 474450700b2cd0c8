// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/timeline_layout.h"

#include "session/process_identity.h"

#include <algorithm>
#include <utility>

namespace procscope::session {

void TimelineLayout::clear()
{
    m_bands.clear();
    m_usedBands = 0;
    m_slots.clear();
    m_hostOf.clear();
    m_startOf.clear();
    m_running.clear();
    m_placed = 0;
}

std::size_t TimelineLayout::bandStart(std::uint8_t host) const
{
    std::size_t start = 0;
    for (std::size_t h = 0; h < host && h < m_bands.size(); ++h)
        start += m_bands[h].empty() ? 0 : m_bands[h].size() + (withHeaders() ? 1 : 0);
    return start + (withHeaders() ? 1 : 0);
}

std::size_t TimelineLayout::laneCount() const
{
    std::size_t count = 0;
    for (const auto& band : m_bands)
        count += band.empty() ? 0 : band.size() + (withHeaders() ? 1 : 0);
    return count;
}

namespace {

// Finds the band and lane within it of a global lane index; lane -1 for a header lane.
template<typename Bands>
std::pair<std::size_t, long> locate(const Bands& bands, std::size_t index, bool headers)
{
    for (std::size_t h = 0; h < bands.size(); ++h) {
        if (bands[h].empty())
            continue;
        const std::size_t size = bands[h].size() + (headers ? 1 : 0);
        if (index < size)
            return { h, headers ? long(index) - 1 : long(index) };
        index -= size;
    }
    return { bands.size(), -1 };
}

} // namespace

const TimelineLayout::Lane& TimelineLayout::lane(std::size_t index) const
{
    static const Lane kEmpty;
    const auto [band, local] = locate(m_bands, index, withHeaders());
    return band < m_bands.size() && local >= 0 ? m_bands[band][std::size_t(local)] : kEmpty;
}

int TimelineLayout::headerOf(std::size_t index) const
{
    if (!withHeaders())
        return -1;
    const auto [band, local] = locate(m_bands, index, true);
    return band < m_bands.size() && local < 0 ? int(band) : -1;
}

std::uint32_t TimelineLayout::laneOf(NodeId node) const
{
    const std::uint32_t slot = m_slots.get(node);
    if (slot == kUnplacedSlot || slot == kSkippedSlot)
        return kNoLane;
    return static_cast<std::uint32_t>(bandStart(m_hostOf.get(node)) + slot - 1);
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
    const bool parentSkipped = node.parent != kNoNode && m_slots.get(node.parent) == kSkippedSlot;
    const bool kernelThreads = m_skipKernelThreads && isKernelThreadsRoot(node);
    const bool skippedRoot = std::find(m_skippedRoots.begin(), m_skippedRoots.end(), id) != m_skippedRoots.end();
    if (parentSkipped || kernelThreads || skippedRoot) {
        m_slots.at(id) = kSkippedSlot;
        return;
    }
    const std::uint64_t start = node.startNs && node.startNs >= originNs ? node.startNs : originNs;
    const std::uint64_t end = node.running() ? kOpenEnd : std::max(node.endNs, start + 1);
    if (m_bands.size() <= node.host)
        m_bands.resize(node.host + 1u);
    std::vector<Lane>& lanes = m_bands[node.host];
    // Lineage keeps pids per host, so a parent is on the same host; a damaged file's is ignored.
    const std::uint32_t parentSlot = node.parent != kNoNode ? m_slots.get(node.parent) : kUnplacedSlot;
    const bool parentHere = parentSlot != kUnplacedSlot && parentSlot != kSkippedSlot && m_hostOf.get(node.parent) == node.host;
    const std::uint32_t parentLane = parentHere ? parentSlot - 1 : kNoLane;
    std::size_t lane = parentLane == kNoLane ? 0 : parentLane + 1;
    const std::size_t last = std::min(lanes.size(), lane + kSearchLanes);
    while (lane < last && !fits(lanes[lane], start, end))
        ++lane;
    if (lane >= lanes.size() || !fits(lanes[lane], start, end)) {
        lane = lanes.size();
        if (lanes.empty())
            ++m_usedBands;
        lanes.emplace_back();
    }
    lanes[lane].emplace(start, Bar { end, id });
    m_slots.at(id) = static_cast<std::uint32_t>(lane) + 1;
    m_hostOf.at(id) = node.host;
    m_startOf.at(id) = start;
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
        Lane& lane = m_bands[m_hostOf.get(id)][m_slots.get(id) - 1];
        const auto it = lane.find(m_startOf.get(id));
        if (it != lane.end() && it->second.node == id)
            it->second.endNs = std::max(node.endNs, it->first + 1);
        return true;
    });
    const std::size_t count = lineage.size();
    std::vector<NodeId> chain;
    std::size_t placed = 0;
    NodeId first = static_cast<NodeId>(m_placed);
    for (; first < count && placed < budget; ++first) {
        // A parent is placed before its children, even when it became known after them (a
        // snapshot lists children with lower pids first): walk up to the first placed ancestor.
        chain.clear();
        for (NodeId at = first; at != kNoNode && at < count && isUnplaced(at) && chain.size() < 4096; at = lineage.node(at).parent) {
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
