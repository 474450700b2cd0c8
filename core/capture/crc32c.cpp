// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/crc32c.h"

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace procscope::capture {

namespace detail {

namespace {

constexpr std::uint32_t kPolynomial = 0x82F63B78; // Castagnoli, reflected

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

// tables[k][b]: the CRC of byte b followed by k zero bytes, so eight bytes fold in one step.
constexpr Tables makeTables()
{
    Tables t {};
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t crc = b;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1) ? kPolynomial : 0);
        t[0][b] = crc;
    }
    for (std::size_t k = 1; k < 8; ++k) {
        for (std::size_t b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
    }
    return t;
}

constexpr Tables kTables = makeTables();

std::uint64_t load64(const std::byte* p)
{
    std::uint64_t value;
    std::memcpy(&value, p, sizeof value);
    if constexpr (std::endian::native == std::endian::big)
        value = __builtin_bswap64(value);
    return value;
}

} // namespace

std::uint32_t crc32cTable(std::span<const std::byte> bytes, std::uint32_t crc)
{
    crc = ~crc;
    const std::byte* p = bytes.data();
    std::size_t n = bytes.size();
    for (; n >= 8; n -= 8, p += 8) {
        const std::uint64_t v = load64(p) ^ crc;
        crc = kTables[7][v & 0xFF] ^ kTables[6][(v >> 8) & 0xFF] ^ kTables[5][(v >> 16) & 0xFF]
            ^ kTables[4][(v >> 24) & 0xFF] ^ kTables[3][(v >> 32) & 0xFF]
            ^ kTables[2][(v >> 40) & 0xFF] ^ kTables[1][(v >> 48) & 0xFF] ^ kTables[0][v >> 56];
    }
    for (; n > 0; --n, ++p)
        crc = (crc >> 8) ^ kTables[0][(crc ^ std::to_integer<std::uint32_t>(*p)) & 0xFF];
    return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) std::uint32_t crc32cInstruction(
    std::span<const std::byte> bytes, std::uint32_t crc)
{
    std::uint64_t c = ~crc;
    const std::byte* p = bytes.data();
    std::size_t n = bytes.size();
    // One dependent chain: records are tens of bytes, too short for interleaved streams to pay.
    for (; n >= 8; n -= 8, p += 8)
        c = _mm_crc32_u64(c, load64(p));
    auto c32 = static_cast<std::uint32_t>(c);
    // The tail in at most three steps (a record header's checked part is 8 + 4 bytes).
    if (n >= 4) {
        std::uint32_t v;
        std::memcpy(&v, p, sizeof v);
        c32 = _mm_crc32_u32(
            c32, std::endian::native == std::endian::little ? v : __builtin_bswap32(v));
        n -= 4, p += 4;
    }
    if (n >= 2) {
        std::uint16_t v;
        std::memcpy(&v, p, sizeof v);
        c32 = _mm_crc32_u16(
            c32, std::endian::native == std::endian::little ? v : __builtin_bswap16(v));
        n -= 2, p += 2;
    }
    if (n > 0)
        c32 = _mm_crc32_u8(c32, std::to_integer<std::uint8_t>(*p));
    return ~c32;
}

bool hasCrc32cInstruction()
{
    __builtin_cpu_init(); // may run before the constructors that would otherwise do this
    return __builtin_cpu_supports("sse4.2");
}
#else
std::uint32_t crc32cInstruction(std::span<const std::byte> bytes, std::uint32_t crc)
{
    return crc32cTable(bytes, crc);
}

bool hasCrc32cInstruction()
{
    return false;
}
#endif

} // namespace detail

namespace {
// Chosen once, before main: no guard to test on every call (this runs twice per record).
const auto g_implementation
    = detail::hasCrc32cInstruction() ? detail::crc32cInstruction : detail::crc32cTable;
} // namespace

std::uint32_t crc32c(std::span<const std::byte> bytes, std::uint32_t crc)
{
    return g_implementation(bytes, crc);
}

} // namespace procscope::capture
