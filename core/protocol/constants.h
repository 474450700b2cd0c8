// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Our own copy of the Proc Connector ABI. The distro's <linux/cn_proc.h> is older than the
// running kernel on Debian 12 (no proc_input, no NONZERO_EXIT), so it is deliberately not used.

#include <cstddef>
#include <cstdint>

namespace procscope::protocol {

// Values of proc_event.what. Bit flags, so they double as subscription mask bits.
enum class EventType : std::uint32_t {
    None = 0x00000000, // the subscribe acknowledgement
    Fork = 0x00000001,
    Exec = 0x00000002,
    Uid = 0x00000004,
    Gid = 0x00000040,
    Sid = 0x00000080,
    Ptrace = 0x00000100,
    Comm = 0x00000200,
    NonzeroExit = 0x20000000, // mask bit only (6.6+): never sent, matching exits arrive as Exit
    Coredump = 0x40000000,
    Exit = 0x80000000,
};

using EventMask = std::uint32_t;

constexpr EventMask maskOf(EventType type) { return static_cast<EventMask>(type); }

constexpr EventMask kAllEvents = 0xE00003C7; // PROC_EVENT_ALL since 6.6
static_assert(kAllEvents
    == (maskOf(EventType::Fork) | maskOf(EventType::Exec) | maskOf(EventType::Uid)
        | maskOf(EventType::Gid) | maskOf(EventType::Sid) | maskOf(EventType::Ptrace)
        | maskOf(EventType::Comm) | maskOf(EventType::NonzeroExit)
        | maskOf(EventType::Coredump) | maskOf(EventType::Exit)));

// Multicast control operations (enum proc_cn_mcast_op).
enum class McastOp : std::uint32_t {
    Listen = 1,
    Ignore = 2,
};

// Connector id of the process events channel.
constexpr std::uint32_t kCnIdxProc = 1;
constexpr std::uint32_t kCnValProc = 1;

// Netlink protocol number and control message types.
constexpr int kNetlinkConnector = 11;
enum class NetlinkType : std::uint16_t {
    Noop = 1,
    Error = 2,
    Done = 3,
    Overrun = 4,
};

constexpr std::size_t kNlmsgHeaderSize = 16;
constexpr std::size_t kCnMsgHeaderSize = 20;
constexpr std::size_t kProcEventHeaderSize = 16; // what, cpu, timestamp_ns
constexpr std::size_t kProcEventDataSize = 24; // the event_data union on current kernels
constexpr std::size_t kEventDatagramSize
    = kNlmsgHeaderSize + kCnMsgHeaderSize + kProcEventHeaderSize + kProcEventDataSize;
static_assert(kEventDatagramSize == 76);

constexpr std::size_t kCommLength = 16; // TASK_COMM_LEN

constexpr std::size_t netlinkAlign(std::size_t length) { return (length + 3) & ~std::size_t { 3 }; }

// Minimum payload (bytes after the 16-byte proc_event header) the parser needs per event kind.
// Exit and coredump accept the shorter pre-4.18 layout without parent fields.
constexpr std::size_t kMinAckPayload = 4;
constexpr std::size_t kMinForkPayload = 16;
constexpr std::size_t kMinExecPayload = 8;
constexpr std::size_t kMinIdPayload = 16; // uid, gid
constexpr std::size_t kMinSidPayload = 8;
constexpr std::size_t kMinPtracePayload = 16;
constexpr std::size_t kMinCommPayload = 8 + kCommLength;
constexpr std::size_t kMinCoredumpPayload = 8;
constexpr std::size_t kFullCoredumpPayload = 16;
constexpr std::size_t kMinExitPayload = 16;
constexpr std::size_t kFullExitPayload = 24;

// The ack's cpu on old kernels, and "no cpu" in general.
constexpr std::uint32_t kNoCpu = 0xFFFFFFFF;

} // namespace procscope::protocol
