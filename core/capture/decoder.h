// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace procscope::capture {

enum class DecodeErrorKind
{
    WrongMagic, // not a Procscope capture
    NewerVersion, // written by a newer major version
    MissingHeader, // the first record is not a Header
    OversizedRecord, // a length beyond kMaxRecordBody: corruption
    CorruptRecord, // a checksum that fails, a body too short for its kind, or impossible values
                   // (skipped)
    TruncatedRecord, // the stream ended inside a record (or inside the preamble)
    EmptyStream, // no bytes at all
};

struct DecodeError
{
    DecodeErrorKind kind;
    std::uint64_t offset = 0; // stream offset of the record (or preamble) at fault
    std::string detail;
    std::string message() const; // one line, with the offset
    friend bool operator==(const DecodeError&, const DecodeError&) = default;
};
const char* decodeErrorKindName(DecodeErrorKind kind);

// Incremental decoder: feed() any number of bytes, then call next() until it stops returning
// records; only complete records are consumed, so a live socket and a file read in chunks
// decode identically. Call finish() at end of input to learn whether the stream ended cleanly.
// Reads format versions 1 and 2; in version 2 damage anywhere after the preamble costs only the
// damaged record (Skipped, with its offset in lastError()), never the rest of the stream.
class StreamDecoder
{
public:
    enum class Step
    {
        GotRecord, // `out` holds the next record
        NeedMore, // feed more bytes (or finish())
        Skipped, // a record was skipped (unknown kind, or damaged: see lastError()); call again
        Failed, // a fatal error (see lastError()); nothing more can be decoded
    };

    // One host's own stream (live, or inside a file of several hosts) is never itself of several
    // hosts: readers of those set kMajorVersion, so a host cannot forge records for the others.
    void setMaxMajorVersion(std::uint16_t major) { m_maxMajor = major; }
    void feed(std::span<const std::byte> bytes);
    Step next(Record& out);
    // End of input: returns nullopt for a clean end (at a record boundary after a header),
    // otherwise the error (truncated, empty). Records decoded so far stay valid.
    std::optional<DecodeError> finish();

    const std::optional<DecodeError>& lastError() const { return m_error; }
    std::uint64_t offset() const { return m_streamOffset; } // bytes consumed so far
    std::uint64_t recordsDecoded() const { return m_records; }
    std::uint64_t unknownSkipped() const { return m_unknownSkipped; }
    std::uint64_t corruptSkipped() const { return m_corruptSkipped; }
    bool sawTrailer() const { return m_sawTrailer; }
    std::uint16_t majorVersion() const { return m_major; }
    std::uint16_t minorVersion() const { return m_minor; }

private:
    enum class State
    {
        Preamble,
        FirstRecord,
        Records,
        Failed
    };
    Step fail(DecodeErrorKind kind, std::uint64_t offset, std::string detail);
    Step nextV1(Record& out);
    Step nextV2(Record& out);
    Step endDamage(std::string detail);
    Step deliver(std::uint16_t kind, std::span<const std::byte> body, std::uint64_t recordOffset,
        Record& out);
    std::span<const std::byte> pending() const;
    void consume(std::size_t count);

    std::vector<std::byte> m_buffer;
    std::size_t m_start = 0; // first unconsumed byte in m_buffer
    std::uint64_t m_streamOffset = 0; // stream offset of m_buffer[m_start]
    State m_state = State::Preamble;
    std::optional<DecodeError> m_error;
    std::uint64_t m_records = 0;
    std::uint64_t m_unknownSkipped = 0;
    std::uint64_t m_corruptSkipped = 0;
    bool m_sawTrailer = false;
    std::uint16_t m_major = 0;
    std::uint16_t m_minor = 0;
    std::uint16_t m_maxMajor = kMultiHostMajorVersion;
    std::optional<std::uint64_t>
        m_damageStart; // version 2: offset where skipping damaged bytes began
};

// Decodes one record body of a known kind. nullopt when it is too short or has impossible
// values; `detail` says which.
std::optional<Record> decodeRecordBody(
    RecordKind kind, std::span<const std::byte> body, std::string& detail);

} // namespace procscope::capture
