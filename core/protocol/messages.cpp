// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/messages.h"

#include "protocol/byte_reader.h"

#include <optional>
#include <span>

namespace procscope::protocol {

namespace {

template <std::size_t Size>
std::array<std::byte, Size> buildRequest(std::uint32_t op, std::optional<EventMask> mask,
    std::uint32_t seq, std::uint32_t ack)
{
    std::array<std::byte, Size> message {};
    const std::span<std::byte> out(message);
    constexpr auto dataLength = static_cast<std::uint16_t>(Size - kNlmsgHeaderSize - kCnMsgHeaderSize);
    writeAt<std::uint32_t>(out, 0, static_cast<std::uint32_t>(Size)); // nlmsg_len
    writeAt<std::uint16_t>(out, 4, static_cast<std::uint16_t>(NetlinkType::Done));
    writeAt<std::uint16_t>(out, 6, 0); // flags
    writeAt<std::uint32_t>(out, 8, seq);
    writeAt<std::uint32_t>(out, 12, 0); // nlmsg_pid: the kernel does not look at it
    constexpr std::size_t cn = kNlmsgHeaderSize;
    writeAt<std::uint32_t>(out, cn + 0, kCnIdxProc);
    writeAt<std::uint32_t>(out, cn + 4, kCnValProc);
    writeAt<std::uint32_t>(out, cn + 8, seq);
    writeAt<std::uint32_t>(out, cn + 12, ack);
    writeAt<std::uint16_t>(out, cn + 16, dataLength);
    writeAt<std::uint16_t>(out, cn + 18, 0);
    writeAt<std::uint32_t>(out, cn + kCnMsgHeaderSize, op);
    if (mask)
        writeAt<std::uint32_t>(out, cn + kCnMsgHeaderSize + 4, *mask);
    return message;
}

} // namespace

std::array<std::byte, kSubscribeOpSize> buildSubscribeOp(McastOp op, std::uint32_t seq, std::uint32_t ack)
{
    return buildRequest<kSubscribeOpSize>(static_cast<std::uint32_t>(op), std::nullopt, seq, ack);
}

std::array<std::byte, kSubscribeMaskSize> buildSubscribeMask(McastOp op, EventMask mask,
    std::uint32_t seq, std::uint32_t ack)
{
    return buildRequest<kSubscribeMaskSize>(static_cast<std::uint32_t>(op), mask, seq, ack);
}

} // namespace procscope::protocol
