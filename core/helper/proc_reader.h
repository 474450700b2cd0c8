// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace procscope::helper {

constexpr std::size_t kMaxArgvBytes = 64 << 10; // keeps a Process record far below the record cap
constexpr std::size_t kMaxArgs = 4096;

// Why an exec's argv could not be read, as far as /proc tells.
enum class ArgvMissing : std::uint8_t {
    No, // read (or not asked for)
    Gone, // /proc/PID no longer exists: the process has exited and been reaped
    Exiting, // an empty command line: its memory is gone (a zombie, or exiting)
    Other, // access denied or another error
};

// Reads process descriptions from /proc. What cannot be read (the process is gone, access is
// denied) is left empty with its `readable` bit clear: nothing is guessed.
//
// Paths are opened relative to a descriptor of the /proc root ("PID/cmdline"), which saves the
// walk through "/" and "proc" on every open, into buffers kept between calls.
class ProcReader {
public:
    explicit ProcReader(std::string procRoot = "/proc");
    ProcReader(const ProcReader&) = delete;
    ProcReader& operator=(const ProcReader&) = delete;
    ~ProcReader();

    capture::ProcessRecord read(std::uint32_t pid, capture::ProcessSource source, std::uint64_t eventTimestampNs = 0) const;

    // An exec's description in two steps, so that what a short-lived process takes with it
    // is read first: readArgv() reads the command line only (for a batch of execs, every argv
    // before anything else), readRest() then exe, cwd, ids, ppid and comm. `missing` says why
    // an argv could not be read; exe and cwd are not tried for a process already exiting.
    capture::ProcessRecord readArgv(std::uint32_t pid, std::uint64_t eventTimestampNs, ArgvMissing& missing) const;
    void readRest(capture::ProcessRecord& process, ArgvMissing missing) const;
    // Every process (thread group leaders only), in /proc order.
    std::vector<std::uint32_t> listProcesses() const;
    // What a running process has cost so far, for the whole process (threads that ended
    // included): CPU time (clock-tick resolution), faults, peak memory, I/O, context switches
    // of its leader. nullopt when it is gone. Its I/O needs ptrace access (CAP_SYS_PTRACE).
    std::optional<protocol::TaskFigures> readCost(std::uint32_t pid) const;

    static std::uint64_t monotonicNowNs();

private:
    // "PID/item" relative to m_rootFd (or the whole path when the root could not be opened).
    const char* path(std::uint32_t pid, const char* item) const;
    bool readFile(std::uint32_t pid, const char* item, std::string& out, std::size_t limit, int* error = nullptr) const;
    bool readLink(std::uint32_t pid, const char* item, std::string& out) const;
    ArgvMissing readCommandLine(capture::ProcessRecord& p, bool exec) const;
    void readStatus(capture::ProcessRecord& p) const;
    void readStat(capture::ProcessRecord& p) const;

    std::string m_root;
    int m_rootFd = -1;
    mutable std::string m_path; // the last path built
    mutable std::string m_text; // file contents, reused
    mutable std::vector<char> m_buffer; // read() target, reused
    std::uint64_t m_ticksToNs;
    std::int64_t m_bootMinusMonotonicNs; // start times are boot-clock ticks; events are monotonic
};

} // namespace procscope::helper
