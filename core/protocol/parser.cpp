// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/parser.h"

#include "protocol/byte_reader.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace procscope::protocol {

namespace {

using Bytes = std::span<const std::byte>;

std::uint32_t u32(Bytes b, std::size_t offset) { return readAt<std::uint32_t>(b, offset); }

void payloadTooShort(const char* what, std::size_t needed, std::size_t available, std::size_t offset, Message& out)
{
    out.emplace<Malformed>(Malformed { Error::truncated(what, needed, available), offset });
}

// Returns false (and reports) when `p` is shorter than `minimum`.
bool require(const char* what, std::size_t minimum, Bytes p, std::size_t offset, Message& out)
{
    if (p.size() >= minimum)
        return true;
    payloadTooShort(what, minimum, p.size(), offset, out);
    return false;
}

// Payload offsets are relative to the event_data union (proc_event offset 16). Fields are
// written straight into `out`: assembling a temporary and copying it costs store-forwarding
// stalls, and this runs once per kernel event.
template <typename T>
T& emplaceEvent(Message& out, const EventHeader& header)
{
    ProcEvent& event = out.emplace<ProcEvent>();
    event.header = header;
    return event.payload.emplace<T>();
}

template <typename T>
void fourIds(Message& out, const EventHeader& header, Bytes p)
{
    T& e = emplaceEvent<T>(out, header);
    std::uint32_t ids[4];
    std::memcpy(ids, p.data(), sizeof ids);
    std::memcpy(&e, ids, sizeof ids); // the four u32 members, in declaration order
    static_assert(sizeof(T) == sizeof ids && std::is_standard_layout_v<T>);
}

void parsePayload(const EventHeader& header, std::uint32_t what, Bytes p, std::size_t offset, Message& out)
{
    switch (static_cast<EventType>(what)) {
    case EventType::None:
        if (require("subscribe ack", kMinAckPayload, p, offset, out)) {
            SubscribeAck& ack = out.emplace<SubscribeAck>();
            ack.header = header;
            ack.err = u32(p, 0);
        }
        return;
    case EventType::Fork:
        if (require("fork event", kMinForkPayload, p, offset, out))
            fourIds<ForkEvent>(out, header, p);
        return;
    case EventType::Exec:
        if (require("exec event", kMinExecPayload, p, offset, out)) {
            ExecEvent& e = emplaceEvent<ExecEvent>(out, header);
            e.pid = u32(p, 0);
            e.tgid = u32(p, 4);
        }
        return;
    case EventType::Uid:
        if (require("uid event", kMinIdPayload, p, offset, out))
            fourIds<UidEvent>(out, header, p);
        return;
    case EventType::Gid:
        if (require("gid event", kMinIdPayload, p, offset, out))
            fourIds<GidEvent>(out, header, p);
        return;
    case EventType::Sid:
        if (require("sid event", kMinSidPayload, p, offset, out)) {
            SidEvent& e = emplaceEvent<SidEvent>(out, header);
            e.pid = u32(p, 0);
            e.tgid = u32(p, 4);
        }
        return;
    case EventType::Ptrace:
        if (require("ptrace event", kMinPtracePayload, p, offset, out))
            fourIds<PtraceEvent>(out, header, p);
        return;
    case EventType::Comm:
        if (require("comm event", kMinCommPayload, p, offset, out)) {
            CommEvent& e = emplaceEvent<CommEvent>(out, header);
            e.pid = u32(p, 0);
            e.tgid = u32(p, 4);
            std::memcpy(e.comm.data(), p.data() + 8, kCommLength);
        }
        return;
    case EventType::Coredump:
        if (require("coredump event", kMinCoredumpPayload, p, offset, out)) {
            CoredumpEvent& e = emplaceEvent<CoredumpEvent>(out, header);
            e.pid = u32(p, 0);
            e.tgid = u32(p, 4);
            if (p.size() >= kFullCoredumpPayload) {
                e.parentPid = u32(p, 8);
                e.parentTgid = u32(p, 12);
                e.hasParent = true;
            }
        }
        return;
    case EventType::Exit:
        if (require("exit event", kMinExitPayload, p, offset, out)) {
            ExitEvent& e = emplaceEvent<ExitEvent>(out, header);
            e.pid = u32(p, 0);
            e.tgid = u32(p, 4);
            e.exitCode = u32(p, 8);
            e.exitSignal = readAt<std::int32_t>(p, 12);
            if (p.size() >= kFullExitPayload) {
                e.parentPid = u32(p, 16);
                e.parentTgid = u32(p, 20);
                e.hasParent = true;
            }
        }
        return;
    case EventType::NonzeroExit: // a mask bit the kernel never sends: keep it like any unknown kind
        break;
    }
    UnknownEvent& unknown = emplaceEvent<UnknownEvent>(out, header);
    unknown.what = what;
    unknown.data = p;
}

void parseConnector(Bytes payload, std::size_t offset, Message& out)
{
    if (!require("connector header", kCnMsgHeaderSize, payload, offset, out))
        return;
    const std::uint32_t idx = u32(payload, 0);
    const std::uint32_t val = u32(payload, 4);
    if (idx != kCnIdxProc || val != kCnValProc) {
        out.emplace<Malformed>(Malformed { Error::wrongConnector(idx, val), offset });
        return;
    }
    const std::size_t dataLength = readAt<std::uint16_t>(payload, 16);
    const std::size_t available = payload.size() - kCnMsgHeaderSize;
    if (dataLength > available) {
        payloadTooShort("connector data", dataLength, available, offset, out);
        return;
    }
    parseProcEvent(payload.subspan(kCnMsgHeaderSize, dataLength), u32(payload, 8), u32(payload, 12), offset, out);
}

void parseMessage(std::uint16_t type, Bytes payload, std::size_t offset, Message& out)
{
    switch (static_cast<NetlinkType>(type)) {
    case NetlinkType::Done:
        if (payload.empty())
            out.emplace<NetlinkDone>();
        else
            parseConnector(payload, offset, out);
        return;
    case NetlinkType::Noop:
        out.emplace<NetlinkNoop>();
        return;
    case NetlinkType::Overrun:
        out.emplace<NetlinkOverrun>();
        return;
    case NetlinkType::Error:
        if (require("netlink error message", 4, payload, offset, out)) {
            const auto error = readAt<std::int32_t>(payload, 0);
            // The kernel sends -errno; INT_MIN cannot be negated, clamp it rather than overflow.
            out.emplace<NetlinkError>(NetlinkError { error == INT32_MIN ? INT32_MAX : (error < 0 ? -error : error) });
        }
        return;
    }
    out.emplace<Malformed>(Malformed { Error::unexpectedMessageType(type), offset });
}

} // namespace

void parseProcEvent(Bytes data, std::uint32_t seq, std::uint32_t ack, std::size_t offset, Message& out)
{
    if (!require("proc_event header", kProcEventHeaderSize, data, offset, out))
        return;
    const EventHeader header { u32(data, 4), readAt<std::uint64_t>(data, 8), seq, ack };
    parsePayload(header, u32(data, 0), data.subspan(kProcEventHeaderSize), offset, out);
}

DatagramParser::DatagramParser(Bytes datagram, std::uint32_t senderPid)
    : m_datagram(datagram)
    , m_senderPid(senderPid)
{
}

std::optional<Message> DatagramParser::next()
{
    Message message;
    if (!next(message))
        return std::nullopt;
    return message;
}

bool DatagramParser::next(Message& out)
{
    if (m_finished)
        return false;
    if (m_senderPid != 0) {
        m_finished = true;
        out.emplace<Malformed>(Malformed { Error::spoofedSender(m_senderPid), 0 });
        return true;
    }
    const std::size_t remaining = m_datagram.size() - m_offset;
    if (remaining == 0) {
        m_finished = true;
        return false;
    }
    const std::size_t offset = m_offset;
    if (remaining < kNlmsgHeaderSize) {
        m_finished = true;
        out.emplace<Malformed>(Malformed { Error::truncated("netlink header", kNlmsgHeaderSize, remaining), offset });
        return true;
    }
    const std::size_t length = u32(m_datagram, offset);
    if (length < kNlmsgHeaderSize) {
        m_finished = true; // cannot step past it: a zero or tiny length would loop forever
        out.emplace<Malformed>(Malformed { Error::invalidLength("netlink header", length, kNlmsgHeaderSize), offset });
        return true;
    }
    if (length > remaining) {
        m_finished = true;
        out.emplace<Malformed>(Malformed { Error::truncated("netlink message", length, remaining), offset });
        return true;
    }
    const auto type = readAt<std::uint16_t>(m_datagram, offset + 4);
    // The last message's alignment padding may be missing; stepping past the end just finishes.
    m_offset = std::min(m_datagram.size(), offset + netlinkAlign(length));
    m_lastPayload = m_datagram.subspan(offset + kNlmsgHeaderSize, length - kNlmsgHeaderSize);
    parseMessage(type, m_lastPayload, offset, out);
    return true;
}

std::span<const std::byte> DatagramParser::lastConnectorData() const
{
    if (m_lastPayload.size() < kCnMsgHeaderSize)
        return {};
    const std::size_t length = readAt<std::uint16_t>(m_lastPayload, 16);
    return m_lastPayload.subspan(kCnMsgHeaderSize, std::min(length, m_lastPayload.size() - kCnMsgHeaderSize));
}

std::vector<Message> parseDatagram(Bytes datagram, std::uint32_t senderPid)
{
    std::vector<Message> messages;
    DatagramParser parser(datagram, senderPid);
    Message message;
    while (parser.next(message))
        messages.push_back(message);
    return messages;
}

} // namespace procscope::protocol
