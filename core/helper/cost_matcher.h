// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <unordered_map>

namespace procscope::helper {

// Pairs each task's exit event (connector) with its figures (taskstats). The two come on
// different sockets in either order; what stays unpaired longer than a grace period is lost.
class CostMatcher {
public:
    explicit CostMatcher(std::uint64_t graceNs)
        : m_graceNs(graceNs)
    {
    }

    void exitSeen(std::uint32_t tid, std::uint64_t nowNs) { pair(m_figures, m_exits, tid, nowNs); }
    void figuresSeen(std::uint32_t tid, std::uint64_t nowNs) { pair(m_exits, m_figures, tid, nowNs); }

    struct Unpaired {
        std::uint64_t exitsWithoutFigures = 0;
        std::uint64_t figuresWithoutExit = 0;
    };
    // Takes what has waited longer than the grace period (everything when `all`).
    Unpaired expire(std::uint64_t nowNs, bool all = false);
    std::size_t waiting() const { return m_exits.size() + m_figures.size(); }
    bool exitWaiting(std::uint32_t tid) const { return m_exits.contains(tid); }

private:
    struct Entry {
        std::uint64_t firstSeenNs = 0;
        std::uint32_t count = 0; // a pid can exit twice (exec from a non-leader thread)
    };
    using Waiting = std::unordered_map<std::uint32_t, Entry>;
    static void pair(Waiting& other, Waiting& mine, std::uint32_t tid, std::uint64_t nowNs);
    static std::uint64_t expireFrom(Waiting& waiting, std::uint64_t before, bool all);

    std::uint64_t m_graceNs;
    Waiting m_exits;
    Waiting m_figures;
    std::uint64_t m_lastSweepNs = 0;
};

} // namespace procscope::helper
