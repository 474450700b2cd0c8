// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "helper/proc_reader.h"

#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

namespace procscope::helper {

// Describes exec'd processes from /proc as early as possible (a process that exits quickly
// takes its argv and exe with it), and hands the descriptions over in stream order: after the
// exec event they belong to.
//
// When the argv could not be read because the process was exiting or gone, the description
// waits for the process's exit event: once that is in the stream, the description follows it
// with readable::kExitedBeforeRead, so a reader knows why the argv is missing and, from the
// two events' timestamps, how long the process ran after its exec.
class ExecEnricher {
public:
    struct Exec {
        std::uint32_t pid = 0;
        std::uint64_t timestampNs = 0;
    };

    // `exitsCaptured`: exit events reach the stream (otherwise a description never waits).
    explicit ExecEnricher(const ProcReader& proc, bool exitsCaptured = true)
        : m_proc(proc)
        , m_exitsCaptured(exitsCaptured)
    {
    }

    // Execs seen through the trigger socket, before the main stream has them: read /proc now,
    // every argv of the batch first.
    void readEarly(std::span<const Exec> execs);
    // An exec written to the stream: its description follows at the next takeReady().
    void execWritten(std::uint32_t pid, std::uint64_t timestampNs) { m_written.push_back({ pid, timestampNs }); }
    // A process's exit written to the stream (the leader's: pid == tgid).
    void exitWritten(std::uint32_t pid, std::uint64_t timestampNs)
    {
        // Only while a description may be waiting for it: a fork storm keeps nothing.
        if (!m_written.empty() || !m_waiting.empty())
            m_exits.push_back({ pid, timestampNs });
    }

    // Descriptions of the execs written since the last call (read now when not read early),
    // of descriptions that waited for their exit event, and of early reads whose exec the main
    // stream lost (after two seconds). `final`: every description still waiting for its exit
    // event, at the end of the capture.
    std::vector<capture::ProcessRecord> takeReady(bool final = false);

    // How long a description may wait for the exit event of a process found exiting.
    static constexpr std::uint64_t kExitWaitNs = 500'000'000;

private:
    using Key = std::pair<std::uint32_t, std::uint64_t>; // pid, exec timestamp
    struct Described {
        capture::ProcessRecord record;
        ArgvMissing missing = ArgvMissing::No;
        std::uint64_t readNs = 0;
    };

    Described describe(std::uint32_t pid, std::uint64_t timestampNs) const;
    // Releases into `ready` now, or keeps waiting for the exit event.
    void settle(Described&& described, std::vector<capture::ProcessRecord>& ready, bool final, std::uint64_t nowNs);
    bool exitSeen(const capture::ProcessRecord& record) const;

    const ProcReader& m_proc;
    bool m_exitsCaptured;
    std::vector<Exec> m_written;
    std::map<Key, Described> m_early;
    std::vector<Described> m_waiting; // argv missing, exit event not seen yet
    std::vector<Exec> m_exits; // exits written since the last takeReady(), while anything may wait
    std::vector<Described> m_batch; // readEarly()'s, reused
};

} // namespace procscope::helper
