// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/summary.h"

#include "protocol/event_text.h"
#include "protocol/wait_status.h"
#include "session/cost_fields.h"
#include "session/statistics.h"

#include <algorithm>
#include <ctime>

namespace procscope::session {

namespace {

std::string wallClock(std::uint64_t realtimeNs)
{
    const auto seconds = static_cast<time_t>(realtimeNs / 1'000'000'000);
    tm utc {};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
    return text;
}

std::string describeDamage(const Session& session)
{
    const auto counted = [](std::uint64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
    std::string text;
    if (const DamageTally& damage = session.damage(); damage.records != 0)
        text = counted(damage.records, "damaged record", "damaged records") + " skipped (the first at byte offset "
            + std::to_string(damage.first.front().offset) + ")";
    if (const std::uint64_t far = session.timestampsOutOfRange(); far != 0)
        text += (text.empty() ? "" : ", ") + counted(far, "event with a timestamp", "events with timestamps") + " beyond "
            + std::to_string(Rates::kMaxSpanNs / kNsPerDay) + " days of the start";
    return text.empty() ? "none" : text;
}

std::string seconds(std::uint64_t ns)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", double(ns) / 1e9);
    return text;
}

} // namespace

std::string summarize(const Session& session)
{
    const Statistics stats = computeStatistics(session);
    std::string out;
    if (const auto& header = session.header()) {
        out += "capture:    " + protocol::escapeBytes(header->hostName) + ", Linux " + protocol::escapeBytes(header->kernelRelease)
            + ", started " + wallClock(header->realtimeNs);
        std::uint64_t endNs = header->monotonicNs;
        if (const auto& trailer = session.trailer())
            endNs = trailer->timestampNs;
        else if (session.events().size() > 0)
            endNs = session.events()[session.events().size() - 1].timestampNs;
        out += ", " + seconds(endNs > header->monotonicNs ? endNs - header->monotonicNs : 0);
        out += session.trailer() ? std::string(", stopped by ") + capture::stopReasonName(session.trailer()->stopReason)
                                 : std::string(", cut short (no trailer)");
        out += "\n";
    }
    if (session.severalHosts() || !session.hosts()[0].address.empty()) {
        for (const SessionHost& host : session.hosts()) {
            out += "host:       " + protocol::escapeBytes(host.label);
            if (!host.address.empty())
                out += " (" + protocol::escapeBytes(host.address) + ")";
            if (host.header)
                out += ", Linux " + protocol::escapeBytes(host.header->kernelRelease);
            out += ", " + std::to_string(host.events) + " events";
            if (host.end && host.end->reason == capture::HostEndReason::ConnectionLost)
                out += ", connection lost at " + wallClock(host.end->realtimeNs);
            else if (host.end && host.end->reason == capture::HostEndReason::FailedToStart)
                out += ", did not start: " + protocol::escapeBytes(host.end->message);
            else if (!host.trailer)
                out += ", cut short (no trailer)";
            out += "\n";
        }
    }
    std::uint64_t total = 0;
    std::string kinds;
    for (std::size_t k = 0; k < kEventKindCount; ++k) {
        if (static_cast<EventKind>(k) == EventKind::Loss || stats.eventsByKind[k] == 0)
            continue;
        total += stats.eventsByKind[k];
        kinds += std::string(kinds.empty() ? "" : ", ") + eventKindName(static_cast<EventKind>(k)) + " " + std::to_string(stats.eventsByKind[k]);
    }
    out += "events:     " + std::to_string(total) + (kinds.empty() ? "" : " (" + kinds + ")") + "\n";
    out += "processes:  " + std::to_string(stats.processesSeen) + " seen, " + std::to_string(stats.processesStarted)
        + " started, " + std::to_string(stats.processesExited) + " exited, " + std::to_string(stats.shortLived)
        + " short-lived (under 1 s)\n";
    out += "failures:   " + std::to_string(stats.nonzeroExits) + " non-zero exits";
    for (const auto& [signal, count] : stats.killedBySignal)
        out += ", " + std::to_string(count) + " killed by " + protocol::signalName(signal);
    out += ", " + std::to_string(stats.coreDumps) + " core dumps\n";
    if (!stats.topCommands.empty()) {
        out += "top execs: ";
        for (const auto& [program, count] : stats.topCommands)
            out += " " + protocol::escapeBytes(program) + " (" + std::to_string(count) + ")";
        out += "\n";
    }
    if (!stats.topParents.empty()) {
        out += "top parents:";
        for (const auto& [node, count] : stats.topParents) {
            const ProcessNode& parent = session.lineage().node(node);
            const std::string_view name = session.strings().view(parent.name);
            out += " " + (name.empty() ? std::string("?") : protocol::escapeBytes(name)) + "[" + std::to_string(parent.pid) + "] ("
                + std::to_string(count) + ")";
        }
        out += "\n";
    }
    if (session.costsRecorded()) {
        const auto line = [&out](const char* title, const std::vector<Statistics::ProgramCost>& ranked, auto figure, CostUnit unit) {
            out += title;
            if (ranked.empty())
                out += " none";
            for (std::size_t i = 0; i < std::min<std::size_t>(ranked.size(), 5); ++i)
                out += " " + protocol::escapeBytes(ranked[i].program) + " (" + formatQuantity(figure(ranked[i]), unit) + ")";
            out += "\n";
        };
        line("most cpu_time:", stats.topByCpu, [](const auto& c) { return c.cpuNs; }, CostUnit::Nanoseconds);
        line("most max_rss: ", stats.topByMemory, [](const auto& c) { return c.largestRssBytes; }, CostUnit::Bytes);
        line("most disk:    ", stats.topByDisk, [](const auto& c) { return c.diskBytes; }, CostUnit::Bytes);
        const CostTally tally = session.costs().tally();
        if (tally.unknownProcess != 0 || tally.duplicated != 0)
            out += "cost damage: " + std::to_string(tally.unknownProcess) + " figures for processes not in the capture, "
                + std::to_string(tally.duplicated) + " duplicated figures (left out)\n";
    } else {
        out += "costs:      not recorded (a capture without privileges, or by an older helper)\n";
    }
    out += "losses:     ";
    if (session.totalLost() == 0) {
        out += "none\n";
    } else {
        std::string parts;
        for (std::size_t r = 0; r < stats.losses.size(); ++r) {
            if (stats.losses[r] != 0)
                parts += std::string(parts.empty() ? "" : ", ") + capture::lossReasonName(static_cast<capture::LossReason>(r + 1)) + " "
                    + std::to_string(stats.losses[r]);
        }
        out += parts + "\n";
    }
    if (const RingDiscards& ring = session.ringDiscards(); ring.ring) {
        out += "ring:       read from file " + std::to_string(ring.firstFile) + "; older events discarded by the ring: " + std::to_string(ring.events);
        if (ring.events != 0) {
            static const char* const kKinds[] = { "fork", "exec", "exit", "uid", "gid", "sid", "ptrace", "comm", "coredump", "unknown" };
            std::string parts;
            for (std::size_t k = 0; k < ring.byKind.size(); ++k) {
                if (ring.byKind[k] != 0)
                    parts += std::string(parts.empty() ? "" : ", ") + kKinds[k] + " " + std::to_string(ring.byKind[k]);
            }
            if (!parts.empty())
                out += " (" + parts + " before the first file)";
        }
        out += "\n";
    }
    out += "damage:     " + describeDamage(session) + "\n";
    return out;
}

} // namespace procscope::session
