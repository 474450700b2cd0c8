// SPDX-License-Identifier: GPL-3.0-or-later
// Opening a 1 M-event capture: decode + session ingest (store, lineage, rates), from memory
// and from a file; memory per event. Budgets: >= 3 M records/s, open in <= 1 s, <= 100 bytes
// per event (interned strings excluded).

#include "support/storm_capture.h"

#include "capture/decoder.h"
#include "capture/encoder.h"
#include "session/capture_loader.h"
#include "session/display_filter.h"
#include "session/session.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <unistd.h>

using namespace procscope;
using namespace procscope::testing;

namespace {

constexpr std::size_t kEvents = 1'000'000;

// A fork storm with execs: per child fork, exec (+ its description), exit.
const std::vector<std::byte>& capture1M()
{
    static const std::vector<std::byte> bytes = stormCapture(kEvents);
    return bytes;
}

// The same storm with every process's figures after its exit (a privileged capture).
const std::vector<std::byte>& capture1MWithCosts()
{
    static const std::vector<std::byte> bytes = stormCapture(kEvents, true);
    return bytes;
}

// The same capture in format version 1 (8-byte record headers, no checksums), to tell what
// version 2's framing costs a reader from everything else.
const std::vector<std::byte>& capture1MVersion1()
{
    static const std::vector<std::byte> bytes = [] {
        const auto& v2 = capture1M();
        std::vector<std::byte> out(v2.begin(), v2.begin() + capture::kPreambleSize);
        out[8] = std::byte { 1 };
        for (std::size_t at = capture::kPreambleSize; at + capture::kRecordHeaderSize <= v2.size();) {
            std::uint32_t length = 0;
            std::memcpy(&length, v2.data() + at + 4, sizeof length);
            const std::uint8_t header[8] = { std::uint8_t(length), std::uint8_t(length >> 8), std::uint8_t(length >> 16),
                std::uint8_t(length >> 24), std::to_integer<std::uint8_t>(v2[at + 2]), std::to_integer<std::uint8_t>(v2[at + 3]), 0, 0 };
            const auto* h = reinterpret_cast<const std::byte*>(header);
            out.insert(out.end(), h, h + sizeof header);
            const auto body = v2.begin() + std::ptrdiff_t(at + capture::kRecordHeaderSize);
            out.insert(out.end(), body, body + length);
            at += capture::kRecordHeaderSize + length;
        }
        return out;
    }();
    return bytes;
}

// In 1 MiB pieces, as the file loader and the live socket feed the decoder.
void ingest(std::span<const std::byte> bytes, session::Session& session, std::uint64_t& records)
{
    constexpr std::size_t kPiece = 1 << 20;
    capture::StreamDecoder decoder;
    capture::Record record;
    for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
        decoder.feed(bytes.subspan(at, std::min(kPiece, bytes.size() - at)));
        while (decoder.next(record) == capture::StreamDecoder::Step::GotRecord) {
            session.apply(record);
            ++records;
        }
    }
}

void decodeAndIngest(benchmark::State& state, const std::vector<std::byte>& bytes)
{
    std::uint64_t records = 0;
    std::size_t memory = 0;
    std::size_t events = 0;
    for (auto _ : state) {
        session::Session session;
        ingest(bytes, session, records);
        memory = session.memoryBytes();
        events = session.events().size();
        benchmark::DoNotOptimize(events);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(records));
    state.counters["events"] = double(events);
    state.counters["bytes_per_event"] = double(memory) / double(events);
    state.counters["capture_MiB"] = double(bytes.size()) / (1 << 20);
}
void BM_DecodeAndIngest1M(benchmark::State& state) { decodeAndIngest(state, capture1M()); }
void BM_DecodeAndIngest1MWithCosts(benchmark::State& state) { decodeAndIngest(state, capture1MWithCosts()); }
BENCHMARK(BM_DecodeAndIngest1M)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_DecodeAndIngest1MWithCosts)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_DecodeAndIngest1MVersion1(benchmark::State& state)
{
    const auto& bytes = capture1MVersion1();
    std::uint64_t records = 0;
    for (auto _ : state) {
        session::Session session;
        ingest(bytes, session, records);
        benchmark::DoNotOptimize(session.events().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(records));
    state.counters["capture_MiB"] = double(bytes.size()) / (1 << 20);
}
BENCHMARK(BM_DecodeAndIngest1MVersion1)->Unit(benchmark::kMillisecond)->Iterations(3);

void openFile(benchmark::State& state, const std::vector<std::byte>& bytes)
{
    char path[] = "/tmp/procscope-bench-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0 || ::write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
        state.SkipWithError("cannot write a temporary capture");
        return;
    }
    ::close(fd);
    for (auto _ : state) {
        session::Session session;
        const auto loaded = session::loadCapture(path, session);
        if (!loaded.ok())
            state.SkipWithError("the capture did not load");
        benchmark::DoNotOptimize(session.events().size());
    }
    ::unlink(path);
}
void BM_OpenFile1M(benchmark::State& state) { openFile(state, capture1M()); }
void BM_OpenFile1MWithCosts(benchmark::State& state) { openFile(state, capture1MWithCosts()); }
BENCHMARK(BM_OpenFile1M)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_OpenFile1MWithCosts)->Unit(benchmark::kMillisecond)->Iterations(3);

// A hostile file: one process execs 20,000 times, then each exec is described, newest first.
// Matching a description to its exec is bounded per record (linear overall, not quadratic).
void BM_ManyExecsDescribedOutOfOrder(benchmark::State& state)
{
    constexpr std::uint32_t kExecs = 20'000;
    std::vector<std::byte> bytes;
    capture::appendPreamble(bytes);
    capture::appendRecord(capture::HeaderRecord {}, bytes);
    for (std::uint32_t i = 1; i <= kExecs; ++i)
        capture::appendKernelEvent(i, 0, procEvent(0x2, 0, i, paddedPayload(words({ 500, 500 }))), bytes);
    for (std::uint32_t i = kExecs; i >= 1; --i) {
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = 500;
        p.eventTimestampNs = i;
        p.exe = "/bin/x";
        p.readable = capture::readable::kExe;
        capture::appendRecord(p, bytes);
    }
    std::uint64_t records = 0;
    for (auto _ : state) {
        session::Session session;
        ingest(bytes, session, records);
        benchmark::DoNotOptimize(session.lineage().size());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(records));
}
BENCHMARK(BM_ManyExecsDescribedOutOfOrder)->Unit(benchmark::kMillisecond)->Iterations(1);

// Filter evaluation over every row of the 1 M-event session.
void filterOverAllRows(benchmark::State& state, const char* expression)
{
    session::Session session;
    std::uint64_t records = 0;
    ingest(capture1M(), session, records);
    auto compiled = session::DisplayFilter::compile(expression);
    const auto& filter = std::get<session::DisplayFilter>(compiled);
    std::size_t matched = 0;
    for (auto _ : state) {
        matched = 0;
        for (std::size_t row = 0; row < session.events().size(); ++row)
            matched += filter.matches(session, row);
        benchmark::DoNotOptimize(matched);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * session.events().size()));
    state.counters["matched"] = double(matched);
}
void BM_FilterEventType(benchmark::State& state) { filterOverAllRows(state, "type == exit and pid > 5000"); }
void BM_FilterArgvContains(benchmark::State& state) { filterOverAllRows(state, "argv contains \"file42.c\""); }
void BM_FilterRegexAndAncestor(benchmark::State& state) { filterOverAllRows(state, "comm ~ \"^c\" and ancestor.pid == 900"); }
BENCHMARK(BM_FilterEventType)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FilterArgvContains)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_FilterRegexAndAncestor)->Unit(benchmark::kMillisecond)->Iterations(1);

} // namespace

BENCHMARK_MAIN();
