// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// CRC32C (Castagnoli, the iSCSI/ext4 checksum) of capture records. The CPU's crc32
// instruction when it has one (SSE4.2), a slice-by-8 table otherwise; tests/bench/bench_crc32c
// compares both with zlib's and ISA-L's.

#include <cstddef>
#include <cstdint>
#include <span>

namespace procscope::capture {

// Extends `crc` (the CRC32C of the bytes before) over `bytes`: crc32c(b, crc32c(a)) is the
// CRC32C of a followed by b. crc32c("123456789") == 0xE3069283.
std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc = 0);

namespace detail {
std::uint32_t crc32cTable(std::span<const std::byte> bytes, std::uint32_t crc); // any CPU
std::uint32_t crc32cInstruction(
    std::span<const std::byte> bytes, std::uint32_t crc); // needs hasCrc32cInstruction()
bool hasCrc32cInstruction();
} // namespace detail

} // namespace procscope::capture
