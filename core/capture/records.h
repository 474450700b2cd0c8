// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Record types of the capture format (see FORMAT.md in this folder).

#include "protocol/events.h"
#include "protocol/taskstats.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace procscope::capture {

constexpr std::array<std::byte, 8> kMagic { std::byte { 0x89 }, std::byte { 'P' },
    std::byte { 'S' }, std::byte { 'C' }, std::byte { 'A' }, std::byte { 'P' }, std::byte { '\r' },
    std::byte { '\n' } };
constexpr std::uint16_t kMajorVersion = 2; // written; version 1 is still read
constexpr std::uint16_t kMinorVersion = 1; // 1: task cost records, three more loss reasons
// The files of a ring capture, which hold RingFile records, say 2.2.
constexpr std::uint16_t kRingMinorVersion = 2;
constexpr std::size_t kPreambleSize = 16;
// Version 2: sync marker, kind, length, body CRC32C, header CRC32C (see record_header.h).
constexpr std::size_t kRecordHeaderSize = 16;
constexpr std::size_t kRecordHeaderSizeV1 = 8; // length, kind, flags: no checksum
constexpr std::array<std::byte, 2> kSyncMarker { std::byte { 0xF5 }, std::byte { 0xC1 } };
constexpr std::size_t kMaxRecordBody = 1 << 20;
// Version 3: a session of several hosts. Each host's own stream (a version 2 capture, byte for
// byte) travels in HostBytes records; one-host captures stay version 2.
constexpr std::uint16_t kMultiHostMajorVersion = 3;
constexpr std::uint16_t kMultiHostMinorVersion = 0;
constexpr std::size_t kMaxHosts = 32; // a session's hosts; the event rows keep the index in 5 bits

enum class RecordKind : std::uint16_t
{
    Header = 1,
    KernelEvent = 2,
    Process = 3,
    Loss = 4,
    Status = 5,
    Trailer = 6,
    TaskCost = 7,
    // A Loss record of the accounting's reasons (7 to 9): a kind of its own, so that a 2.0 reader
    // skips it as unknown instead of finding an impossible reason in a Loss record.
    CostLoss = 8,
    // Version 3 only (several hosts):
    Host = 9, // declares a host: index, label, address
    HostBytes = 10, // the next bytes of one host's own stream
    HostEnd = 11, // one host's stream ended: why, and when
    // Version 2.2: opens each file of a ring capture (what the files before it held).
    RingFile = 12,
};

enum class SubscriptionMode : std::uint8_t
{
    AllEvents = 1,
    KernelMask = 2,
    HelperFilter = 3,
};

namespace header_flags {
constexpr std::uint8_t kPrivileged = 1 << 0;
constexpr std::uint8_t kEnrichmentReduced = 1 << 1;
constexpr std::uint8_t kNoSnapshot = 1 << 2;
constexpr std::uint8_t kCostsRecorded = 1
    << 3; // registered for taskstats: every exit's cost follows
} // namespace header_flags

struct HeaderRecord
{
    std::uint64_t monotonicNs = 0;
    std::uint64_t realtimeNs = 0;
    std::uint32_t requestedMask = 0;
    SubscriptionMode mode = SubscriptionMode::AllEvents;
    std::uint8_t flags = 0;
    std::uint32_t helperPid = 0;
    std::string hostName;
    std::string kernelRelease;
    std::string bootId;
    std::string helperVersion;
    friend bool operator==(const HeaderRecord&, const HeaderRecord&) = default;
};

struct KernelEventRecord
{
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::vector<std::byte> procEvent; // the kernel's proc_event bytes, verbatim

    // Parses the stored bytes with the live path's parser. The result may point into
    // procEvent (unknown kinds): keep this record alive while using it.
    protocol::Message parse() const;
    friend bool operator==(const KernelEventRecord&, const KernelEventRecord&) = default;
};

enum class ProcessSource : std::uint8_t
{
    Snapshot = 1,
    Exec = 2,
};

namespace readable {
constexpr std::uint16_t kComm = 1 << 0;
constexpr std::uint16_t kArgv = 1 << 1;
constexpr std::uint16_t kExe = 1 << 2;
constexpr std::uint16_t kCwd = 1 << 3;
constexpr std::uint16_t kIds = 1 << 4;
constexpr std::uint16_t kStartTime = 1 << 5;
constexpr std::uint16_t kPpid = 1 << 6;
// Not an item: the process had already exited when the helper came to read it, so what it could
// not read (argv, exe, cwd...) is missing for that reason. Its exit event precedes this record.
constexpr std::uint16_t kExitedBeforeRead = 1 << 14;
constexpr std::uint16_t kArgvTruncated = 1 << 15;
} // namespace readable

struct ProcessRecord
{
    ProcessSource source = ProcessSource::Snapshot;
    std::uint16_t readable = 0;
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t ppid = 0;
    std::uint32_t ruid = 0;
    std::uint32_t euid = 0;
    std::uint32_t rgid = 0;
    std::uint32_t egid = 0;
    std::uint64_t startNs = 0;
    std::uint64_t observedNs = 0;
    std::uint64_t eventTimestampNs = 0;
    std::string comm;
    std::string exe;
    std::string cwd;
    std::vector<std::string> argv;
    friend bool operator==(const ProcessRecord&, const ProcessRecord&) = default;
};

enum class LossReason : std::uint8_t
{
    KernelOverrun = 1,
    SequenceGap = 2,
    OutputBuffer = 3,
    TruncatedDatagram = 4,
    SpoofedSender = 5,
    MalformedMessage = 6,
    // The per-task accounting (minor version 1):
    CostOverrun = 7, // the taskstats socket overflowed (ENOBUFS): figures were dropped
    ExitWithoutCost = 8, // an exit event whose figures never came
    CostWithoutExit = 9, // figures whose exit event never came
    // Never in a file's loss record: how a session marks where the connection to a host broke
    // (from a HostEnd record); what was not received then is not known.
    ConnectionLost = 10,
};
constexpr std::size_t kLossReasonCount = 9;
constexpr std::size_t kLossReasonCountV20 = 6; // trailers of minor version 0 hold these
const char* lossReasonName(LossReason reason);

struct LossRecord
{
    LossReason reason = LossReason::KernelOverrun;
    std::uint32_t cpu = protocol::kNoCpu;
    std::uint64_t count = 0;
    std::uint64_t timestampNs = 0;
    friend bool operator==(const LossRecord&, const LossRecord&) = default;
};

enum class StatusLevel : std::uint8_t
{
    Info = 0,
    Warning = 1,
    Error = 2,
};

enum class StatusCode : std::uint16_t
{
    Started = 1,
    EnrichmentReduced = 2,
    HelperFiltering = 3,
    Stopping = 4,
    RuntimeError = 5,
    CostsUnavailable = 6, // no per-task accounting: why
    DelaysOff = 7, // accounting without the kernel's delay figures
};

struct StatusRecord
{
    StatusLevel level = StatusLevel::Info;
    StatusCode code = StatusCode::Started;
    std::uint64_t timestampNs = 0;
    std::string message;
    friend bool operator==(const StatusRecord&, const StatusRecord&) = default;
};

enum class StopReason : std::uint8_t
{
    Signal = 1,
    Duration = 2,
    PeerClosed = 3,
    RuntimeError = 4,
};
const char* stopReasonName(StopReason reason);

struct TrailerRecord
{
    std::uint64_t timestampNs = 0;
    StopReason stopReason = StopReason::Signal;
    std::uint64_t events = 0;
    std::uint64_t processes = 0;
    std::array<std::uint64_t, kLossReasonCount> lost {}; // index = reason - 1
    friend bool operator==(const TrailerRecord&, const TrailerRecord&) = default;
};

namespace cost_flags {
constexpr std::uint16_t kGroupEnded = 1 << 0; // the last thread of its process ended
// Figures so far of a process still running when the capture stopped (read from /proc, for
// the whole process: no thread adds to it).
constexpr std::uint16_t kRunning = 1 << 1;
} // namespace cost_flags

// One task's figures from the kernel's accounting at its exit (or, kRunning, so far).
struct TaskCostRecord
{
    std::uint16_t flags = 0;
    std::uint64_t timestampNs = 0; // CLOCK_MONOTONIC when the helper received them
    protocol::TaskFigures figures;
    friend bool operator==(const TaskCostRecord&, const TaskCostRecord&) = default;
};

// Version 3. In a decoded session's record sequence a HostRecord also says that the records
// after it, up to the next one, are that host's.
struct HostRecord
{
    std::uint16_t index = 0; // below kMaxHosts
    std::string label; // what the window shows and filters match: "build1"
    std::string address; // how it was reached: "local", "ssh://root@build1:2222"
    friend bool operator==(const HostRecord&, const HostRecord&) = default;
};

struct HostBytesRecord
{
    std::uint16_t index = 0;
    std::vector<std::byte> bytes; // continues that host's version 2 stream
    friend bool operator==(const HostBytesRecord&, const HostBytesRecord&) = default;
};

enum class HostEndReason : std::uint8_t
{
    Finished = 1, // its capture ended (its own trailer says how)
    ConnectionLost = 2, // the connection to it broke: events after realtime_ns were not received
    FailedToStart = 3, // nothing came (the message says why)
};

struct HostEndRecord
{
    std::uint16_t index = 0;
    HostEndReason reason = HostEndReason::Finished;
    std::uint64_t realtimeNs = 0; // the viewer's CLOCK_REALTIME when it ended
    std::string message;
    friend bool operator==(const HostEndRecord&, const HostEndRecord&) = default;
};

// Opens each file of a ring capture, after its Header: which file of the ring it is, and what
// the ring wrote before it, so a reader of the files that are left can say what the ring
// discarded. The process snapshot records that follow describe the processes running when the
// file was started, so those whose fork is in a discarded file keep their parent.
constexpr std::size_t kRingEventKinds = 10; // fork, exec, exit, uid, gid, sid, ptrace, comm, coredump, unknown
struct RingFileRecord
{
    std::uint32_t number = 1; // from 1
    std::uint64_t realtimeNs = 0; // CLOCK_REALTIME when the file was started
    std::uint64_t eventsBefore = 0; // process events in the ring's earlier files (not subscribe acks)
    std::array<std::uint64_t, kRingEventKinds> kindsBefore {}; // the same, by kind
    friend bool operator==(const RingFileRecord&, const RingFileRecord&) = default;
};

using Record = std::variant<HeaderRecord, KernelEventRecord, ProcessRecord, LossRecord,
    StatusRecord, TrailerRecord, TaskCostRecord, HostRecord, HostBytesRecord, HostEndRecord,
    RingFileRecord>;

} // namespace procscope::capture
