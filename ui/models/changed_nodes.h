// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace procscope::ui {

// The processes that changed since a model's last update. A list with repeats costs less to
// add to than a set (a storm changes each process three or four times between updates); it is
// compacted as it doubles, so it never holds much more than one entry per changed process.
class ChangedNodes {
public:
    void add(session::NodeId node)
    {
        m_nodes.push_back(node);
        if (m_nodes.size() >= m_compactAt) {
            compact();
            m_compactAt = std::max(kFirstCompact, 2 * m_nodes.size());
        }
    }
    // Sorted, each once; the list starts afresh.
    std::vector<session::NodeId> take()
    {
        compact();
        m_compactAt = kFirstCompact;
        return std::exchange(m_nodes, {});
    }
    void clear()
    {
        m_nodes.clear();
        m_compactAt = kFirstCompact;
    }

private:
    static constexpr std::size_t kFirstCompact = 1 << 16;
    void compact()
    {
        std::sort(m_nodes.begin(), m_nodes.end());
        m_nodes.erase(std::unique(m_nodes.begin(), m_nodes.end()), m_nodes.end());
    }
    std::vector<session::NodeId> m_nodes;
    std::size_t m_compactAt = kFirstCompact;
};

} // namespace procscope::ui
