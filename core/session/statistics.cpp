// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/statistics.h"

#include "protocol/wait_status.h"

#include <algorithm>
#include <unordered_map>

namespace procscope::session {

namespace {

template <typename Key>
std::vector<std::pair<Key, std::uint64_t>> top(const std::unordered_map<Key, std::uint64_t>& counts, std::size_t n)
{
    std::vector<std::pair<Key, std::uint64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    if (sorted.size() > n)
        sorted.resize(n);
    return sorted;
}

std::string_view baseName(std::string_view path)
{
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

using NamedBy = Statistics::ProgramCost::NamedBy;

std::string_view programOf(const StringPool& strings, const ProcessNode& node, const ExecInfo* exec, NamedBy* namedBy = nullptr)
{
    const NamedBy by = exec && exec->exe ? NamedBy::Exe : exec && exec->argc > 0 ? NamedBy::Argv : NamedBy::Comm;
    const std::string_view program = by == NamedBy::Exe ? baseName(strings.view(exec->exe))
        : by == NamedBy::Argv                          ? baseName(argvOf(strings, *exec).front())
                                                       : strings.view(node.name);
    if (namedBy)
        *namedBy = by;
    return program.empty() ? std::string_view("(unknown)") : program;
}

void rankProgramCosts(Statistics& stats, const std::unordered_map<std::string, Statistics::ProgramCost>& byProgram, std::size_t n)
{
    const auto ranked = [&](auto figure) {
        std::vector<Statistics::ProgramCost> sorted;
        for (const auto& [program, cost] : byProgram) {
            if (figure(cost) != 0)
                sorted.push_back(cost);
        }
        std::sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
            return figure(a) != figure(b) ? figure(a) > figure(b) : a.program < b.program;
        });
        if (sorted.size() > n)
            sorted.resize(n);
        return sorted;
    };
    stats.topByCpu = ranked([](const Statistics::ProgramCost& c) { return c.cpuNs; });
    stats.topByMemory = ranked([](const Statistics::ProgramCost& c) { return c.largestRssBytes; });
    stats.topByDisk = ranked([](const Statistics::ProgramCost& c) { return c.diskBytes; });
}

} // namespace

Statistics computeStatistics(const Session& session, std::size_t topCount)
{
    Statistics stats;
    for (const StoredEvent& row : session.events())
        ++stats.eventsByKind[static_cast<std::size_t>(row.kind)];
    stats.losses = session.losses();

    const Lineage& lineage = session.lineage();
    const StringPool& strings = session.strings();
    std::unordered_map<std::string, std::uint64_t> commands;
    std::unordered_map<std::string, std::unordered_map<std::string, std::uint64_t>> namesOf; // program -> its processes' names
    std::unordered_map<NodeId, std::uint64_t> parents;
    std::unordered_map<std::string, Statistics::ProgramCost> costByProgram;
    for (NodeId id = 0; id < lineage.size(); ++id) {
        const ProcessNode& node = lineage.node(id);
        ++stats.processesSeen;
        const bool startedHere = !node.fromSnapshot && !node.placeholder;
        if (startedHere) {
            ++stats.processesStarted;
            if (node.parent != kNoNode)
                ++parents[node.parent];
        }
        if (node.exitStatus) {
            ++stats.processesExited;
            const auto status = protocol::decodeWaitStatus(*node.exitStatus);
            if (status.kind == protocol::WaitStatus::Kind::Exited && status.code != 0)
                ++stats.nonzeroExits;
            if (status.kind == protocol::WaitStatus::Kind::Killed)
                ++stats.killedBySignal[status.signal];
            if (startedHere && node.endNs - node.startNs < Statistics::kShortLivedNs)
                ++stats.shortLived;
        }
        if (node.coreDumped)
            ++stats.coreDumps;
        for (const ExecInfo* execPointer : lineage.execsOf(id)) {
            const ExecInfo& exec = *execPointer;
            if (exec.timestampNs == 0)
                continue; // the program it ran when the capture started is no exec of this capture
            const std::string key(programOf(strings, node, &exec));
            ++commands[key];
            ++namesOf[key][std::string(strings.view(node.name))];
        }
        // Only what started during the capture: a process running since before it brings its
        // whole lifetime's figures, which would crowd out what the capture is about.
        const ProcessCost* cost = startedHere ? session.costs().own(id) : nullptr;
        if (cost) {
            NamedBy namedBy = NamedBy::Exe;
            const std::string program(programOf(strings, node, lineage.lastExec(id), &namedBy));
            Statistics::ProgramCost& total = costByProgram[program];
            total.program = program;
            total.namedBy = std::max(total.namedBy, namedBy); // the loosest name holds for all
            ++total.processes;
            total.cpuNs += cost->cpuNs();
            total.largestRssBytes = std::max(total.largestRssBytes, cost->maxRssBytes);
            total.diskBytes += cost->readBytes + cost->writeBytes;
        }
    }
    rankProgramCosts(stats, costByProgram, topCount);
    stats.topCommands = top(commands, topCount);
    for (const auto& [program, count] : stats.topCommands) {
        const auto names = top(namesOf[program], 1);
        if (!names.empty() && !names.front().first.empty() && names.front().first != program)
            stats.commandNames[program] = names.front().first;
    }
    stats.topParents = top(parents, topCount);
    return stats;
}

} // namespace procscope::session
