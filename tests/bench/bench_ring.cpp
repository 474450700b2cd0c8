// SPDX-License-Identifier: GPL-3.0-or-later
// What writing a capture as a ring of files costs next to writing it to one file: the same 1 M
// event storm, handed over in the reader thread's 256 KiB pieces, to a plain file and to a
// ring of 16 MiB (cut at record boundaries, process events followed for the snapshots, the
// oldest files deleted). Compare the two rows' bytes per second, measured in the same run.

#include "support/storm_capture.h"

#include "capture/ring_files.h"
#include "capture/ring_writer.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace procscope;

namespace {

constexpr std::size_t kPiece = 256 * 1024;

const std::vector<std::byte>& storm()
{
    static const std::vector<std::byte> bytes = testing::stormCapture(1'000'000);
    return bytes;
}

std::string scratchDirectory()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "procscope-bench-ring-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        std::abort();
    return pattern;
}

void PlainFile(benchmark::State& state)
{
    const auto& bytes = storm();
    const std::string dir = scratchDirectory();
    const std::string path = dir + "/plain.pscap";
    for (auto _ : state) {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
            const std::size_t n = std::min(kPiece, bytes.size() - at);
            if (::write(fd, bytes.data() + at, n) != static_cast<ssize_t>(n))
                std::abort();
        }
        ::close(fd);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    std::filesystem::remove_all(dir);
}
BENCHMARK(PlainFile)->Unit(benchmark::kMillisecond);

void Ring16MiB(benchmark::State& state)
{
    const auto& bytes = storm();
    const std::string dir = scratchDirectory();
    const std::string base = dir + "/ring.pscap";
    std::uint64_t discarded = 0;
    std::uint64_t files = 0;
    for (auto _ : state) {
        std::string error;
        auto ring = capture::RingWriter::create(base, capture::RingLimits { 16 << 20, 0 }, &error);
        if (!ring)
            std::abort();
        for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
            if (!ring->write(std::span(bytes).subspan(at, std::min(kPiece, bytes.size() - at))))
                std::abort();
        }
        discarded = ring->discardedEvents();
        files = ring->keptFileCount();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    state.counters["files_kept"] = static_cast<double>(files);
    state.counters["events_discarded"] = static_cast<double>(discarded);
    std::filesystem::remove_all(dir);
}
BENCHMARK(Ring16MiB)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
