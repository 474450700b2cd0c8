// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/kernel_version.h"

#include <charconv>
#include <sys/utsname.h>

namespace procscope::protocol {

std::optional<KernelVersion> parseKernelRelease(std::string_view release)
{
    int parts[3] = { 0, 0, 0 };
    const char* cursor = release.data();
    const char* const end = release.data() + release.size();
    for (int i = 0; i < 3; ++i) {
        const auto [next, ec] = std::from_chars(cursor, end, parts[i]);
        if (ec != std::errc {}) {
            if (i == 0)
                return std::nullopt;
            break;
        }
        cursor = next;
        if (cursor == end || *cursor != '.')
            break;
        ++cursor;
    }
    return KernelVersion { parts[0], parts[1], parts[2] };
}

std::string runningKernelRelease()
{
    utsname names {};
    if (uname(&names) != 0)
        return {};
    return names.release;
}

bool supportsEventFilter(const std::optional<KernelVersion>& version)
{
    return version && *version >= kEventFilterSince;
}

} // namespace procscope::protocol
