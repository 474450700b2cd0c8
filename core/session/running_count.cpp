// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/running_count.h"

namespace procscope::session {

RunningCount::RunningCount(Lineage& lineage)
    : m_lineage(lineage)
{
    for (std::size_t id = 0; id < lineage.size(); ++id)
        recount(static_cast<NodeId>(id));
    m_lineage.addListener(this);
}

RunningCount::~RunningCount() { m_lineage.removeListener(this); }

void RunningCount::recount(NodeId node)
{
    if (node >= m_lineage.size())
        return;
    const ProcessNode& process = m_lineage.node(node);
    const bool running = process.running() && !process.placeholder;
    if (node >= m_counted.size())
        m_counted.resize(std::max<std::size_t>(node + 1, m_counted.size() * 2));
    if (m_counted[node] == running)
        return;
    m_counted[node] = running;
    if (running)
        ++m_count;
    else
        --m_count;
}

} // namespace procscope::session
