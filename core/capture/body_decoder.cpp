// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/body_decoder.h"

#include "capture/byte_codec.h"
#include "capture/decoder.h"

namespace procscope::capture {

namespace {

std::optional<Record> decodeHeader(ByteReader& r, std::string& detail)
{
    HeaderRecord h;
    h.monotonicNs = r.get<std::uint64_t>();
    h.realtimeNs = r.get<std::uint64_t>();
    h.requestedMask = r.get<std::uint32_t>();
    const auto mode = r.get<std::uint8_t>();
    h.flags = r.get<std::uint8_t>();
    r.skip(2);
    h.helperPid = r.get<std::uint32_t>();
    h.hostName = r.getString();
    h.kernelRelease = r.getString();
    h.bootId = r.getString();
    h.helperVersion = r.getString();
    if (r.failed())
        return std::nullopt;
    if (!inRange(mode, SubscriptionMode::AllEvents, SubscriptionMode::HelperFilter)) {
        detail = "unknown subscription mode " + std::to_string(mode);
        return std::nullopt;
    }
    h.mode = static_cast<SubscriptionMode>(mode);
    return h;
}

std::optional<Record> decodeLoss(
    ByteReader& r, std::string& detail, LossReason first, LossReason last)
{
    LossRecord l;
    const auto reason = r.get<std::uint8_t>();
    r.skip(3);
    l.cpu = r.get<std::uint32_t>();
    l.count = r.get<std::uint64_t>();
    l.timestampNs = r.get<std::uint64_t>();
    if (r.failed())
        return std::nullopt;
    if (!inRange(reason, first, last)) {
        detail = "unknown loss reason " + std::to_string(reason);
        return std::nullopt;
    }
    l.reason = static_cast<LossReason>(reason);
    return l;
}

std::optional<Record> decodeStatus(ByteReader& r, std::string& detail)
{
    StatusRecord s;
    const auto level = r.get<std::uint8_t>();
    r.skip(1);
    s.code = static_cast<StatusCode>(
        r.get<std::uint16_t>()); // unknown codes are kept: newer helpers add some
    s.timestampNs = r.get<std::uint64_t>();
    s.message = r.getString();
    if (r.failed())
        return std::nullopt;
    if (!inRange(level, StatusLevel::Info, StatusLevel::Error)) {
        detail = "unknown status level " + std::to_string(level);
        return std::nullopt;
    }
    s.level = static_cast<StatusLevel>(level);
    return s;
}

std::optional<Record> decodeTrailer(ByteReader& r, std::string& detail)
{
    TrailerRecord t;
    t.timestampNs = r.get<std::uint64_t>();
    const auto reason = r.get<std::uint8_t>();
    r.skip(3);
    t.events = r.get<std::uint64_t>();
    t.processes = r.get<std::uint64_t>();
    // Minor version 0 wrote six totals; the accounting's three follow them when present.
    for (std::size_t i = 0; i < t.lost.size(); ++i)
        t.lost[i] = i < kLossReasonCountV20 || r.remaining() >= 8 ? r.get<std::uint64_t>() : 0;
    if (r.failed())
        return std::nullopt;
    if (!inRange(reason, StopReason::Signal, StopReason::RuntimeError)) {
        detail = "unknown stop reason " + std::to_string(reason);
        return std::nullopt;
    }
    t.stopReason = static_cast<StopReason>(reason);
    return t;
}

std::optional<Record> decodeTaskCost(ByteReader& r)
{
    TaskCostRecord c;
    protocol::TaskFigures& f = c.figures;
    for (std::uint32_t* id : { &f.pid, &f.tgid, &f.ppid, &f.exitCode })
        *id = r.get<std::uint32_t>();
    c.flags = r.get<std::uint16_t>();
    f.version = r.get<std::uint16_t>();
    r.skip(4);
    c.timestampNs = r.get<std::uint64_t>();
    for (std::uint64_t* value : { &f.userNs, &f.systemNs, &f.elapsedNs, &f.maxRssBytes,
             &f.maxVmBytes, &f.readBytes, &f.writeBytes, &f.readChars, &f.writeChars,
             &f.minorFaults, &f.majorFaults, &f.voluntarySwitches, &f.involuntarySwitches,
             &f.cpuDelayNs, &f.blkioDelayNs, &f.swapinDelayNs, &f.reclaimDelayNs })
        *value = r.get<std::uint64_t>();
    f.comm = r.getString();
    f.groupEnded = (c.flags & cost_flags::kGroupEnded) != 0;
    if (r.failed())
        return std::nullopt;
    return c;
}

std::optional<Record> decodeHost(ByteReader& r, std::string& detail)
{
    HostRecord h;
    h.index = r.get<std::uint16_t>();
    r.skip(2);
    h.label = r.getString();
    h.address = r.getString();
    if (r.failed())
        return std::nullopt;
    if (h.index >= kMaxHosts) {
        detail = "host index " + std::to_string(h.index) + " beyond the "
            + std::to_string(kMaxHosts) + " a session holds";
        return std::nullopt;
    }
    return h;
}

std::optional<Record> decodeHostBytes(ByteReader& r, std::string& detail)
{
    HostBytesRecord b;
    b.index = r.get<std::uint16_t>();
    r.skip(2);
    if (r.failed())
        return std::nullopt;
    if (b.index >= kMaxHosts) {
        detail = "host index " + std::to_string(b.index) + " beyond the "
            + std::to_string(kMaxHosts) + " a session holds";
        return std::nullopt;
    }
    const auto bytes = r.rest();
    b.bytes.assign(bytes.begin(), bytes.end());
    return b;
}

std::optional<Record> decodeHostEnd(ByteReader& r, std::string& detail)
{
    HostEndRecord e;
    e.index = r.get<std::uint16_t>();
    const auto reason = r.get<std::uint8_t>();
    r.skip(1);
    e.realtimeNs = r.get<std::uint64_t>();
    e.message = r.getString();
    if (r.failed())
        return std::nullopt;
    if (e.index >= kMaxHosts
        || !inRange(reason, HostEndReason::Finished, HostEndReason::FailedToStart)) {
        detail = "host index " + std::to_string(e.index) + " or end reason "
            + std::to_string(reason) + " out of range";
        return std::nullopt;
    }
    e.reason = static_cast<HostEndReason>(reason);
    return e;
}

std::optional<Record> decodeRingFile(ByteReader& r, std::string& detail)
{
    RingFileRecord f;
    f.number = r.get<std::uint32_t>();
    r.skip(4);
    f.realtimeNs = r.get<std::uint64_t>();
    f.eventsBefore = r.get<std::uint64_t>();
    for (std::uint64_t& count : f.kindsBefore)
        count = r.get<std::uint64_t>();
    if (r.failed())
        return std::nullopt;
    if (f.number == 0) {
        detail = "ring file number 0";
        return std::nullopt;
    }
    return f;
}

} // namespace

// The most common record: decoded into `out` in place, reusing its buffer, so decoding a
// capture does not allocate once per event.
bool decodeKernelEventInto(std::span<const std::byte> body, Record& out)
{
    ByteReader r(body);
    const auto seq = r.get<std::uint32_t>();
    const auto ack = r.get<std::uint32_t>();
    if (r.failed())
        return false;
    auto* event = std::get_if<KernelEventRecord>(&out);
    if (!event)
        event = &out.emplace<KernelEventRecord>();
    event->seq = seq;
    event->ack = ack;
    const auto bytes = r.rest();
    event->procEvent.assign(bytes.begin(), bytes.end());
    return true;
}

// Decoded into `out` in place (one per exec in a capture): its strings keep their buffers.
bool decodeProcessInto(std::span<const std::byte> body, Record& out, std::string& detail)
{
    ByteReader r(body);
    auto* p = std::get_if<ProcessRecord>(&out);
    if (!p)
        p = &out.emplace<ProcessRecord>();
    const auto source = r.get<std::uint8_t>();
    r.skip(1);
    p->readable = r.get<std::uint16_t>();
    p->pid = r.get<std::uint32_t>();
    p->tgid = r.get<std::uint32_t>();
    p->ppid = r.get<std::uint32_t>();
    p->ruid = r.get<std::uint32_t>();
    p->euid = r.get<std::uint32_t>();
    p->rgid = r.get<std::uint32_t>();
    p->egid = r.get<std::uint32_t>();
    p->startNs = r.get<std::uint64_t>();
    p->observedNs = r.get<std::uint64_t>();
    p->eventTimestampNs = r.get<std::uint64_t>();
    r.getString(p->comm);
    r.getString(p->exe);
    r.getString(p->cwd);
    const auto argc = r.get<std::uint32_t>();
    // Each argument needs at least its 4-byte length: a count beyond that is corruption, and
    // checking first keeps a forged count from reserving gigabytes.
    if (!r.failed() && argc > r.remaining() / 4) {
        detail = "argument count " + std::to_string(argc) + " exceeds the record";
        return false;
    }
    p->argv.resize(r.failed() ? 0 : argc);
    for (std::string& arg : p->argv)
        r.getString(arg);
    if (r.failed())
        return false;
    if (!inRange(source, ProcessSource::Snapshot, ProcessSource::Exec)) {
        detail = "unknown process source " + std::to_string(source);
        return false;
    }
    p->source = static_cast<ProcessSource>(source);
    return true;
}

std::optional<Record> decodeRecordBody(
    RecordKind kind, std::span<const std::byte> body, std::string& detail)
{
    ByteReader r(body);
    std::optional<Record> record;
    switch (kind) {
    case RecordKind::Header:
        record = decodeHeader(r, detail);
        break;
    case RecordKind::KernelEvent: {
        Record event;
        if (decodeKernelEventInto(body, event))
            record = std::move(event);
        break;
    }
    case RecordKind::Process: {
        Record process;
        if (decodeProcessInto(body, process, detail))
            record = std::move(process);
        break;
    }
    case RecordKind::Loss:
        record = decodeLoss(r, detail, LossReason::KernelOverrun, LossReason::MalformedMessage);
        break;
    case RecordKind::CostLoss:
        record = decodeLoss(r, detail, LossReason::CostOverrun, LossReason::CostWithoutExit);
        break;
    case RecordKind::Status:
        record = decodeStatus(r, detail);
        break;
    case RecordKind::Trailer:
        record = decodeTrailer(r, detail);
        break;
    case RecordKind::TaskCost:
        record = decodeTaskCost(r);
        break;
    case RecordKind::Host:
        record = decodeHost(r, detail);
        break;
    case RecordKind::HostBytes:
        record = decodeHostBytes(r, detail);
        break;
    case RecordKind::HostEnd:
        record = decodeHostEnd(r, detail);
        break;
    case RecordKind::RingFile:
        record = decodeRingFile(r, detail);
        break;
    }
    if (!record && detail.empty())
        detail = "body of " + std::to_string(body.size()) + " bytes is too short for its fields";
    return record;
}

} // namespace procscope::capture
