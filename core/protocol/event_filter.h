// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"
#include "protocol/events.h"

#include <cstdint>

namespace procscope::protocol {

// The kernel's subscription filter (cn_filter, 6.6+), reproduced so that filtering in user
// space on older kernels gives exactly what a kernel-side mask would:
// - a mask of 0 or with every bit means everything, acks included;
// - otherwise acks (what 0) never pass;
// - NONZERO_EXIT passes exits whose wait status is not 0; EXIT passes every exit, so
//   "exit,nonzero-exit" is the same as "exit".
bool maskAccepts(EventMask mask, std::uint32_t what, std::uint32_t exitCode);
bool maskAccepts(EventMask mask, const ProcEvent& event);

} // namespace procscope::protocol
