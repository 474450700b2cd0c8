// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/decoder.h"

#include "capture/body_decoder.h"
#include "capture/byte_codec.h"
#include "capture/crc32c.h"
#include "capture/record_header.h"

#include <algorithm>

namespace procscope::capture {

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

StreamDecoder::Step StreamDecoder::fail(
    DecodeErrorKind kind, std::uint64_t offset, std::string detail)
{
    m_state = State::Failed;
    m_error = DecodeError { kind, offset, std::move(detail) };
    return Step::Failed;
}

StreamDecoder::Step StreamDecoder::next(Record& out)
{
    if (m_state == State::Failed)
        return Step::Failed;
    if (m_state == State::Preamble) {
        const auto bytes = pending();
        // Judge the magic as soon as its bytes arrive, so a wrong file fails early.
        const std::size_t known = std::min(bytes.size(), kMagic.size());
        if (!std::equal(
                bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(known), kMagic.begin()))
            return fail(
                DecodeErrorKind::WrongMagic, 0, "not a Procscope capture (wrong magic bytes)");
        if (bytes.size() < kPreambleSize)
            return Step::NeedMore;
        ByteReader r(bytes.subspan(kMagic.size()));
        m_major = r.get<std::uint16_t>();
        m_minor = r.get<std::uint16_t>();
        if (m_major > kMultiHostMajorVersion)
            return fail(DecodeErrorKind::NewerVersion, 8,
                "written by format version " + std::to_string(m_major) + "."
                    + std::to_string(m_minor) + "; this build reads versions 1 to "
                    + std::to_string(kMultiHostMajorVersion));
        if (m_major == 0)
            return fail(DecodeErrorKind::NewerVersion, 8, "invalid format version 0");
        if (m_major > m_maxMajor)
            return fail(DecodeErrorKind::NewerVersion, 8,
                "one host's stream labelled as a capture of several hosts (version "
                    + std::to_string(m_major) + ")");
        consume(kPreambleSize);
        m_state = State::FirstRecord;
    }
    return m_major == 1 ? nextV1(out) : nextV2(out);
}

// Version 1 records carry no checksum: damage is found only where it makes a field impossible,
// and a damaged length ends the stream.
StreamDecoder::Step StreamDecoder::nextV1(Record& out)
{
    const auto bytes = pending();
    if (bytes.size() < kRecordHeaderSizeV1)
        return Step::NeedMore;
    ByteReader header(bytes);
    const auto length = header.get<std::uint32_t>();
    const auto kind = header.get<std::uint16_t>();
    const std::uint64_t recordOffset = m_streamOffset;
    if (length > kMaxRecordBody)
        return fail(DecodeErrorKind::OversizedRecord, recordOffset,
            "record of " + std::to_string(length) + " bytes exceeds the "
                + std::to_string(kMaxRecordBody) + "-byte limit");
    if (m_state == State::FirstRecord && kind != static_cast<std::uint16_t>(RecordKind::Header))
        return fail(DecodeErrorKind::MissingHeader, recordOffset,
            "the first record is of kind " + std::to_string(kind) + ", not a header");
    if (bytes.size() < kRecordHeaderSizeV1 + length)
        return Step::NeedMore;
    consume(kRecordHeaderSizeV1 + length);
    return deliver(kind, bytes.subspan(kRecordHeaderSizeV1, length), recordOffset, out);
}

// Version 2: each header checks itself and its body's checksum. A damaged body costs its
// record; a damaged header is passed over byte by byte up to the next intact header, so one
// bad byte costs one record wherever it falls.
StreamDecoder::Step StreamDecoder::nextV2(Record& out)
{
    auto bytes = pending();
    if (bytes.size() < kRecordHeaderSize)
        return Step::NeedMore;
    auto header = readRecordHeader(bytes);
    if (!header) {
        if (!m_damageStart)
            m_damageStart = m_streamOffset;
        const HeaderSearch search = findRecordHeader(bytes, 1);
        consume(search.offset);
        if (!search.found)
            return Step::NeedMore;
        bytes = pending();
        header = readRecordHeader(bytes);
    }
    if (m_damageStart) // the intact header is delivered by the next call
        return endDamage("damaged data: " + std::to_string(m_streamOffset - *m_damageStart)
            + " bytes skipped to the next intact record");
    const std::uint64_t recordOffset = m_streamOffset;
    const auto firstKind = static_cast<std::uint16_t>(
        m_major == kMultiHostMajorVersion ? RecordKind::Host : RecordKind::Header);
    if (m_state == State::FirstRecord && header->kind != firstKind)
        return fail(DecodeErrorKind::MissingHeader, recordOffset,
            "the first record is of kind " + std::to_string(header->kind) + ", not a "
                + (m_major == kMultiHostMajorVersion ? "host declaration" : "header"));
    if (bytes.size() < kRecordHeaderSize + header->length)
        return Step::NeedMore;
    const auto body = bytes.subspan(kRecordHeaderSize, header->length);
    consume(kRecordHeaderSize + header->length);
    if (crc32c(body) != header->bodyCrc) {
        m_damageStart = recordOffset;
        return endDamage("record of kind " + std::to_string(header->kind) + " fails its checksum");
    }
    return deliver(header->kind, body, recordOffset, out);
}

StreamDecoder::Step StreamDecoder::endDamage(std::string detail)
{
    ++m_corruptSkipped;
    m_error = DecodeError { DecodeErrorKind::CorruptRecord, *m_damageStart, std::move(detail) };
    m_damageStart.reset();
    // A damaged first record was the header: what follows is still worth reading without it.
    if (m_state == State::FirstRecord)
        m_state = State::Records;
    return Step::Skipped;
}

// A framed body, whatever the version: known kinds are decoded, unknown ones skipped.
StreamDecoder::Step StreamDecoder::deliver(
    std::uint16_t kind, std::span<const std::byte> body, std::uint64_t recordOffset, Record& out)
{
    // Version 3 holds only the host records (each host's records are inside its bytes).
    const bool known = m_major == kMultiHostMajorVersion
        ? inRange(kind, RecordKind::Host, RecordKind::HostEnd)
        : inRange(kind, RecordKind::Header, RecordKind::CostLoss)
            || kind == static_cast<std::uint16_t>(RecordKind::RingFile);
    if (!known) {
        ++m_unknownSkipped; // a newer writer's record kind: skipped by length, as the format
                            // promises
        return Step::Skipped;
    }
    // The two common kinds decode in place, reusing the buffers of the previous record.
    if (m_state == State::Records && static_cast<RecordKind>(kind) == RecordKind::KernelEvent
        && decodeKernelEventInto(body, out)) {
        ++m_records;
        return Step::GotRecord;
    }
    if (m_state == State::Records && static_cast<RecordKind>(kind) == RecordKind::Process) {
        std::string problem;
        if (decodeProcessInto(body, out, problem)) {
            ++m_records;
            return Step::GotRecord;
        }
    }
    std::string detail;
    auto record = decodeRecordBody(static_cast<RecordKind>(kind), body, detail);
    if (!record) {
        if (m_state == State::FirstRecord)
            return fail(
                DecodeErrorKind::CorruptRecord, recordOffset, "corrupt header record: " + detail);
        ++m_corruptSkipped;
        m_error = DecodeError { DecodeErrorKind::CorruptRecord, recordOffset,
            "corrupt record of kind " + std::to_string(kind) + ": " + detail };
        return Step::Skipped;
    }
    if (m_state == State::Records && std::holds_alternative<HeaderRecord>(*record)) {
        ++m_corruptSkipped;
        m_error = DecodeError { DecodeErrorKind::CorruptRecord, recordOffset,
            "a second header record" };
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
                   "the stream ends inside the " + std::to_string(kPreambleSize)
                       + "-byte preamble"),
               m_error;
    }
    if (m_damageStart) // damage that no intact record followed
        return fail(DecodeErrorKind::CorruptRecord, *m_damageStart,
                   "damaged data: the last "
                       + std::to_string(m_streamOffset + bytes.size() - *m_damageStart)
                       + " bytes hold no intact record"),
               m_error;
    if (m_state == State::FirstRecord && bytes.empty())
        return fail(DecodeErrorKind::MissingHeader, m_streamOffset,
                   "the stream ends before its header record"),
               m_error;
    if (!bytes.empty()) {
        const std::size_t headerSize = m_major == 1 ? kRecordHeaderSizeV1 : kRecordHeaderSize;
        std::string detail
            = "the stream ends inside a record: " + std::to_string(bytes.size()) + " bytes of ";
        if (m_major == 1 && bytes.size() >= headerSize) {
            ByteReader header(bytes);
            detail += std::to_string(headerSize + header.get<std::uint32_t>());
        } else if (const auto header = m_major == 1 ? std::nullopt : readRecordHeader(bytes)) {
            detail += std::to_string(headerSize + header->length);
        } else {
            detail += "at least " + std::to_string(headerSize);
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
    case DecodeErrorKind::WrongMagic:
        return "wrong-magic";
    case DecodeErrorKind::NewerVersion:
        return "newer-version";
    case DecodeErrorKind::MissingHeader:
        return "missing-header";
    case DecodeErrorKind::OversizedRecord:
        return "oversized-record";
    case DecodeErrorKind::CorruptRecord:
        return "corrupt-record";
    case DecodeErrorKind::TruncatedRecord:
        return "truncated-record";
    case DecodeErrorKind::EmptyStream:
        return "empty-stream";
    }
    return "unknown";
}

} // namespace procscope::capture
