// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"
#include "protocol/events.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace procscope::protocol {

constexpr std::size_t kSubscribeOpSize = kNlmsgHeaderSize + kCnMsgHeaderSize + 4;
constexpr std::size_t kSubscribeMaskSize = kNlmsgHeaderSize + kCnMsgHeaderSize + 8;

// The 4-byte form: works on every kernel, always means "all events".
std::array<std::byte, kSubscribeOpSize> buildSubscribeOp(McastOp op, std::uint32_t seq, std::uint32_t ack);

// The 8-byte proc_input form with a kernel-side event mask (6.6+). Older kernels ignore it
// silently, so callers check kernelSupportsEventFilter() first.
std::array<std::byte, kSubscribeMaskSize> buildSubscribeMask(McastOp op, EventMask mask,
    std::uint32_t seq, std::uint32_t ack);

// The kernel answers a request carrying ack A with an ack event carrying A + 1.
constexpr std::uint32_t expectedAckNumber(std::uint32_t requestAck) { return requestAck + 1; }
inline bool isAckFor(const SubscribeAck& ack, std::uint32_t requestAck)
{
    return ack.header.ack == expectedAckNumber(requestAck);
}

} // namespace procscope::protocol
