// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/chrome_trace.h"

#include "protocol/wait_status.h"
#include "session/process_identity.h"
#include "session/text_encoding.h"

#include <cstdio>
#include <vector>

namespace procscope::session {

namespace {

std::string micros(std::uint64_t ns)
{
    char text[32];
    std::snprintf(text, sizeof text, "%llu.%03llu", static_cast<unsigned long long>(ns / 1000),
        static_cast<unsigned long long>(ns % 1000));
    return text;
}

// Perfetto tells processes apart by pid: in a capture of several hosts, host N's pids are
// shown as N * 10,000,000 + pid (Linux pids stay below 2^22), so they cannot collide.
std::uint64_t tracePid(const Session& session, std::uint8_t host, std::uint32_t pid)
{
    return session.severalHosts() ? std::uint64_t(host) * 10'000'000ULL + pid : pid;
}

void appendLifetime(std::string& out, const Session& session, NodeId id, std::uint64_t firstNs,
    std::uint64_t lastNs)
{
    const ProcessNode& node = session.lineage().node(id);
    const std::uint64_t start = node.startNs ? node.startNs : firstNs;
    const std::uint64_t end = node.endNs ? node.endNs : lastNs;
    out += "{\"ph\":\"X\",\"name\":";
    appendJsonString(out, processName(session, node));
    const std::uint64_t pid = tracePid(session, node.host, node.pid);
    out += ",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(pid)
        + ",\"ts\":" + micros(start) + ",\"dur\":" + micros(end > start ? end - start : 0)
        + ",\"args\":{" + processToJsonMembers(session, id);
    // For people reading the trace; the process's exit event carries exit_code, exit_signal,
    // core_dumped and wait_status (this text is not a filter field).
    if (node.exitStatus) {
        out += ",\"exit\":";
        appendJsonString(
            out, protocol::describeWaitStatus(protocol::decodeWaitStatus(*node.exitStatus)));
    }
    out += "}}";
}

} // namespace

void exportChromeTrace(const Session& session, std::ostream& out, const RowFilter& filter)
{
    const EventStore& events = session.events();
    const Lineage& lineage = session.lineage();
    std::uint64_t firstNs = session.header() ? session.header()->monotonicNs : 0;
    std::uint64_t lastNs = firstNs;
    for (const StoredEvent& row : events)
        lastNs = std::max<std::uint64_t>(lastNs, row.timestampNs);
    if (session.trailer())
        lastNs = std::max(lastNs, session.trailer()->timestampNs);

    std::vector<bool> selected(lineage.size(), !filter);
    std::string instants;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (filter && !filter(i))
            continue;
        const StoredEvent& row = events[i];
        if (row.node != kNoNode)
            selected[row.node] = true;
        const bool instant = row.kind == EventKind::Exec || row.kind == EventKind::Comm
            || row.kind == EventKind::Uid || row.kind == EventKind::Gid
            || row.kind == EventKind::Ptrace || row.kind == EventKind::Coredump;
        if (!instant)
            continue;
        const std::string json = eventToJson(session, i);
        instants += ",\n{\"ph\":\"i\",\"s\":\"t\",\"name\":\""
            + std::string(eventKindName(row.kind))
            + "\",\"pid\":" + std::to_string(tracePid(session, row.host, row.tgid))
            + ",\"tid\":" + std::to_string(tracePid(session, row.host, row.pid))
            + ",\"ts\":" + micros(row.timestampNs) + ",\"args\":" + json + "}";
    }

    std::string text = "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
    bool first = true;
    for (NodeId id = 0; id < lineage.size(); ++id) {
        if (!selected[id])
            continue;
        if (!first)
            text += ",\n";
        first = false;
        appendLifetime(text, session, id, firstNs, lastNs);
    }
    if (first && !instants.empty())
        instants.erase(0, 2); // no lifetime before the first instant: drop its separator
    text += instants;
    text += "\n]}\n";
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

} // namespace procscope::session
