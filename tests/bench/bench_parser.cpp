// SPDX-License-Identifier: GPL-3.0-or-later
// Parse throughput on a realistic stream: the event mix of a fork storm (fork, exec, exit in
// near-equal parts, with some comm and uid/gid), 76-byte kernel datagrams. Budget: >= 50 M
// datagrams/s on one core.

#include "support/datagram_builder.h"

#include "protocol/parser.h"
#include "protocol/sequence_tracker.h"

#include <benchmark/benchmark.h>

using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

std::vector<Bytes> realisticDatagrams(std::size_t count)
{
    std::vector<Bytes> out;
    out.reserve(count);
    std::uint32_t pid = 10000;
    std::uint64_t ts = 5'000'000'000;
    for (std::size_t i = 0; i < count; ++i) {
        const auto cpu = static_cast<std::uint32_t>(i % 2);
        const auto seq = static_cast<std::uint32_t>(i / 2);
        ts += 1200;
        switch (i % 20) {
        case 18:
            out.push_back(eventDatagram(0x200, commBytes(pid, pid, "worker-thread\0\0\0"), cpu, ts, seq));
            break;
        case 19:
            out.push_back(eventDatagram(0x4, words({ pid, pid, 1000, 1000 }), cpu, ts, seq));
            break;
        default:
            if (i % 3 == 0)
                out.push_back(eventDatagram(0x1, words({ 900, 900, ++pid, pid }), cpu, ts, seq));
            else if (i % 3 == 1)
                out.push_back(eventDatagram(0x2, words({ pid, pid }), cpu, ts, seq));
            else
                out.push_back(eventDatagram(0x80000000, words({ pid, pid, 0, 17, 900, 900 }), cpu, ts, seq));
        }
    }
    return out;
}

const std::vector<Bytes>& sample()
{
    static const std::vector<Bytes> datagrams = realisticDatagrams(4096);
    return datagrams;
}

// Parse each datagram and touch the result, as a consumer would.
void BM_ParseDatagram(benchmark::State& state)
{
    const auto& datagrams = sample();
    std::size_t i = 0;
    std::uint64_t pids = 0;
    Message message;
    for (auto _ : state) {
        DatagramParser parser(datagrams[i], 0);
        while (parser.next(message)) {
            if (const auto* event = std::get_if<ProcEvent>(&message))
                pids += event->header.seq;
        }
        i = (i + 1) & 4095;
    }
    benchmark::DoNotOptimize(pids);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kEventDatagramSize));
}
BENCHMARK(BM_ParseDatagram);

// What a reader does per datagram: parse plus per-CPU sequence accounting.
void BM_ParseAndTrackSequence(benchmark::State& state)
{
    const auto& datagrams = sample();
    SequenceTracker tracker;
    std::size_t i = 0;
    Message message;
    for (auto _ : state) {
        DatagramParser parser(datagrams[i], 0);
        while (parser.next(message)) {
            if (const auto* event = std::get_if<ProcEvent>(&message))
                benchmark::DoNotOptimize(tracker.observe(event->header.cpu, event->header.seq));
        }
        i = (i + 1) & 4095;
        if (i == 0)
            tracker.reset(); // the sample repeats; start its sequence afresh
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ParseAndTrackSequence);

// A batch of 64 messages in one buffer (the parser walks NLMSG_ALIGN steps).
void BM_ParseMultiMessageBuffer(benchmark::State& state)
{
    Bytes batch;
    for (std::size_t i = 0; i < 64; ++i)
        batch = concat(std::move(batch), sample()[i]);
    Message message;
    for (auto _ : state) {
        DatagramParser parser(batch, 0);
        std::size_t n = 0;
        while (parser.next(message))
            ++n;
        benchmark::DoNotOptimize(n);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 64));
}
BENCHMARK(BM_ParseMultiMessageBuffer);

} // namespace

BENCHMARK_MAIN();
