// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "helper/proc_reader.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace procscope::helper {

// Describes exec'd processes from /proc as early as possible (a process that exits quickly
// takes its argv and exe with it), and hands the descriptions over in stream order: after the
// exec event they belong to.
class ExecEnricher {
public:
    explicit ExecEnricher(const ProcReader& proc)
        : m_proc(proc)
    {
    }

    // An exec seen through the trigger socket, before the main stream has it: read /proc now.
    void readEarly(std::uint32_t pid, std::uint64_t timestampNs);
    // An exec written to the stream: its description follows at the next takeReady().
    void execWritten(std::uint32_t pid, std::uint64_t timestampNs) { m_written.emplace_back(pid, timestampNs); }

    // Descriptions of the execs written since the last call (read now when not read early),
    // and of early reads whose exec the main stream lost (after two seconds).
    std::vector<capture::ProcessRecord> takeReady();

private:
    using Key = std::pair<std::uint32_t, std::uint64_t>; // pid, exec timestamp

    const ProcReader& m_proc;
    std::vector<Key> m_written;
    std::map<Key, capture::ProcessRecord> m_early;
};

} // namespace procscope::helper
