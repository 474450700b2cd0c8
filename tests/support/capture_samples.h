// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Sample records of every kind, and a decoder driver, for capture format tests.

#include "capture/decoder.h"
#include "capture/encoder.h"
#include "datagram_builder.h"

#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace procscope::testing {

inline capture::HeaderRecord sampleHeader()
{
    capture::HeaderRecord h;
    h.monotonicNs = 123456789;
    h.realtimeNs = 1'795'000'000'000'000'000ULL;
    h.requestedMask = protocol::kAllEvents;
    h.mode = capture::SubscriptionMode::AllEvents;
    h.flags = capture::header_flags::kPrivileged;
    h.helperPid = 4242;
    h.hostName = "build-box";
    h.kernelRelease = "6.18.44-fc-v782";
    h.bootId = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    h.helperVersion = "0.1.0";
    return h;
}

inline capture::KernelEventRecord sampleKernelEvent(std::uint32_t seq = 7)
{
    capture::KernelEventRecord e;
    e.seq = seq;
    e.ack = 0;
    e.procEvent = procEvent(0x1, 1, 5000 + seq, paddedPayload(words({ 100, 100, 200 + seq, 200 + seq })));
    return e;
}

inline capture::ProcessRecord sampleProcess()
{
    capture::ProcessRecord p;
    p.source = capture::ProcessSource::Exec;
    p.readable = capture::readable::kComm | capture::readable::kArgv | capture::readable::kExe | capture::readable::kIds;
    p.pid = 200;
    p.tgid = 200;
    p.ppid = 100;
    p.ruid = 1000;
    p.euid = 0;
    p.rgid = 1000;
    p.egid = 27;
    p.startNs = 99;
    p.observedNs = 100;
    p.eventTimestampNs = 98;
    p.comm = "make";
    p.exe = "/usr/bin/make";
    p.cwd = "/home/user/src \xff\xfe"; // not UTF-8: must survive unchanged
    p.argv = { "make", "-j2", "", "--target=a b", std::string("nul\0inside", 10) };
    return p;
}

inline std::vector<capture::Record> sampleStream()
{
    using namespace capture;
    std::vector<Record> records;
    records.push_back(sampleHeader());
    records.push_back(StatusRecord { StatusLevel::Info, StatusCode::Started, 1, "capture started" });
    records.push_back(sampleProcess());
    for (std::uint32_t seq = 0; seq < 5; ++seq)
        records.push_back(sampleKernelEvent(seq));
    records.push_back(LossRecord { LossReason::SequenceGap, 1, 12, 7000 });
    records.push_back(LossRecord { LossReason::KernelOverrun, protocol::kNoCpu, 1, 7001 });
    records.push_back(StatusRecord { StatusLevel::Warning, StatusCode::EnrichmentReduced, 2, "enrichment reduced" });
    records.push_back(TrailerRecord { 9000, StopReason::Duration, 5, 1, { 1, 12, 0, 0, 0, 0 } });
    return records;
}

inline std::vector<std::byte> encodeStream(const std::vector<capture::Record>& records, bool preamble = true)
{
    std::vector<std::byte> out;
    if (preamble)
        capture::appendPreamble(out);
    for (const auto& record : records)
        capture::appendRecord(record, out);
    return out;
}

// The same records in format version 1 (no sync marker, no checksums), as older helpers wrote
// them: readers still open those files.
inline std::vector<std::byte> encodeStreamV1(const std::vector<capture::Record>& records, bool preamble = true)
{
    std::vector<std::byte> out;
    if (preamble) {
        capture::appendPreamble(out);
        out[8] = std::byte { 1 };
    }
    for (const auto& record : records) {
        std::vector<std::byte> v2;
        capture::appendRecord(record, v2);
        const auto body = std::span<const std::byte>(v2).subspan(capture::kRecordHeaderSize);
        appendU32(out, std::uint32_t(body.size()));
        out.insert(out.end(), v2.begin() + 2, v2.begin() + 4); // kind
        appendU16(out, 0); // flags
        out.insert(out.end(), body.begin(), body.end());
    }
    return out;
}

// A capture file's bytes (empty when it cannot be read).
inline std::vector<std::byte> readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* data = reinterpret_cast<const std::byte*>(bytes.data());
    return { data, data + bytes.size() };
}

struct DecodeOutcome {
    std::vector<capture::Record> records;
    std::vector<capture::DecodeError> skipped; // corrupt records passed over
    std::uint64_t unknownSkipped = 0;
    std::optional<capture::DecodeError> end; // nullopt: clean end
    bool sawTrailer = false;
};

// Feeds `bytes` in chunks of `chunk` bytes (0 = all at once), decoding after each feed.
inline DecodeOutcome decodeAll(std::span<const std::byte> bytes, std::size_t chunk = 0)
{
    using Step = capture::StreamDecoder::Step;
    capture::StreamDecoder decoder;
    DecodeOutcome outcome;
    if (chunk == 0)
        chunk = std::max<std::size_t>(bytes.size(), 1);
    bool failed = false;
    for (std::size_t at = 0; at < bytes.size() && !failed; at += chunk) {
        decoder.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at)));
        capture::Record record;
        for (Step step = decoder.next(record); step != Step::NeedMore; step = decoder.next(record)) {
            if (step == Step::GotRecord) {
                outcome.records.push_back(std::move(record));
            } else if (step == Step::Skipped) {
                if (decoder.lastError() && decoder.corruptSkipped() > outcome.skipped.size())
                    outcome.skipped.push_back(*decoder.lastError());
            } else {
                failed = true;
                break;
            }
        }
    }
    outcome.end = decoder.finish();
    outcome.unknownSkipped = decoder.unknownSkipped();
    outcome.sawTrailer = decoder.sawTrailer();
    return outcome;
}

} // namespace procscope::testing
