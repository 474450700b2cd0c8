// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/events.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace procscope::protocol {

// Walks one received datagram message by message. Allocation-free and bounds-checked: every
// read is checked against the datagram, every step advances by NLMSG_ALIGN(nlmsg_len) >= 16, so
// it ends after at most size/16 + 1 results. A malformed message is reported as Malformed and
// skipped when its length is trustworthy; when it is not, parsing of the datagram stops.
//
// Results may point into `datagram` (UnknownEvent::data): keep the buffer alive while using them.
class DatagramParser {
public:
    // `senderPid` is the nl_pid from recvmsg's source address; anything but 0 (the kernel) is
    // rejected as a whole with SpoofedSender.
    DatagramParser(std::span<const std::byte> datagram, std::uint32_t senderPid);

    std::optional<Message> next();
    // The hot-path form: fills `out` in place and returns false at the end of the datagram.
    bool next(Message& out);

    // The connector data (the kernel's proc_event bytes) of the message next() returned last,
    // when it was a ProcEvent or SubscribeAck; for storing events verbatim.
    std::span<const std::byte> lastConnectorData() const;

private:
    std::span<const std::byte> m_lastPayload; // netlink payload of the last message

    std::span<const std::byte> m_datagram;
    std::size_t m_offset = 0;
    std::uint32_t m_senderPid;
    bool m_finished = false;
};

// Parses a proc_event (the cn_msg data) on its own. Exposed for the capture format, which
// stores the kernel's bytes verbatim.
void parseProcEvent(std::span<const std::byte> data, std::uint32_t seq, std::uint32_t ack,
    std::size_t offset, Message& out);

// Convenience for tests and tools: every result of one datagram.
std::vector<Message> parseDatagram(std::span<const std::byte> datagram, std::uint32_t senderPid);

} // namespace procscope::protocol
