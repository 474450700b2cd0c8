// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/parser.h"

#include "protocol/byte_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace procscope::protocol {

namespace {

using Bytes = std::span<const std::byte>;

std::uint32_t u32(Bytes b, std::size_t offset) { return readAt<std::uint32_t>(b, offset); }

// Payload offsets below are relative to the event_data union (proc_event offset 16).
Message payloadTooShort(const char* what, std::size_t needed, std::size_t available, std::size_t offset)
{
    return Malformed { Error::truncated(what, needed, available), offset };
}

Message parsePayload(const EventHeader& header, std::uint32_t what, Bytes p, std::size_t offset)
{
    const std::size_t size = p.size();
    switch (static_cast<EventType>(what)) {
    case EventType::None:
        if (size < kMinAckPayload)
            return payloadTooShort("subscribe ack", kMinAckPayload, size, offset);
        return SubscribeAck { header, u32(p, 0) };
    case EventType::Fork:
        if (size < kMinForkPayload)
            return payloadTooShort("fork event", kMinForkPayload, size, offset);
        return ProcEvent { header, ForkEvent { u32(p, 0), u32(p, 4), u32(p, 8), u32(p, 12) } };
    case EventType::Exec:
        if (size < kMinExecPayload)
            return payloadTooShort("exec event", kMinExecPayload, size, offset);
        return ProcEvent { header, ExecEvent { u32(p, 0), u32(p, 4) } };
    case EventType::Uid:
        if (size < kMinIdPayload)
            return payloadTooShort("uid event", kMinIdPayload, size, offset);
        return ProcEvent { header, UidEvent { u32(p, 0), u32(p, 4), u32(p, 8), u32(p, 12) } };
    case EventType::Gid:
        if (size < kMinIdPayload)
            return payloadTooShort("gid event", kMinIdPayload, size, offset);
        return ProcEvent { header, GidEvent { u32(p, 0), u32(p, 4), u32(p, 8), u32(p, 12) } };
    case EventType::Sid:
        if (size < kMinSidPayload)
            return payloadTooShort("sid event", kMinSidPayload, size, offset);
        return ProcEvent { header, SidEvent { u32(p, 0), u32(p, 4) } };
    case EventType::Ptrace:
        if (size < kMinPtracePayload)
            return payloadTooShort("ptrace event", kMinPtracePayload, size, offset);
        return ProcEvent { header, PtraceEvent { u32(p, 0), u32(p, 4), u32(p, 8), u32(p, 12) } };
    case EventType::Comm: {
        if (size < kMinCommPayload)
            return payloadTooShort("comm event", kMinCommPayload, size, offset);
        CommEvent comm { u32(p, 0), u32(p, 4), {} };
        std::memcpy(comm.comm.data(), p.data() + 8, kCommLength);
        return ProcEvent { header, comm };
    }
    case EventType::Coredump: {
        if (size < kMinCoredumpPayload)
            return payloadTooShort("coredump event", kMinCoredumpPayload, size, offset);
        CoredumpEvent core { u32(p, 0), u32(p, 4), 0, 0, false };
        if (size >= kFullCoredumpPayload) {
            core.parentPid = u32(p, 8);
            core.parentTgid = u32(p, 12);
            core.hasParent = true;
        }
        return ProcEvent { header, core };
    }
    case EventType::Exit: {
        if (size < kMinExitPayload)
            return payloadTooShort("exit event", kMinExitPayload, size, offset);
        ExitEvent exit { u32(p, 0), u32(p, 4), u32(p, 8), readAt<std::int32_t>(p, 12), 0, 0, false };
        if (size >= kFullExitPayload) {
            exit.parentPid = u32(p, 16);
            exit.parentTgid = u32(p, 20);
            exit.hasParent = true;
        }
        return ProcEvent { header, exit };
    }
    case EventType::NonzeroExit: // a mask bit the kernel never sends: keep it like any unknown kind
        break;
    }
    return ProcEvent { header, UnknownEvent { what, p } };
}

} // namespace

Message parseProcEvent(Bytes data, std::uint32_t seq, std::uint32_t ack, std::size_t offset)
{
    if (data.size() < kProcEventHeaderSize)
        return payloadTooShort("proc_event header", kProcEventHeaderSize, data.size(), offset);
    const EventHeader header { u32(data, 4), readAt<std::uint64_t>(data, 8), seq, ack };
    return parsePayload(header, u32(data, 0), data.subspan(kProcEventHeaderSize), offset);
}

DatagramParser::DatagramParser(Bytes datagram, std::uint32_t senderPid)
    : m_datagram(datagram)
    , m_senderPid(senderPid)
{
}

std::optional<Message> DatagramParser::next()
{
    if (m_finished)
        return std::nullopt;
    if (m_senderPid != 0) {
        m_finished = true;
        return Malformed { Error::spoofedSender(m_senderPid), 0 };
    }
    const std::size_t remaining = m_datagram.size() - m_offset;
    if (remaining == 0) {
        m_finished = true;
        return std::nullopt;
    }
    const std::size_t offset = m_offset;
    if (remaining < kNlmsgHeaderSize) {
        m_finished = true;
        return Malformed { Error::truncated("netlink header", kNlmsgHeaderSize, remaining), offset };
    }
    const std::size_t length = u32(m_datagram, offset);
    if (length < kNlmsgHeaderSize) {
        m_finished = true; // cannot step past it: a zero or tiny length would loop forever
        return Malformed { Error::invalidLength("netlink header", length, kNlmsgHeaderSize), offset };
    }
    if (length > remaining) {
        m_finished = true;
        return Malformed { Error::truncated("netlink message", length, remaining), offset };
    }
    const auto type = readAt<std::uint16_t>(m_datagram, offset + 4);
    // The last message's alignment padding may be missing; stepping past the end just finishes.
    m_offset = std::min(m_datagram.size(), offset + netlinkAlign(length));
    const Bytes payload = m_datagram.subspan(offset + kNlmsgHeaderSize, length - kNlmsgHeaderSize);
    return parseMessage(type, payload, offset);
}

Message DatagramParser::parseMessage(std::uint16_t type, Bytes payload, std::size_t offset) const
{
    switch (static_cast<NetlinkType>(type)) {
    case NetlinkType::Done:
        if (payload.empty())
            return NetlinkDone {};
        return parseConnector(payload, offset);
    case NetlinkType::Noop:
        return NetlinkNoop {};
    case NetlinkType::Overrun:
        return NetlinkOverrun {};
    case NetlinkType::Error: {
        if (payload.size() < 4)
            return payloadTooShort("netlink error message", 4, payload.size(), offset);
        const auto error = readAt<std::int32_t>(payload, 0);
        // The kernel sends -errno; INT_MIN cannot be negated, clamp it rather than overflow.
        return NetlinkError { error == INT32_MIN ? INT32_MAX : (error < 0 ? -error : error) };
    }
    }
    return Malformed { Error::unexpectedMessageType(type), offset };
}

Message DatagramParser::parseConnector(Bytes payload, std::size_t offset) const
{
    if (payload.size() < kCnMsgHeaderSize)
        return payloadTooShort("connector header", kCnMsgHeaderSize, payload.size(), offset);
    const std::uint32_t idx = u32(payload, 0);
    const std::uint32_t val = u32(payload, 4);
    if (idx != kCnIdxProc || val != kCnValProc)
        return Malformed { Error::wrongConnector(idx, val), offset };
    const std::size_t dataLength = readAt<std::uint16_t>(payload, 16);
    const std::size_t available = payload.size() - kCnMsgHeaderSize;
    if (dataLength > available)
        return payloadTooShort("connector data", dataLength, available, offset);
    return parseProcEvent(payload.subspan(kCnMsgHeaderSize, dataLength), u32(payload, 8),
        u32(payload, 12), offset);
}

std::vector<Message> parseDatagram(Bytes datagram, std::uint32_t senderPid)
{
    std::vector<Message> messages;
    DatagramParser parser(datagram, senderPid);
    while (auto message = parser.next())
        messages.push_back(*message);
    return messages;
}

} // namespace procscope::protocol
