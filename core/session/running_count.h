// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/lineage.h"

#include <cstddef>
#include <vector>

namespace procscope::session {

// How many processes run now, kept up to date as the lineage changes: counting them afresh on
// every status update walked millions of nodes while a large capture loaded.
// A placeholder (a process known only by its pid) is not counted.
class RunningCount : public LineageListener {
public:
    explicit RunningCount(Lineage& lineage);
    ~RunningCount() override;
    RunningCount(const RunningCount&) = delete;
    RunningCount& operator=(const RunningCount&) = delete;

    std::size_t count() const { return m_count; }

    void nodeAdded(NodeId node) override { recount(node); }
    void nodeChanged(NodeId node) override { recount(node); }
    void childAdded(NodeId, NodeId) override { }

private:
    void recount(NodeId node);

    Lineage& m_lineage;
    std::vector<bool> m_counted; // per node: counted as running
    std::size_t m_count = 0;
};

} // namespace procscope::session
