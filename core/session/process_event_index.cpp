// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/process_event_index.h"

namespace procscope::session {

void ProcessEventIndex::catchUp(const Session& session)
{
    const EventStore& events = session.events();
    const std::size_t end = std::min<std::size_t>(events.size(), kNone);
    m_next.reserve(end);
    for (std::size_t row = m_next.size(); row < end; ++row) {
        m_next.push_back(kNone);
        const NodeId node = events[row].node;
        if (node == kNoNode)
            continue;
        if (node >= m_first.size()) {
            m_first.resize(node + std::size_t(1), kNone);
            m_last.resize(node + std::size_t(1), kNone);
        }
        const auto here = static_cast<std::uint32_t>(row);
        if (m_first[node] == kNone)
            m_first[node] = here;
        else
            m_next[m_last[node]] = here;
        m_last[node] = here;
    }
}

void ProcessEventIndex::clear()
{
    m_next.clear();
    m_first.clear();
    m_last.clear();
}

} // namespace procscope::session
