// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace procscope::ui {

// The processes that changed since a model's last update, each once. A storm changes each
// process three or four times between updates: a mark per process keeps the list free of
// repeats at the cost of one bit per process (a hash set cost more than the update itself).
class ChangedNodes {
public:
    void add(session::NodeId node)
    {
        if (node >= m_marked.size())
            m_marked.resize(std::max<std::size_t>(node + 1, 2 * m_marked.size()));
        if (m_marked[node])
            return;
        m_marked[node] = true;
        m_nodes.push_back(node);
    }
    // Each once, in the order they first changed; the list starts afresh.
    std::vector<session::NodeId> take()
    {
        for (const session::NodeId node : m_nodes)
            m_marked[node] = false;
        return std::exchange(m_nodes, {});
    }
    void clear()
    {
        m_nodes.clear();
        m_marked.clear();
    }

private:
    std::vector<session::NodeId> m_nodes;
    std::vector<bool> m_marked;
};

} // namespace procscope::ui
