// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Record bodies, decoded by kind (the framing around them is the stream decoder's business).

#include "capture/records.h"

#include <span>
#include <string>
#include <type_traits>

namespace procscope::capture {

template <typename E> constexpr bool inRange(std::underlying_type_t<E> value, E first, E last)
{
    return value >= static_cast<std::underlying_type_t<E>>(first)
        && value <= static_cast<std::underlying_type_t<E>>(last);
}

// The two common kinds decode into `out` in place, reusing its buffers: decoding a capture then
// allocates about once per record kind, not once per record. False when the body is corrupt
// (`detail` says why, when it can).
bool decodeKernelEventInto(std::span<const std::byte> body, Record& out);
bool decodeProcessInto(std::span<const std::byte> body, Record& out, std::string& detail);

} // namespace procscope::capture
