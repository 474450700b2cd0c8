// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/process_identity.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace procscope::session {

namespace {

std::string_view fullComm(const Session& session, const ProcessNode& node, std::string_view comm)
{
    constexpr std::size_t kCommBytes = 15; // TASK_COMM_LEN less its NUL
    if (comm.size() != kCommBytes)
        return comm;
    const ExecInfo* exec = programExec(session.lineage(), node);
    if (!exec)
        return comm;
    std::string_view exe = session.strings().view(exec->exe);
    exe.remove_prefix(std::min(exe.size(), exe.rfind('/') + 1));
    return exe.size() > kCommBytes && exe.starts_with(comm) ? exe : comm;
}

bool containsFolded(std::string_view haystack, std::string_view needle)
{
    // Arguments are stored NUL-separated: a space in the search matches between arguments.
    const auto fold = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a == '\0' ? ' ' : a)) == std::tolower(static_cast<unsigned char>(b));
    };
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), fold) != haystack.end();
}

} // namespace

const ExecInfo* programExec(const Lineage& lineage, const ProcessNode& node)
{
    if (node.lastExec != kNoEntry)
        return &lineage.exec(node.lastExec);
    const ProcessNode* at = &node;
    for (int depth = 0; depth < 64 && !at->placeholder && !at->fromSnapshot && at->parent != kNoNode; ++depth) {
        const std::uint64_t forkedAt = at->startNs;
        at = &lineage.node(at->parent);
        const ExecInfo* found = nullptr;
        for (std::uint32_t e = at->firstExec; e != kNoEntry; e = lineage.exec(e).next) {
            if (std::uint64_t(lineage.exec(e).timestampNs) <= forkedAt)
                found = &lineage.exec(e);
        }
        if (found)
            return found;
        if (at->firstExec != kNoEntry)
            return nullptr; // it exec'd only after the fork: what it ran before is not known
    }
    return nullptr;
}

std::string processName(const Session& session, const ProcessNode& node)
{
    // A child that has not exec'd runs its parent's program: a parent that was named after the
    // fork (a placeholder filled in later, or the capture's own helper) names it too.
    const ProcessNode* at = &node;
    for (int depth = 0; depth < 16; ++depth) {
        if (const std::string_view name = session.strings().view(at->name); !name.empty())
            return std::string(fullComm(session, *at, name));
        if (isCaptureHelper(session, *at))
            return "procscope-helper";
        if (at->placeholder || at->fromSnapshot || at->firstExec != kNoEntry || at->parent == kNoNode) // not known to run its parent's program
            break;
        at = &session.lineage().node(at->parent);
    }
    return "(unknown)";
}

bool isCaptureHelper(const Session& session, const ProcessNode& node)
{
    const SessionHost& host = session.host(node.host);
    const auto& header = host.header;
    if (!header || header->helperPid == 0 || node.pid != header->helperPid)
        return false;
    const std::uint64_t started = header->monotonicNs + static_cast<std::uint64_t>(host.clockOffsetNs); // modulo 2^64: no overflow
    return node.startNs <= started && (node.running() || node.endNs >= started);
}

NodeId captureHelper(const Session& session, std::uint8_t host)
{
    const auto& header = session.headerOf(host);
    if (!header || header->helperPid == 0)
        return kNoNode;
    const NodeId id = session.lineage().find(header->helperPid, host);
    return id != kNoNode && isCaptureHelper(session, session.lineage().node(id)) ? id : kNoNode;
}

bool isKernelThreadsRoot(const ProcessNode& node) { return node.pid == 2 && node.parent == kNoNode && node.parentPid == 0; }

NodeId kernelThreadsRoot(const Session& session, std::uint8_t host)
{
    const NodeId id = session.lineage().find(2, host);
    return id != kNoNode && isKernelThreadsRoot(session.lineage().node(id)) ? id : kNoNode;
}

bool processMatchesSearch(const Session& session, NodeId id, std::string_view text)
{
    if (text.empty())
        return false;
    const Lineage& lineage = session.lineage();
    const ProcessNode& node = lineage.node(id);
    std::uint32_t pid = 0;
    if (const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), pid); error == std::errc() && end == text.data() + text.size() && node.pid == pid)
        return true;
    const StringPool& strings = session.strings();
    if (containsFolded(strings.view(node.name), text))
        return true;
    const ExecInfo* exec = lineage.lastExec(id);
    return exec && (containsFolded(strings.view(exec->argv), text) || containsFolded(strings.view(exec->exe), text));
}

} // namespace procscope::session
