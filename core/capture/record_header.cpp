// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/record_header.h"

#include "capture/byte_codec.h"
#include "capture/crc32c.h"

#include <algorithm>
#include <cstring>

namespace procscope::capture {

namespace {

constexpr std::size_t kCheckedBytes = 12; // what the header CRC covers

template <typename T> void store(std::byte* at, T value)
{
    const T le = toLittleEndian(value);
    std::memcpy(at, &le, sizeof le);
}

template <typename T> T load(const std::byte* at)
{
    T value;
    std::memcpy(&value, at, sizeof value);
    return toLittleEndian(value);
}

} // namespace

void writeRecordHeader(std::byte* at, std::uint16_t kind, std::span<const std::byte> body)
{
    std::memcpy(at, kSyncMarker.data(), kSyncMarker.size());
    store(at + 2, kind);
    store(at + 4, static_cast<std::uint32_t>(body.size()));
    store(at + 8, crc32c(body));
    store(at + 12, crc32c(std::span<const std::byte>(at, kCheckedBytes)));
}

std::optional<RecordHeader> readRecordHeader(std::span<const std::byte> bytes)
{
    const std::byte* at = bytes.data();
    if (bytes.size() < kRecordHeaderSize || at[0] != kSyncMarker[0] || at[1] != kSyncMarker[1])
        return std::nullopt;
    if (crc32c(bytes.first(kCheckedBytes)) != load<std::uint32_t>(at + 12))
        return std::nullopt;
    RecordHeader header { load<std::uint16_t>(at + 2), load<std::uint32_t>(at + 4),
        load<std::uint32_t>(at + 8) };
    if (header.length > kMaxRecordBody)
        return std::nullopt; // checksummed, so written that way: not by us
    return header;
}

HeaderSearch findRecordHeader(std::span<const std::byte> bytes, std::size_t from)
{
    if (bytes.size() < kRecordHeaderSize)
        return { std::min(from, bytes.size()), false };
    const std::size_t last
        = bytes.size() - kRecordHeaderSize; // the last offset a whole header fits at
    for (std::size_t at = from; at <= last; ++at) {
        const void* marker
            = std::memchr(bytes.data() + at, std::to_integer<int>(kSyncMarker[0]), last + 1 - at);
        if (!marker)
            break;
        at = static_cast<std::size_t>(static_cast<const std::byte*>(marker) - bytes.data());
        if (readRecordHeader(bytes.subspan(at)))
            return { at, true };
    }
    return { std::max(from, last + 1), false };
}

} // namespace procscope::capture
