// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <ctime>

namespace procscope::protocol {

// Nanoseconds on `clock`. Kernel event timestamps are CLOCK_MONOTONIC; CLOCK_REALTIME turns
// them into wall-clock time, CLOCK_BOOTTIME relates them to /proc start times.
inline std::int64_t clockNs(clockid_t clock)
{
    timespec ts {};
    clock_gettime(clock, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace procscope::protocol
