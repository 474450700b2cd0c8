// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace procscope::protocol {

enum class ErrorKind {
    OsError, // a system call failed; osError() holds errno
    TruncatedMessage, // fewer bytes than a header or length field promised
    BufferTooSmall, // the receive buffer was shorter than the datagram (MSG_TRUNC)
    Interrupted, // a signal interrupted a blocking call
    ConnectionClosed, // the peer went away
    Overrun, // the kernel dropped events because the receive queue was full (ENOBUFS)
    InvalidLength, // a length field smaller than its own header
    WrongConnector, // a connector message for another connector id
    UnexpectedMessageType, // a netlink type the connector never sends
    SpoofedSender, // a datagram not sent by the kernel
};

// Cheap to copy (no allocation) so the parser can return it on the hot path; the text is
// built only when someone asks for message().
class Error {
public:
    static Error os(int errnum, const char* operation);
    static Error truncated(const char* what, std::size_t needed, std::size_t available);
    static Error bufferTooSmall(std::size_t needed, std::size_t capacity);
    static Error interrupted(const char* operation);
    static Error connectionClosed(const char* what);
    static Error overrun();
    static Error invalidLength(const char* what, std::size_t length, std::size_t minimum);
    static Error wrongConnector(std::uint32_t idx, std::uint32_t val);
    static Error unexpectedMessageType(std::uint16_t type);
    static Error spoofedSender(std::uint32_t senderPid);

    ErrorKind kind() const { return m_kind; }
    int osError() const { return m_errno; }
    // Size the operation needed (truncated, buffer too small, invalid length) or the offending
    // value (connector idx, message type, sender pid).
    std::uint64_t needed() const { return m_needed; }
    // Size that was available, or the second offending value (connector val).
    std::uint64_t available() const { return m_available; }
    const char* context() const { return m_context; }

    std::string message() const;

    friend bool operator==(const Error&, const Error&) = default;

private:
    Error(ErrorKind kind, const char* context, std::uint64_t needed = 0, std::uint64_t available = 0,
        int errnum = 0)
        : m_kind(kind)
        , m_context(context)
        , m_needed(needed)
        , m_available(available)
        , m_errno(errnum)
    {
    }

    ErrorKind m_kind;
    const char* m_context; // always a string literal
    std::uint64_t m_needed;
    std::uint64_t m_available;
    int m_errno;
};

const char* errorKindName(ErrorKind kind);

// Value-or-error return type (std::expected is C++23).
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_state(std::in_place_index<1>, error)
    {
    }

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    const Error& error() const { return std::get<1>(m_state); }

private:
    std::variant<T, Error> m_state;
};

struct Ok {
    friend bool operator==(Ok, Ok) = default;
};
using Status = Result<Ok>;

} // namespace procscope::protocol
