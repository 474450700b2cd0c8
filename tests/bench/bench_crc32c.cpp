// SPDX-License-Identifier: GPL-3.0-or-later
// Which CRC to checksum capture records with: the sizes that matter are a record header's
// 12 bytes, a kernel event's 48-byte body, a process description of a few hundred bytes, and
// a large argv. Compared: the CPU's crc32 instruction (SSE4.2), a slice-by-8 table (the
// fallback), ISA-L's crc32_iscsi (the same CRC32C; libisal-dev) and zlib's crc32 (CRC-32/IEEE,
// a different polynomial, for reference: the library most programs already link).

#include "capture/crc32c.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#if PROCSCOPE_BENCH_ISAL
#include <isa-l/crc.h>
#endif
#if PROCSCOPE_BENCH_ZLIB
#include <zlib.h>
#endif

using namespace procscope::capture;

namespace {

std::vector<std::byte> input(std::size_t size)
{
    std::vector<std::byte> bytes(size);
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = std::byte(i * 131 + 7);
    return bytes;
}

template <typename Crc>
void run(benchmark::State& state, Crc crc)
{
    const auto bytes = input(std::size_t(state.range(0)));
    std::uint32_t sum = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(bytes.data());
        sum += crc(bytes);
        benchmark::ClobberMemory();
    }
    benchmark::DoNotOptimize(sum);
    state.SetBytesProcessed(std::int64_t(state.iterations()) * state.range(0));
}

void Instruction(benchmark::State& state)
{
    if (!detail::hasCrc32cInstruction()) {
        state.SkipWithError("this CPU has no SSE4.2 crc32 instruction");
        return;
    }
    run(state, [](std::span<const std::byte> b) { return detail::crc32cInstruction(b, 0); });
}

void SliceBy8Table(benchmark::State& state)
{
    run(state, [](std::span<const std::byte> b) { return detail::crc32cTable(b, 0); });
}

void Dispatched(benchmark::State& state) // what the encoder and decoder call
{
    run(state, [](std::span<const std::byte> b) { return crc32c(b); });
}

#if PROCSCOPE_BENCH_ISAL
std::uint32_t isal(std::span<const std::byte> b)
{
    // ISA-L takes and returns the raw register: pre- and post-inversion are the caller's.
    return ~crc32_iscsi(const_cast<unsigned char*>(reinterpret_cast<const unsigned char*>(b.data())), int(b.size()), 0xFFFFFFFF);
}
void IsaL(benchmark::State& state)
{
    run(state, isal);
}
BENCHMARK(IsaL)->Arg(12)->Arg(48)->Arg(300)->Arg(4096);
#endif

#if PROCSCOPE_BENCH_ZLIB
void ZlibCrc32Ieee(benchmark::State& state)
{
    run(state, [](std::span<const std::byte> b) {
        return std::uint32_t(::crc32(0, reinterpret_cast<const Bytef*>(b.data()), uInt(b.size())));
    });
}
BENCHMARK(ZlibCrc32Ieee)->Arg(12)->Arg(48)->Arg(300)->Arg(4096);
#endif

BENCHMARK(Instruction)->Arg(12)->Arg(48)->Arg(300)->Arg(4096);
BENCHMARK(SliceBy8Table)->Arg(12)->Arg(48)->Arg(300)->Arg(4096);
BENCHMARK(Dispatched)->Arg(12)->Arg(48)->Arg(300)->Arg(4096);

} // namespace

int main(int argc, char** argv)
{
    // The contenders must agree before their speed means anything.
    const char* check = "123456789";
    const std::span<const std::byte> nine(reinterpret_cast<const std::byte*>(check), 9);
    const auto large = input(4099);
    bool agree = detail::crc32cTable(nine, 0) == 0xE3069283 && crc32c(nine) == 0xE3069283
        && crc32c(large) == detail::crc32cTable(large, 0);
#if PROCSCOPE_BENCH_ISAL
    agree = agree && isal(nine) == 0xE3069283 && isal(large) == crc32c(large);
#endif
    if (!agree) {
        std::fprintf(stderr, "bench_crc32c: the CRC32C implementations disagree\n");
        return 1;
    }
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
