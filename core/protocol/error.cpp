// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/error.h"

#include <system_error>

namespace procscope::protocol {

Error Error::os(int errnum, const char* operation)
{
    return Error(ErrorKind::OsError, operation, 0, 0, errnum);
}

Error Error::truncated(const char* what, std::size_t needed, std::size_t available)
{
    return Error(ErrorKind::TruncatedMessage, what, needed, available);
}

Error Error::bufferTooSmall(std::size_t needed, std::size_t capacity)
{
    return Error(ErrorKind::BufferTooSmall, "receive buffer", needed, capacity);
}

Error Error::interrupted(const char* operation)
{
    return Error(ErrorKind::Interrupted, operation);
}

Error Error::connectionClosed(const char* what)
{
    return Error(ErrorKind::ConnectionClosed, what);
}

Error Error::overrun()
{
    return Error(ErrorKind::Overrun, "proc connector receive queue");
}

Error Error::invalidLength(const char* what, std::size_t length, std::size_t minimum)
{
    return Error(ErrorKind::InvalidLength, what, minimum, length);
}

Error Error::wrongConnector(std::uint32_t idx, std::uint32_t val)
{
    return Error(ErrorKind::WrongConnector, "connector message", idx, val);
}

Error Error::unexpectedMessageType(std::uint16_t type)
{
    return Error(ErrorKind::UnexpectedMessageType, "netlink message", type);
}

Error Error::spoofedSender(std::uint32_t senderPid)
{
    return Error(ErrorKind::SpoofedSender, "datagram", senderPid);
}

std::string Error::message() const
{
    const std::string context = m_context ? m_context : "operation";
    switch (m_kind) {
    case ErrorKind::OsError:
        return context + " failed: " + std::system_category().message(m_errno) + " (errno "
            + std::to_string(m_errno) + ")";
    case ErrorKind::TruncatedMessage:
        return "truncated " + context + ": needs " + std::to_string(m_needed) + " bytes, only "
            + std::to_string(m_available) + " available";
    case ErrorKind::BufferTooSmall:
        return "receive buffer too small: the datagram has " + std::to_string(m_needed)
            + " bytes, the buffer holds " + std::to_string(m_available);
    case ErrorKind::Interrupted:
        return context + " interrupted by a signal";
    case ErrorKind::ConnectionClosed:
        return context + " closed the connection";
    case ErrorKind::Overrun:
        return "kernel overrun: the " + context
            + " was full and the kernel dropped events (ENOBUFS)";
    case ErrorKind::InvalidLength:
        return "invalid length in " + context + ": " + std::to_string(m_available)
            + " is less than the minimum " + std::to_string(m_needed);
    case ErrorKind::WrongConnector:
        return "connector message for id " + std::to_string(m_needed) + "." + std::to_string(m_available)
            + ", expected the proc connector 1.1";
    case ErrorKind::UnexpectedMessageType:
        return "unexpected netlink message type " + std::to_string(m_needed);
    case ErrorKind::SpoofedSender:
        return "datagram from netlink port " + std::to_string(m_needed)
            + " dropped: only the kernel (port 0) sends proc events";
    }
    return "unknown error";
}

const char* errorKindName(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::OsError: return "os-error";
    case ErrorKind::TruncatedMessage: return "truncated-message";
    case ErrorKind::BufferTooSmall: return "buffer-too-small";
    case ErrorKind::Interrupted: return "interrupted";
    case ErrorKind::ConnectionClosed: return "connection-closed";
    case ErrorKind::Overrun: return "overrun";
    case ErrorKind::InvalidLength: return "invalid-length";
    case ErrorKind::WrongConnector: return "wrong-connector";
    case ErrorKind::UnexpectedMessageType: return "unexpected-message-type";
    case ErrorKind::SpoofedSender: return "spoofed-sender";
    }
    return "unknown";
}

} // namespace procscope::protocol
