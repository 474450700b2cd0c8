// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A fork-and-exec storm as the helper records one: per child a fork, an exec with its
// description, and an exit, all children of pid 900 (pids reused after 30,000). Shared by the
// session and GUI benchmarks so that both measure the same stream.

#include "datagram_builder.h"

#include "capture/encoder.h"

#include <string>
#include <vector>

namespace procscope::testing {

class StormWriter {
public:
    static constexpr std::uint64_t kOriginNs = 1'000'000'000;

    // The preamble and header; `realtimeNs` gives the stream a wall clock.
    static void begin(std::vector<std::byte>& out, std::uint64_t realtimeNs = 0)
    {
        capture::appendPreamble(out);
        capture::HeaderRecord header;
        header.monotonicNs = kOriginNs;
        header.realtimeNs = realtimeNs;
        capture::appendRecord(header, out);
    }

    // One child's records; returns the number of kernel events written (3 + renames).
    // `withCosts`: its figures follow its exit, as a privileged helper records them. `renames`:
    // name changes between its exec and its exit (more events per process, as a long-lived
    // service with threads naming themselves has).
    std::size_t child(std::vector<std::byte>& out, bool withCosts = false, std::size_t renames = 0)
    {
        static const char* const kPrograms[] = { "/usr/bin/cc", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "/usr/bin/as", "/usr/bin/ld", "/bin/sh" };
        const std::uint32_t n = m_child++;
        const std::uint32_t pid = 1000 + (n % 30000);
        const auto event = [&](std::uint32_t what, const Bytes& payload) {
            m_ts += 10'000;
            capture::appendKernelEvent(m_seq, 0, procEvent(what, m_seq % 2, m_ts, paddedPayload(payload)), out);
            ++m_seq;
        };
        event(0x1, words({ 900, 900, pid, pid }));
        event(0x2, words({ pid, pid }));
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = pid;
        p.ppid = 900;
        p.eventTimestampNs = m_ts;
        p.exe = kPrograms[n % 5];
        p.argv = { p.exe, "-c", "file" + std::to_string(n % 500) + ".c", "-o", "out.o" };
        p.comm = "cc";
        p.readable = capture::readable::kExe | capture::readable::kArgv | capture::readable::kComm;
        capture::appendRecord(p, out);
        for (std::size_t r = 0; r < renames; ++r)
            event(0x200, commBytes(pid, pid, r % 2 ? "cc-worker-odd\0\0\0" : "cc-worker-even\0\0"));
        event(0x80000000, words({ pid, pid, 0, 17, 900, 900 }));
        if (withCosts) {
            capture::TaskCostRecord cost;
            cost.flags = capture::cost_flags::kGroupEnded;
            cost.timestampNs = m_ts;
            cost.figures.pid = cost.figures.tgid = pid;
            cost.figures.ppid = 900;
            cost.figures.version = 16;
            cost.figures.groupEnded = true;
            cost.figures.userNs = 1'000'000 + n % 7'000'000;
            cost.figures.systemNs = 300'000;
            cost.figures.elapsedNs = 20'000;
            cost.figures.maxRssBytes = (4 + n % 300) << 20;
            cost.figures.readBytes = (n % 3) * 4096;
            cost.figures.writeBytes = (n % 5) * 4096;
            cost.figures.minorFaults = 300 + n % 100;
            cost.figures.comm = "cc";
            capture::appendRecord(cost, out);
        }
        return 3 + renames;
    }

    void end(std::vector<std::byte>& out)
    {
        capture::TrailerRecord trailer;
        trailer.timestampNs = m_ts;
        trailer.stopReason = capture::StopReason::PeerClosed;
        trailer.events = m_seq;
        trailer.processes = m_child;
        capture::appendRecord(trailer, out);
    }

private:
    std::uint64_t m_ts = kOriginNs;
    std::uint32_t m_seq = 0;
    std::uint32_t m_child = 0;
};

// A whole storm of at least `events` kernel events, without a trailer (as a file cut at that point).
inline std::vector<std::byte> stormCapture(std::size_t events, bool withCosts = false, std::size_t eventsPerProcess = 3)
{
    std::vector<std::byte> out;
    StormWriter::begin(out);
    StormWriter storm;
    for (std::size_t written = 0; written < events;)
        written += storm.child(out, withCosts, eventsPerProcess > 3 ? eventsPerProcess - 3 : 0);
    return out;
}

} // namespace procscope::testing
