// SPDX-License-Identifier: GPL-3.0-or-later
// Rewrites a capture keeping only what concerns some process subtrees, so that a recording made
// on a busy machine can tell one story (scripts/record-sample makes the bundled sample with it):
//   capture_subtree IN OUT PID... [--format-version 1]
// Kept: the header, status, loss and trailer records, and every process, task cost and kernel
// event record about PID or a descendant of it (a fork is about its child, so the fork that
// started PID stays and the tree still says who started it). The kernel's answers to the
// helper's own subscription stay (they come before any process event); later ones answer other
// programs subscribing (the kernel multicasts them), so they go. The trailer's event and process
// totals are counted again from what is kept, so the file reads as complete and undamaged.
// Nothing kept is altered: the records are written again in the current format, the kernel's
// bytes in them as recorded.
// --format-version 1 writes the same records in the old format (no checksums), as
// tests/capture/data/build-session-v1.pscap.

#include "support/capture_samples.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

using namespace procscope;

namespace {

// The process a kernel event is about (for a fork, the child: its parent is named in it);
// nullopt for messages that are not about a process (subscription acknowledgements, kinds of
// event this build does not know).
std::optional<std::uint32_t> subjectOf(const protocol::Message& message)
{
    const auto* event = std::get_if<protocol::ProcEvent>(&message);
    if (!event)
        return std::nullopt;
    return std::visit(
        [](const auto& e) -> std::optional<std::uint32_t> {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, protocol::ForkEvent>)
                return e.childTgid;
            else if constexpr (std::is_same_v<T, protocol::UnknownEvent>)
                return std::nullopt;
            else
                return e.tgid;
        },
        event->payload);
}

// Every process (tgid) descending from `roots`, from the parent links the capture holds: the
// snapshot's ppid and the forks. A pid reused within one capture would be followed too; the
// captures this is for last seconds.
std::set<std::uint32_t> subtreeOf(const std::vector<capture::Record>& records, const std::vector<std::uint32_t>& roots)
{
    std::multimap<std::uint32_t, std::uint32_t> children;
    for (const auto& record : records) {
        if (const auto* process = std::get_if<capture::ProcessRecord>(&record)) {
            if (process->readable & capture::readable::kPpid)
                children.emplace(process->ppid, process->tgid);
        } else if (const auto* kernel = std::get_if<capture::KernelEventRecord>(&record)) {
            const protocol::Message message = kernel->parse();
            if (const auto* event = std::get_if<protocol::ProcEvent>(&message)) {
                if (const auto* fork = std::get_if<protocol::ForkEvent>(&event->payload); fork && !fork->isThread())
                    children.emplace(fork->parentTgid, fork->childTgid);
            }
        }
    }
    std::set<std::uint32_t> kept;
    std::vector<std::uint32_t> pending(roots);
    while (!pending.empty()) {
        const std::uint32_t pid = pending.back();
        pending.pop_back();
        if (!kept.insert(pid).second)
            continue;
        for (auto [at, end] = children.equal_range(pid); at != end; ++at)
            pending.push_back(at->second);
    }
    return kept;
}

std::vector<capture::Record> keepSubtree(const std::vector<capture::Record>& records, const std::set<std::uint32_t>& kept)
{
    std::vector<capture::Record> out;
    std::uint64_t events = 0, processes = 0;
    bool started = false; // a process event was seen: acknowledgements from now on are not the helper's
    for (const auto& record : records) {
        bool keep = true;
        if (const auto* kernel = std::get_if<capture::KernelEventRecord>(&record)) {
            const protocol::Message message = kernel->parse();
            const bool ack = std::holds_alternative<protocol::SubscribeAck>(message);
            const auto subject = subjectOf(message);
            keep = ack ? !started : !subject || kept.contains(*subject);
            started = started || !ack;
            events += keep ? 1 : 0;
        } else if (const auto* process = std::get_if<capture::ProcessRecord>(&record)) {
            keep = kept.contains(process->tgid);
            processes += keep ? 1 : 0;
        } else if (const auto* cost = std::get_if<capture::TaskCostRecord>(&record)) {
            keep = kept.contains(cost->figures.tgid != 0 ? cost->figures.tgid : cost->figures.pid);
        } else if (const auto* trailer = std::get_if<capture::TrailerRecord>(&record)) {
            auto recounted = *trailer;
            recounted.events = events;
            recounted.processes = processes;
            out.push_back(recounted);
            continue;
        }
        if (keep)
            out.push_back(record);
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<const char*> args;
    int version = capture::kMajorVersion;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--format-version") == 0 && i + 1 < argc)
            version = std::atoi(argv[++i]);
        else
            args.push_back(argv[i]);
    }
    std::vector<std::uint32_t> roots;
    for (std::size_t i = 2; i < args.size(); ++i)
        roots.push_back(std::uint32_t(std::strtoul(args[i], nullptr, 10)));
    if (args.size() < 3 || (version != 1 && version != capture::kMajorVersion) || std::count(roots.begin(), roots.end(), 0u)) {
        std::cerr << "usage: capture_subtree IN OUT PID... [--format-version 1]\n";
        return 2;
    }
    const auto bytes = testing::readBytes(args[0]);
    const testing::DecodeOutcome decoded = testing::decodeAll(bytes);
    // A damaged input would be rewritten as an undamaged-looking file: refuse it instead.
    if (decoded.end || !decoded.skipped.empty() || decoded.unknownSkipped != 0 || !decoded.sawTrailer) {
        std::cerr << "capture_subtree: " << args[0] << " is not a complete, undamaged capture"
                  << (decoded.end ? ": " + decoded.end->message() : std::string()) << '\n';
        return 1;
    }
    const auto kept = subtreeOf(decoded.records, roots);
    const auto records = keepSubtree(decoded.records, kept);
    const auto out = version == 1 ? testing::encodeStreamV1(records) : testing::encodeStream(records);
    std::ofstream file(args[1], std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(out.data()), std::streamsize(out.size()));
    if (!file.flush()) {
        std::cerr << "capture_subtree: cannot write " << args[1] << '\n';
        return 1;
    }
    std::cerr << "kept " << records.size() << " of " << decoded.records.size() << " records, " << kept.size() << " processes\n";
    return 0;
}
