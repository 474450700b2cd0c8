// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace procscope::session {

struct Statistics {
    std::array<std::uint64_t, kEventKindCount> eventsByKind {};
    std::uint64_t processesSeen = 0;
    std::uint64_t processesStarted = 0; // forked during the capture
    std::uint64_t processesExited = 0;
    std::uint64_t shortLived = 0; // started and exited during the capture within kShortLivedNs
    std::uint64_t nonzeroExits = 0; // exited with a code other than 0
    std::map<int, std::uint64_t> killedBySignal; // signal -> processes
    std::uint64_t coreDumps = 0;
    std::vector<std::pair<std::string, std::uint64_t>> topCommands; // exec'd program, count
    // For a program of topCommands whose processes were mostly named otherwise (dash run as
    // "sh", x86_64-linux-gnu-gcc-12 as "cc"): that name.
    std::map<std::string, std::string> commandNames;
    std::vector<std::pair<NodeId, std::uint64_t>> topParents; // node, children forked
    std::array<std::uint64_t, capture::kLossReasonCount> losses {};

    // What each program cost, all its processes together (every cc1plus of a build), over the
    // processes started during the capture.
    struct ProgramCost {
        std::string program;
        // Where the name came from, so a filter can find the processes: the executable's file
        // name, else the first argument's, else the process name (comm).
        enum class NamedBy { Exe, Argv, Comm } namedBy = NamedBy::Exe;
        std::uint64_t processes = 0; // with figures
        std::uint64_t cpuNs = 0;
        std::uint64_t largestRssBytes = 0; // the largest peak of one of its processes
        std::uint64_t diskBytes = 0; // read from and written to storage
    };
    std::vector<ProgramCost> topByCpu;
    std::vector<ProgramCost> topByMemory;
    std::vector<ProgramCost> topByDisk;

    static constexpr std::uint64_t kShortLivedNs = 1'000'000'000;
};

Statistics computeStatistics(const Session& session, std::size_t topCount = 10);

} // namespace procscope::session
