// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/encoder.h"

#include "capture/byte_codec.h"
#include "capture/record_header.h"

#include <algorithm>
#include <type_traits>

namespace procscope::capture {

namespace {

template <typename E> constexpr auto raw(E value)
{
    return static_cast<std::underlying_type_t<E>>(value);
}

void encodeBody(const HeaderRecord& r, ByteWriter& w)
{
    w.put(r.monotonicNs);
    w.put(r.realtimeNs);
    w.put(r.requestedMask);
    w.put(raw(r.mode));
    w.put(r.flags);
    w.put(std::uint16_t { 0 });
    w.put(r.helperPid);
    w.putString(r.hostName);
    w.putString(r.kernelRelease);
    w.putString(r.bootId);
    w.putString(r.helperVersion);
}

void encodeBody(const KernelEventRecord& r, ByteWriter& w)
{
    w.put(r.seq);
    w.put(r.ack);
    w.putBytes(r.procEvent);
}

void encodeBody(const ProcessRecord& r, ByteWriter& w)
{
    w.put(raw(r.source));
    w.put(std::uint8_t { 0 });
    w.put(r.readable);
    for (const std::uint32_t id : { r.pid, r.tgid, r.ppid, r.ruid, r.euid, r.rgid, r.egid })
        w.put(id);
    w.put(r.startNs);
    w.put(r.observedNs);
    w.put(r.eventTimestampNs);
    w.putString(r.comm);
    w.putString(r.exe);
    w.putString(r.cwd);
    w.put(static_cast<std::uint32_t>(r.argv.size()));
    for (const std::string& arg : r.argv)
        w.putString(arg);
}

void encodeBody(const LossRecord& r, ByteWriter& w)
{
    w.put(raw(r.reason));
    w.put(std::uint8_t { 0 });
    w.put(std::uint16_t { 0 });
    w.put(r.cpu);
    w.put(r.count);
    w.put(r.timestampNs);
}

void encodeBody(const StatusRecord& r, ByteWriter& w)
{
    w.put(raw(r.level));
    w.put(std::uint8_t { 0 });
    w.put(raw(r.code));
    w.put(r.timestampNs);
    w.putString(r.message);
}

void encodeBody(const TrailerRecord& r, ByteWriter& w)
{
    w.put(r.timestampNs);
    w.put(raw(r.stopReason));
    w.put(std::uint8_t { 0 });
    w.put(std::uint16_t { 0 });
    w.put(r.events);
    w.put(r.processes);
    for (const std::uint64_t lost : r.lost)
        w.put(lost);
}

void encodeBody(const TaskCostRecord& r, ByteWriter& w)
{
    const protocol::TaskFigures& f = r.figures;
    for (const std::uint32_t id : { f.pid, f.tgid, f.ppid, f.exitCode })
        w.put(id);
    w.put(r.flags);
    w.put(f.version);
    w.put(std::uint32_t { 0 });
    w.put(r.timestampNs);
    for (const std::uint64_t value : { f.userNs, f.systemNs, f.elapsedNs, f.maxRssBytes,
             f.maxVmBytes, f.readBytes, f.writeBytes, f.readChars, f.writeChars, f.minorFaults,
             f.majorFaults, f.voluntarySwitches, f.involuntarySwitches, f.cpuDelayNs,
             f.blkioDelayNs, f.swapinDelayNs, f.reclaimDelayNs })
        w.put(value);
    w.putString(f.comm);
}

void encodeBody(const HostRecord& r, ByteWriter& w)
{
    w.put(r.index);
    w.put(std::uint16_t { 0 });
    w.putString(r.label);
    w.putString(r.address);
}

void encodeBody(const HostBytesRecord& r, ByteWriter& w)
{
    w.put(r.index);
    w.put(std::uint16_t { 0 });
    w.putBytes(r.bytes);
}

void encodeBody(const HostEndRecord& r, ByteWriter& w)
{
    w.put(r.index);
    w.put(raw(r.reason));
    w.put(std::uint8_t { 0 });
    w.put(r.realtimeNs);
    w.putString(r.message);
}

void encodeBody(const RingFileRecord& r, ByteWriter& w)
{
    w.put(r.number);
    w.put(std::uint32_t { 0 });
    w.put(r.realtimeNs);
    w.put(r.eventsBefore);
    for (const std::uint64_t count : r.kindsBefore)
        w.put(count);
}

template <typename T> constexpr RecordKind kindOf()
{
    if constexpr (std::is_same_v<T, HeaderRecord>)
        return RecordKind::Header;
    else if constexpr (std::is_same_v<T, KernelEventRecord>)
        return RecordKind::KernelEvent;
    else if constexpr (std::is_same_v<T, ProcessRecord>)
        return RecordKind::Process;
    else if constexpr (std::is_same_v<T, LossRecord>)
        return RecordKind::Loss;
    else if constexpr (std::is_same_v<T, StatusRecord>)
        return RecordKind::Status;
    else if constexpr (std::is_same_v<T, TaskCostRecord>)
        return RecordKind::TaskCost;
    else if constexpr (std::is_same_v<T, HostRecord>)
        return RecordKind::Host;
    else if constexpr (std::is_same_v<T, HostBytesRecord>)
        return RecordKind::HostBytes;
    else if constexpr (std::is_same_v<T, HostEndRecord>)
        return RecordKind::HostEnd;
    else if constexpr (std::is_same_v<T, RingFileRecord>)
        return RecordKind::RingFile;
    else {
        static_assert(std::is_same_v<T, TrailerRecord>);
        return RecordKind::Trailer;
    }
}

// Leaves room for the record header, lets `body` append, then writes the header: its length and
// checksums are computed over the body where it lies, so nothing is copied for them.
template <typename BodyWriter>
bool framed(RecordKind kind, std::vector<std::byte>& out, BodyWriter&& body)
{
    const std::size_t start = out.size();
    out.resize(start + kRecordHeaderSize);
    ByteWriter w(out);
    body(w);
    const std::size_t bodySize = out.size() - start - kRecordHeaderSize;
    if (bodySize > kMaxRecordBody) {
        out.resize(start);
        return false;
    }
    writeRecordHeader(out.data() + start, raw(kind),
        std::span<const std::byte>(out).subspan(start + kRecordHeaderSize));
    return true;
}

} // namespace

void appendPreamble(std::vector<std::byte>& out, std::uint16_t major)
{
    ByteWriter w(out);
    w.putBytes(kMagic);
    w.put(major);
    w.put(major == kMultiHostMajorVersion ? kMultiHostMinorVersion : kMinorVersion);
    w.put(std::uint32_t { 0 });
}

bool appendRecord(const Record& record, std::vector<std::byte>& out)
{
    return std::visit(
        [&out](const auto& r) {
            using T = std::decay_t<decltype(r)>;
            RecordKind kind = kindOf<T>();
            if constexpr (std::is_same_v<T, LossRecord>) {
                if (r.reason >= LossReason::CostOverrun)
                    kind = RecordKind::CostLoss;
            }
            return framed(kind, out, [&r](ByteWriter& w) { encodeBody(r, w); });
        },
        record);
}

bool appendKernelEvent(std::uint32_t seq, std::uint32_t ack, std::span<const std::byte> procEvent,
    std::vector<std::byte>& out)
{
    return framed(RecordKind::KernelEvent, out, [&](ByteWriter& w) {
        w.put(seq);
        w.put(ack);
        w.putBytes(procEvent);
    });
}

void appendHostBytes(
    std::uint16_t host, std::span<const std::byte> bytes, std::vector<std::byte>& out)
{
    constexpr std::size_t kPerRecord = kMaxRecordBody - 4; // the host index and reserved bytes
    do {
        const auto part = bytes.first(std::min(bytes.size(), kPerRecord));
        bytes = bytes.subspan(part.size());
        framed(RecordKind::HostBytes, out, [&](ByteWriter& w) {
            w.put(host);
            w.put(std::uint16_t { 0 });
            w.putBytes(part);
        });
    } while (!bytes.empty());
}

} // namespace procscope::capture
