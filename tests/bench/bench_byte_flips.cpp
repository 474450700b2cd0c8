// SPDX-License-Identifier: GPL-3.0-or-later
// What the checksums of format version 2 are for: one damaged byte at a time over the bundled
// sample and over its version 1 copy (the same records without checksums), each change
// detected (reported as damage), harmless (what a reader shows is unchanged) or missed.
// Figures for the README's capture file integrity table, not pass/fail: tst_byte_flips holds
// version 2 to missing nothing. Counters: flips, detected, harmless, missed and
// detected_share (detected / the flips that were not harmless); time is per sweep of the file.

#include "support/byte_flips.h"
#include "support/capture_samples.h"

#include <benchmark/benchmark.h>

using namespace procscope::testing;

namespace {

void flipEveryByte(benchmark::State& state, const char* path)
{
    const auto bytes = readBytes(path);
    if (bytes.empty()) {
        state.SkipWithError("cannot read the sample");
        return;
    }
    FlipTally tally;
    for (auto _ : state)
        benchmark::DoNotOptimize(tally = flipEach(bytes, 1));
    state.counters["flips"] = double(tally.flips);
    state.counters["detected"] = double(tally.detected);
    state.counters["harmless"] = double(tally.harmless);
    state.counters["missed"] = double(tally.missed);
    state.counters["detected_share"] = tally.detectionRate();
    state.SetItemsProcessed(std::int64_t(state.iterations() * tally.flips));
}

} // namespace

BENCHMARK_CAPTURE(flipEveryByte, version2, PROCSCOPE_SAMPLE_CAPTURE)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(flipEveryByte, version1, PROCSCOPE_SAMPLE_CAPTURE_V1)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
