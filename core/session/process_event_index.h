// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <cstdint>
#include <vector>

namespace procscope::session {

// Each process's own events, in capture order, without scanning the whole capture for one
// process: a chain through the event rows (4 bytes a row) and the first and last row of each
// process. Built by whoever needs it, extended with the rows a live capture adds since.
class ProcessEventIndex {
public:
    static constexpr std::uint32_t kNone = UINT32_MAX;

    // Indexes the rows `session` gained since the last call (all of them the first time).
    void catchUp(const Session& session);
    void clear();

    std::uint32_t first(NodeId node) const { return node < m_first.size() ? m_first[node] : kNone; }
    std::uint32_t next(std::uint32_t row) const { return row < m_next.size() ? m_next[row] : kNone; }
    std::size_t indexedRows() const { return m_next.size(); }

    // Calls `visit(row)` for each of the process's events, oldest first, until it returns false.
    template <typename Visit>
    void forEach(NodeId node, Visit visit) const
    {
        for (std::uint32_t row = first(node); row != kNone; row = next(row)) {
            if (!visit(std::size_t(row)))
                return;
        }
    }

private:
    std::vector<std::uint32_t> m_next; // per event row: the same process's next row
    std::vector<std::uint32_t> m_first; // per process
    std::vector<std::uint32_t> m_last; // per process
};

} // namespace procscope::session
