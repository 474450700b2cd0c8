// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Builds proc connector datagrams byte by byte for tests, including deliberately broken ones.

#include "protocol/byte_reader.h"
#include "protocol/constants.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace procscope::testing {

using Bytes = std::vector<std::byte>;

inline void appendU32(Bytes& out, std::uint32_t value)
{
    const std::size_t at = out.size();
    out.resize(at + 4);
    protocol::writeAt(std::span<std::byte>(out), at, value);
}

inline void appendU16(Bytes& out, std::uint16_t value)
{
    const std::size_t at = out.size();
    out.resize(at + 2);
    protocol::writeAt(std::span<std::byte>(out), at, value);
}

inline void appendU64(Bytes& out, std::uint64_t value)
{
    const std::size_t at = out.size();
    out.resize(at + 8);
    protocol::writeAt(std::span<std::byte>(out), at, value);
}

inline Bytes words(std::initializer_list<std::uint32_t> values)
{
    Bytes out;
    for (const std::uint32_t v : values)
        appendU32(out, v);
    return out;
}

inline Bytes concat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// proc_event: what, cpu, timestamp_ns, then the payload as given (no padding added).
inline Bytes procEvent(std::uint32_t what, std::uint32_t cpu, std::uint64_t timestampNs, const Bytes& payload)
{
    Bytes out;
    appendU32(out, what);
    appendU32(out, cpu);
    appendU64(out, timestampNs);
    return concat(std::move(out), payload);
}

// The kernel always pads event_data to the full 24-byte union.
inline Bytes paddedPayload(Bytes payload, std::size_t size = protocol::kProcEventDataSize)
{
    if (payload.size() < size)
        payload.resize(size);
    return payload;
}

struct ConnectorFields {
    std::uint32_t idx = protocol::kCnIdxProc;
    std::uint32_t val = protocol::kCnValProc;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::optional<std::uint16_t> length; // defaults to the data's size
};

inline Bytes connectorMessage(const Bytes& data, const ConnectorFields& fields = {})
{
    Bytes out;
    appendU32(out, fields.idx);
    appendU32(out, fields.val);
    appendU32(out, fields.seq);
    appendU32(out, fields.ack);
    appendU16(out, fields.length.value_or(static_cast<std::uint16_t>(data.size())));
    appendU16(out, 0);
    return concat(std::move(out), data);
}

struct NetlinkFields {
    std::uint16_t type = static_cast<std::uint16_t>(protocol::NetlinkType::Done);
    std::optional<std::uint32_t> length; // defaults to header + payload
    std::uint32_t seq = 0;
    std::uint32_t pid = 0;
    bool pad = true; // append NLMSG_ALIGN padding after the payload
};

inline Bytes netlinkMessage(const Bytes& payload, const NetlinkFields& fields = {})
{
    Bytes out;
    const std::size_t natural = protocol::kNlmsgHeaderSize + payload.size();
    appendU32(out, fields.length.value_or(static_cast<std::uint32_t>(natural)));
    appendU16(out, fields.type);
    appendU16(out, 0);
    appendU32(out, fields.seq);
    appendU32(out, fields.pid);
    out = concat(std::move(out), payload);
    if (fields.pad)
        out.resize(protocol::netlinkAlign(out.size()));
    return out;
}

// A complete, kernel-shaped 76-byte event datagram.
inline Bytes eventDatagram(std::uint32_t what, const Bytes& payload, std::uint32_t cpu = 0,
    std::uint64_t timestampNs = 0, std::uint32_t seq = 0, std::uint32_t ack = 0)
{
    ConnectorFields cn;
    cn.seq = seq;
    cn.ack = ack;
    return netlinkMessage(connectorMessage(procEvent(what, cpu, timestampNs, paddedPayload(payload)), cn));
}

inline Bytes commBytes(std::uint32_t pid, std::uint32_t tgid, const char (&name)[17])
{
    Bytes out = words({ pid, tgid });
    for (std::size_t i = 0; i < 16; ++i)
        out.push_back(static_cast<std::byte>(name[i]));
    return out;
}

} // namespace procscope::testing
