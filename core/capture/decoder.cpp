// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/decoder.h"

#include "capture/byte_codec.h"

#include <algorithm>

namespace procscope::capture {

namespace {

template <typename E>
bool inRange(std::underlying_type_t<E> value, E first, E last)
{
    return value >= static_cast<std::underlying_type_t<E>>(first) && value <= static_cast<std::underlying_type_t<E>>(last);
}

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
bool decodeProcessInto(ByteReader& r, Record& out, std::string& detail)
{
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

std::optional<Record> decodeLoss(ByteReader& r, std::string& detail)
{
    LossRecord l;
    const auto reason = r.get<std::uint8_t>();
    r.skip(3);
    l.cpu = r.get<std::uint32_t>();
    l.count = r.get<std::uint64_t>();
    l.timestampNs = r.get<std::uint64_t>();
    if (r.failed())
        return std::nullopt;
    if (!inRange(reason, LossReason::KernelOverrun, LossReason::MalformedMessage)) {
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
    s.code = static_cast<StatusCode>(r.get<std::uint16_t>()); // unknown codes are kept: newer helpers add some
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
    for (auto& lost : t.lost)
        lost = r.get<std::uint64_t>();
    if (r.failed())
        return std::nullopt;
    if (!inRange(reason, StopReason::Signal, StopReason::RuntimeError)) {
        detail = "unknown stop reason " + std::to_string(reason);
        return std::nullopt;
    }
    t.stopReason = static_cast<StopReason>(reason);
    return t;
}

} // namespace

std::optional<Record> decodeRecordBody(RecordKind kind, std::span<const std::byte> body, std::string& detail)
{
    ByteReader r(body);
    std::optional<Record> record;
    switch (kind) {
    case RecordKind::Header: record = decodeHeader(r, detail); break;
    case RecordKind::KernelEvent: {
        Record event;
        if (decodeKernelEventInto(body, event))
            record = std::move(event);
        break;
    }
    case RecordKind::Process: {
        Record process;
        if (decodeProcessInto(r, process, detail))
            record = std::move(process);
        break;
    }
    case RecordKind::Loss: record = decodeLoss(r, detail); break;
    case RecordKind::Status: record = decodeStatus(r, detail); break;
    case RecordKind::Trailer: record = decodeTrailer(r, detail); break;
    }
    if (!record && detail.empty())
        detail = "body of " + std::to_string(body.size()) + " bytes is too short for its fields";
    return record;
}

void StreamDecoder::feed(std::span<const std::byte> bytes)
{
    if (m_state == State::Failed || bytes.empty())
        return;
    // Drop consumed bytes once they dominate, so the buffer stays about one record large.
    if (m_start > 0 && m_start >= m_buffer.size() / 2) {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_start));
        m_start = 0;
    }
    m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
}

std::span<const std::byte> StreamDecoder::pending() const
{
    return std::span<const std::byte>(m_buffer).subspan(m_start);
}

void StreamDecoder::consume(std::size_t count)
{
    m_start += count;
    m_streamOffset += count;
}

StreamDecoder::Step StreamDecoder::fail(DecodeErrorKind kind, std::uint64_t offset, std::string detail)
{
    m_state = State::Failed;
    m_error = DecodeError { kind, offset, std::move(detail) };
    return Step::Failed;
}

StreamDecoder::Step StreamDecoder::next(Record& out)
{
    if (m_state == State::Failed)
        return Step::Failed;
    const auto bytes = pending();

    if (m_state == State::Preamble) {
        // Judge the magic as soon as its bytes arrive, so a wrong file fails early.
        const std::size_t known = std::min(bytes.size(), kMagic.size());
        if (!std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(known), kMagic.begin()))
            return fail(DecodeErrorKind::WrongMagic, 0, "not a Procscope capture (wrong magic bytes)");
        if (bytes.size() < kPreambleSize)
            return Step::NeedMore;
        ByteReader r(bytes.subspan(kMagic.size()));
        const auto major = r.get<std::uint16_t>();
        m_minor = r.get<std::uint16_t>();
        if (major > kMajorVersion)
            return fail(DecodeErrorKind::NewerVersion, 8,
                "written by format version " + std::to_string(major) + "." + std::to_string(m_minor)
                    + "; this build reads version " + std::to_string(kMajorVersion));
        if (major == 0)
            return fail(DecodeErrorKind::NewerVersion, 8, "invalid format version 0");
        consume(kPreambleSize);
        m_state = State::FirstRecord;
        return next(out);
    }

    if (bytes.size() < kRecordHeaderSize)
        return Step::NeedMore;
    ByteReader header(bytes);
    const auto length = header.get<std::uint32_t>();
    const auto kind = header.get<std::uint16_t>();
    const std::uint64_t recordOffset = m_streamOffset;
    if (length > kMaxRecordBody)
        return fail(DecodeErrorKind::OversizedRecord, recordOffset,
            "record of " + std::to_string(length) + " bytes exceeds the " + std::to_string(kMaxRecordBody) + "-byte limit");
    const bool known = inRange(kind, RecordKind::Header, RecordKind::Trailer);
    if (m_state == State::FirstRecord && (!known || static_cast<RecordKind>(kind) != RecordKind::Header))
        return fail(DecodeErrorKind::MissingHeader, recordOffset,
            "the first record is of kind " + std::to_string(kind) + ", not a header");
    if (bytes.size() < kRecordHeaderSize + length)
        return Step::NeedMore;
    const auto body = bytes.subspan(kRecordHeaderSize, length);
    consume(kRecordHeaderSize + length);

    if (!known) {
        ++m_unknownSkipped; // a newer writer's record kind: skipped by length, as the format promises
        return Step::Skipped;
    }
    // The two common kinds decode in place, reusing the buffers of the previous record.
    if (m_state == State::Records && static_cast<RecordKind>(kind) == RecordKind::KernelEvent && decodeKernelEventInto(body, out)) {
        ++m_records;
        return Step::GotRecord;
    }
    if (m_state == State::Records && static_cast<RecordKind>(kind) == RecordKind::Process) {
        ByteReader reader(body);
        std::string problem;
        if (decodeProcessInto(reader, out, problem)) {
            ++m_records;
            return Step::GotRecord;
        }
    }
    std::string detail;
    auto record = decodeRecordBody(static_cast<RecordKind>(kind), body, detail);
    if (!record) {
        if (m_state == State::FirstRecord)
            return fail(DecodeErrorKind::CorruptRecord, recordOffset, "corrupt header record: " + detail);
        ++m_corruptSkipped;
        m_error = DecodeError { DecodeErrorKind::CorruptRecord, recordOffset, "corrupt record of kind " + std::to_string(kind) + ": " + detail };
        return Step::Skipped;
    }
    if (m_state == State::Records && std::holds_alternative<HeaderRecord>(*record)) {
        ++m_corruptSkipped;
        m_error = DecodeError { DecodeErrorKind::CorruptRecord, recordOffset, "a second header record" };
        return Step::Skipped;
    }
    m_state = State::Records;
    m_sawTrailer = m_sawTrailer || std::holds_alternative<TrailerRecord>(*record);
    ++m_records;
    out = std::move(*record);
    return Step::GotRecord;
}

std::optional<DecodeError> StreamDecoder::finish()
{
    if (m_state == State::Failed)
        return m_error;
    const auto bytes = pending();
    if (m_state == State::Preamble) {
        if (bytes.empty())
            return fail(DecodeErrorKind::EmptyStream, 0, "the stream is empty"), m_error;
        return fail(DecodeErrorKind::TruncatedRecord, 0,
                   "the stream ends inside the " + std::to_string(kPreambleSize) + "-byte preamble"),
               m_error;
    }
    if (m_state == State::FirstRecord && bytes.empty())
        return fail(DecodeErrorKind::MissingHeader, m_streamOffset, "the stream ends before its header record"), m_error;
    if (!bytes.empty()) {
        std::string detail = "the stream ends inside a record: " + std::to_string(bytes.size()) + " bytes of ";
        if (bytes.size() >= kRecordHeaderSize) {
            ByteReader header(bytes);
            detail += std::to_string(kRecordHeaderSize + header.get<std::uint32_t>());
        } else {
            detail += "at least " + std::to_string(kRecordHeaderSize);
        }
        return fail(DecodeErrorKind::TruncatedRecord, m_streamOffset, detail), m_error;
    }
    return std::nullopt;
}

std::string DecodeError::message() const
{
    return detail + " (at byte offset " + std::to_string(offset) + ")";
}

const char* decodeErrorKindName(DecodeErrorKind kind)
{
    switch (kind) {
    case DecodeErrorKind::WrongMagic: return "wrong-magic";
    case DecodeErrorKind::NewerVersion: return "newer-version";
    case DecodeErrorKind::MissingHeader: return "missing-header";
    case DecodeErrorKind::OversizedRecord: return "oversized-record";
    case DecodeErrorKind::CorruptRecord: return "corrupt-record";
    case DecodeErrorKind::TruncatedRecord: return "truncated-record";
    case DecodeErrorKind::EmptyStream: return "empty-stream";
    }
    return "unknown";
}

} // namespace procscope::capture
