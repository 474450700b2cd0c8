// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace procscope::protocol {

struct KernelVersion {
    int major = 0;
    int minor = 0;
    int patch = 0;
    friend auto operator<=>(const KernelVersion&, const KernelVersion&) = default;
};

// "6.18.44-fc-v782" -> 6.18.44; "6.6" -> 6.6.0; nullopt when it does not start with digits.
std::optional<KernelVersion> parseKernelRelease(std::string_view release);

// uname(2)'s release string.
std::string runningKernelRelease();

// Kernel-side event masks (8-byte proc_input) and unprivileged subscription came in 6.6. A
// pre-6.6 kernel silently ignores the 8-byte request, so this is decided from the version
// rather than by waiting for an ack that a filtered subscription never gets anyway.
constexpr KernelVersion kEventFilterSince { 6, 6, 0 };
bool supportsEventFilter(const std::optional<KernelVersion>& version);

} // namespace procscope::protocol
