// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The version 2 record header: 16 bytes that check themselves, so a reader can tell an intact
// record from damage and, after damage, find where the next intact record starts.
//   0  2  sync marker F5 C1 (two bytes never seen in UTF-8 text)
//   2  2  kind
//   4  4  body length (at most kMaxRecordBody)
//   8  4  CRC32C of the body
//  12  4  CRC32C of bytes 0..11

#include "capture/records.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace procscope::capture {

struct RecordHeader
{
    std::uint16_t kind = 0;
    std::uint32_t length = 0;
    std::uint32_t bodyCrc = 0;
};

// Writes the header for `body` into the kRecordHeaderSize bytes at `at`.
void writeRecordHeader(std::byte* at, std::uint16_t kind, std::span<const std::byte> body);

// The header at the start of `bytes` (at least kRecordHeaderSize of them), or nullopt when it
// is not intact: wrong marker, a header CRC that does not match, or an impossible length.
std::optional<RecordHeader> readRecordHeader(std::span<const std::byte> bytes);

struct HeaderSearch
{
    std::size_t offset; // of the intact header found, or where to search again with more bytes
    bool found;
};
// Looks for the next intact header in `bytes` from `from` on. Bytes that could still start one
// once more arrive (the last kRecordHeaderSize - 1) are never passed over.
HeaderSearch findRecordHeader(std::span<const std::byte> bytes, std::size_t from);

} // namespace procscope::capture
