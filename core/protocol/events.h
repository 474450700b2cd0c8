// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"
#include "protocol/error.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace procscope::protocol {

// Fields common to every proc_event, plus the connector's sequence numbers.
struct EventHeader {
    std::uint32_t cpu = 0;
    std::uint64_t timestampNs = 0; // CLOCK_MONOTONIC
    std::uint32_t seq = 0; // cn_msg.seq: per-CPU counter
    std::uint32_t ack = 0; // cn_msg.ack
    friend bool operator==(const EventHeader&, const EventHeader&) = default;
};

struct ForkEvent {
    std::uint32_t parentPid = 0;
    std::uint32_t parentTgid = 0;
    std::uint32_t childPid = 0;
    std::uint32_t childTgid = 0;
    bool isThread() const { return childPid != childTgid; }
    friend bool operator==(const ForkEvent&, const ForkEvent&) = default;
};

struct ExecEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    friend bool operator==(const ExecEvent&, const ExecEvent&) = default;
};

struct UidEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t ruid = 0;
    std::uint32_t euid = 0;
    friend bool operator==(const UidEvent&, const UidEvent&) = default;
};

struct GidEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t rgid = 0;
    std::uint32_t egid = 0;
    friend bool operator==(const GidEvent&, const GidEvent&) = default;
};

struct SidEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    friend bool operator==(const SidEvent&, const SidEvent&) = default;
};

struct PtraceEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t tracerPid = 0; // 0 on detach
    std::uint32_t tracerTgid = 0;
    bool isDetach() const { return tracerPid == 0 && tracerTgid == 0; }
    friend bool operator==(const PtraceEvent&, const PtraceEvent&) = default;
};

struct CommEvent {
    std::uint32_t pid = 0; // a thread id
    std::uint32_t tgid = 0;
    std::array<char, kCommLength> comm {}; // as sent: not necessarily NUL-terminated or UTF-8
    // The name up to the first NUL (all 16 bytes when there is none).
    std::string_view name() const;
    friend bool operator==(const CommEvent&, const CommEvent&) = default;
};

struct CoredumpEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t parentPid = 0;
    std::uint32_t parentTgid = 0;
    bool hasParent = false; // false for the pre-4.18 payload
    friend bool operator==(const CoredumpEvent&, const CoredumpEvent&) = default;
};

struct ExitEvent {
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t exitCode = 0; // raw wait status, see decodeWaitStatus()
    std::int32_t exitSignal = 0; // -1 for a thread
    std::uint32_t parentPid = 0; // the reaper; 0 for threads and auto-reaped children
    std::uint32_t parentTgid = 0;
    bool hasParent = false; // false for the pre-4.18 payload
    friend bool operator==(const ExitEvent&, const ExitEvent&) = default;
};

// An event kind this build does not know. `data` points into the parsed datagram and is only
// valid while that buffer is.
struct UnknownEvent {
    std::uint32_t what = 0;
    std::span<const std::byte> data;
    friend bool operator==(const UnknownEvent& a, const UnknownEvent& b)
    {
        return a.what == b.what && a.data.size() == b.data.size()
            && (a.data.empty() || std::equal(a.data.begin(), a.data.end(), b.data.begin()));
    }
};

using EventPayload = std::variant<ForkEvent, ExecEvent, UidEvent, GidEvent, SidEvent, PtraceEvent,
    CommEvent, CoredumpEvent, ExitEvent, UnknownEvent>;

struct ProcEvent {
    EventHeader header;
    EventPayload payload;
    std::uint32_t what() const;
    friend bool operator==(const ProcEvent&, const ProcEvent&) = default;
};

// PROC_EVENT_NONE: the answer to a subscribe request. Multicast to every unfiltered listener,
// so it may answer another program's request; match header.ack against the request.
struct SubscribeAck {
    EventHeader header;
    std::uint32_t err = 0; // positive errno, 0 = success
    friend bool operator==(const SubscribeAck&, const SubscribeAck&) = default;
};

struct NetlinkNoop {
    friend bool operator==(NetlinkNoop, NetlinkNoop) = default;
};
struct NetlinkDone { // a DONE without connector payload
    friend bool operator==(NetlinkDone, NetlinkDone) = default;
};
struct NetlinkOverrun {
    friend bool operator==(NetlinkOverrun, NetlinkOverrun) = default;
};
struct NetlinkError {
    int errnum = 0; // positive errno; 0 is a netlink acknowledgement
    friend bool operator==(NetlinkError, NetlinkError) = default;
};

// A message the parser could not accept. `offset` is where its netlink header starts.
struct Malformed {
    Error error;
    std::size_t offset = 0;
    friend bool operator==(const Malformed&, const Malformed&) = default;
};

using Message = std::variant<ProcEvent, SubscribeAck, NetlinkNoop, NetlinkDone, NetlinkOverrun,
    NetlinkError, Malformed>;

} // namespace procscope::protocol
