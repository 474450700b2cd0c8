// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/cost_matcher.h"

#include <iterator>

namespace procscope::helper {

void CostMatcher::pair(Waiting& other, Waiting& mine, std::uint32_t tid, std::uint64_t nowNs)
{
    if (const auto it = other.find(tid); it != other.end()) {
        if (--it->second.count == 0)
            other.erase(it);
        return;
    }
    Entry& entry = mine[tid];
    if (entry.count++ == 0)
        entry.firstSeenNs = nowNs;
}

std::uint64_t CostMatcher::expireFrom(Waiting& waiting, std::uint64_t before, bool all)
{
    std::uint64_t expired = 0;
    for (auto it = waiting.begin(); it != waiting.end();) {
        if (all || it->second.firstSeenNs < before) {
            expired += it->second.count;
            it = waiting.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

CostMatcher::Unpaired CostMatcher::expire(std::uint64_t nowNs, bool all)
{
    // Sweeping walks everything waiting: at most a few times per grace period.
    if (!all && nowNs - m_lastSweepNs < m_graceNs / 4)
        return {};
    m_lastSweepNs = nowNs;
    const std::uint64_t before = nowNs > m_graceNs ? nowNs - m_graceNs : 0;
    return { expireFrom(m_exits, before, all), expireFrom(m_figures, before, all) };
}

} // namespace procscope::helper
