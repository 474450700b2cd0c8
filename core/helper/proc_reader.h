// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <cstdint>
#include <string>
#include <vector>

namespace procscope::helper {

constexpr std::size_t kMaxArgvBytes = 64 << 10; // keeps a Process record far below the record cap
constexpr std::size_t kMaxArgs = 4096;

// Reads process descriptions from /proc. What cannot be read (the process is gone, access is
// denied) is left empty with its `readable` bit clear: nothing is guessed.
class ProcReader {
public:
    explicit ProcReader(std::string procRoot = "/proc");

    capture::ProcessRecord read(std::uint32_t pid, capture::ProcessSource source, std::uint64_t eventTimestampNs = 0) const;
    // Every process (thread group leaders only), in /proc order.
    std::vector<std::uint32_t> listProcesses() const;

    static std::uint64_t monotonicNowNs();

private:
    std::string path(std::uint32_t pid, const char* item) const;

    std::string m_root;
    std::uint64_t m_ticksToNs;
    std::int64_t m_bootMinusMonotonicNs; // start times are boot-clock ticks; events are monotonic
};

} // namespace procscope::helper
