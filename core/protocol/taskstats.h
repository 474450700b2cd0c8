// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The kernel's per-task accounting (taskstats, a generic netlink family): the messages the
// helper sends to find the family and register for every exiting task, and a bounds-checked
// parser for what the kernel sends back. Our own constants and offsets, checked in the tests
// against the distro header; the struct is read by the length of its attribute, never past it.

#include "protocol/error.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace procscope::protocol {

namespace taskstats {
constexpr std::uint16_t kGenlIdCtrl = 0x10;
constexpr std::uint8_t kCtrlCmdGetFamily = 3;
constexpr std::uint16_t kCtrlAttrFamilyId = 1;
constexpr std::uint16_t kCtrlAttrFamilyName = 2;
constexpr std::string_view kFamilyName = "TASKSTATS";

constexpr std::uint8_t kCmdGet = 1;
constexpr std::uint8_t kCmdNew = 2;
constexpr std::uint16_t kCmdAttrPid = 1;
constexpr std::uint16_t kCmdAttrRegisterCpumask = 3;

constexpr std::uint16_t kTypePid = 1;
constexpr std::uint16_t kTypeTgid = 2;
constexpr std::uint16_t kTypeStats = 3;
constexpr std::uint16_t kTypeAggrPid = 4;
constexpr std::uint16_t kTypeAggrTgid = 5;
constexpr std::uint16_t kTypeNull = 6; // padding before a 64-bit aligned attribute

// Offsets inside struct taskstats (linux/taskstats.h; fields are only ever appended).
namespace offset {
constexpr std::size_t kVersion = 0; // u16
constexpr std::size_t kExitCode = 4; // u32
constexpr std::size_t kFlag = 8; // u8, AGROUP = the last thread of its process
constexpr std::size_t kCpuDelayTotal = 24; // ns
constexpr std::size_t kBlkioDelayTotal = 40; // ns
constexpr std::size_t kSwapinDelayTotal = 56; // ns
// ns on a CPU, exact (sum_exec_runtime; utime, stime and cpu_run_real_total are tick samples)
constexpr std::size_t kCpuRunVirtualTotal = 72;
constexpr std::size_t kComm = 80; // char[32]
constexpr std::size_t kCommSize = 32;
constexpr std::size_t kPpid = 132; // u32
constexpr std::size_t kElapsed = 144; // us
constexpr std::size_t kUserTime = 152; // us
constexpr std::size_t kSystemTime = 160; // us
constexpr std::size_t kMinorFaults = 168;
constexpr std::size_t kMajorFaults = 176;
constexpr std::size_t kHiwaterRss = 200; // KiB
constexpr std::size_t kHiwaterVm = 208; // KiB
constexpr std::size_t kReadChars = 216;
constexpr std::size_t kWriteChars = 224;
constexpr std::size_t kReadBytes = 248;
constexpr std::size_t kWriteBytes = 256;
constexpr std::size_t kVoluntarySwitches = 272;
constexpr std::size_t kInvoluntarySwitches = 280;
constexpr std::size_t kFreepagesDelayTotal = 320; // ns, memory reclaim (version 6+)
constexpr std::size_t kTgid = 368; // u32 (version 12+)
} // namespace offset
// Everything up to the context switches is needed; later fields are read when present.
constexpr std::size_t kMinimumStatsSize = offset::kInvoluntarySwitches + 8;
constexpr std::uint8_t kFlagGroupEnded = 0x20; // AGROUP in linux/acct.h
} // namespace taskstats

// One task's figures, converted to nanoseconds and bytes. A process's are the sum over its
// threads (peak memory is shared by them: the largest).
struct TaskFigures {
    std::uint32_t pid = 0; // thread id
    std::uint32_t tgid = 0; // 0: the kernel is too old to say
    std::uint32_t ppid = 0;
    std::uint32_t exitCode = 0;
    std::uint16_t version = 0;
    bool groupEnded = false;
    std::uint64_t userNs = 0;
    std::uint64_t systemNs = 0;
    std::uint64_t elapsedNs = 0;
    std::uint64_t maxRssBytes = 0;
    std::uint64_t maxVmBytes = 0;
    std::uint64_t readBytes = 0; // from storage
    std::uint64_t writeBytes = 0; // to storage
    std::uint64_t readChars = 0; // all reads: files, pipes, sockets
    std::uint64_t writeChars = 0;
    std::uint64_t minorFaults = 0;
    std::uint64_t majorFaults = 0;
    std::uint64_t voluntarySwitches = 0;
    std::uint64_t involuntarySwitches = 0;
    std::uint64_t cpuDelayNs = 0; // waiting for a CPU
    std::uint64_t blkioDelayNs = 0; // waiting for block I/O
    std::uint64_t swapinDelayNs = 0;
    std::uint64_t reclaimDelayNs = 0;
    std::string comm;
    friend bool operator==(const TaskFigures&, const TaskFigures&) = default;
};

// What one taskstats datagram held.
struct TaskstatsMessage {
    enum class Kind {
        Figures, // a task's figures (at its exit, or answering a query)
        Ack, // NLMSG_ERROR with error 0, or error != 0 (`error` positive errno)
        Other, // NOOP, DONE, or a family we did not ask about
    } kind = Kind::Other;
    TaskFigures figures;
    int error = 0;
};

// Parses one netlink message from the taskstats family `familyId`. Errors: TruncatedMessage or
// InvalidLength for anything that does not fit its lengths, UnexpectedMessageType for a
// taskstats command other than NEW, SpoofedSender when not sent by the kernel.
Result<TaskstatsMessage> parseTaskstats(std::span<const std::byte> datagram, std::uint16_t familyId, std::uint32_t senderPid = 0);

// The family id in a CTRL_CMD_GETFAMILY reply, or an error.
Result<std::uint16_t> parseFamilyId(std::span<const std::byte> datagram);

// Requests, as whole netlink messages.
std::vector<std::byte> familyRequest(std::uint32_t seq);
std::vector<std::byte> registerRequest(std::uint16_t familyId, std::uint32_t seq, std::string_view cpulist);

} // namespace procscope::protocol
