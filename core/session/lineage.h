// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "protocol/events.h"
#include "session/event_store.h"
#include "session/string_pool.h"

#include <cstdint>
#include <deque>
#include <string_view>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace procscope::session {

constexpr std::uint32_t kNoEntry = 0xFFFFFFFF;

// Histories live in lineage-wide deques, each entry linked to the next of the same process:
// no heap block per process (most have one exec and one or two names). 28 and 20 bytes.
struct ExecInfo {
    SplitU64 timestampNs = 0; // 0: the program it ran when the capture started
    StringId exe = 0;
    StringId cwd = 0;
    StringId argv = 0; // the arguments joined with NUL (they cannot contain one): see argvOf()
    std::uint32_t next = kNoEntry;
    std::uint16_t argc = 0;
    bool described = false; // /proc was read for it
    // Its process had exited when the helper came to read /proc (readable::kExitedBeforeRead):
    // why argv, exe and cwd are missing. How long it ran: exitedAfterNs().
    bool exitedBeforeRead = false;
};

struct CommChange {
    SplitU64 timestampNs = 0;
    std::uint32_t tid = 0; // a thread may rename itself: the kernel reports the thread
    StringId comm = 0;
    std::uint32_t next = kNoEntry;
};
static_assert(sizeof(ExecInfo) == 28 && sizeof(CommChange) == 20); // exitedBeforeRead took a padding byte

// The arguments of an exec, as views into the string pool.
std::vector<std::string_view> argvOf(const StringPool& strings, const ExecInfo& exec);

// Calls `visit` with each of `count` arguments joined with NUL, in order, until it returns
// true; whether one did. Allocates nothing (filters test argv on every row).
template <class Visit>
bool anyArgument(std::string_view joined, std::size_t count, Visit&& visit)
{
    if (count == 0)
        return false;
    while (true) {
        const std::size_t nul = joined.find('\0');
        if (visit(joined.substr(0, nul)))
            return true;
        if (nul == std::string_view::npos)
            return false;
        joined.remove_prefix(nul + 1);
    }
}

// One process lifetime. Threads are not nodes: they are counted on their process.
struct ProcessNode {
    std::uint64_t startNs = 0; // 0: unknown (placeholder)
    std::uint64_t endNs = 0; // 0: still running
    std::uint32_t pid = 0;
    NodeId parent = kNoNode; // who forked it; kept when that parent dies
    std::uint32_t parentPid = 0;
    std::uint32_t reaperPid = 0; // the parent the kernel named at exit (often 1 for orphans)
    NodeId firstChild = kNoNode;
    NodeId lastChild = kNoNode;
    NodeId nextSibling = kNoNode;
    std::uint32_t firstExec = kNoEntry, lastExec = kNoEntry; // into Lineage::exec()
    std::uint32_t firstComm = kNoEntry, lastComm = kNoEntry; // into Lineage::comm()
    StringId name = 0; // the leader's latest comm; inherited from the parent at fork
    std::uint32_t ruid = 0, euid = 0, rgid = 0, egid = 0;
    std::uint32_t tracerTgid = 0; // 0: not traced
    std::uint32_t liveThreads = 1; // including the leader
    std::uint32_t threadsSeen = 0; // threads created during the capture
    std::optional<std::uint32_t> exitStatus; // raw wait status
    bool idsKnown : 1 = false;
    bool sessionLeader : 1 = false;
    bool coreDumped : 1 = false;
    bool placeholder : 1 = false; // known only from later events; filled in as information comes
    bool fromSnapshot : 1 = false;
    std::uint8_t host = 0; // the session's host it ran on (Session::hosts())

    bool running() const { return endNs == 0; }
};

// For an exec whose process exited before it could be read: how long it ran after that exec
// (its exit event's timestamp minus the exec's, as in "exited after 0.4 ms, before it could be
// read"). nullopt when the flag is not set, the exec is not the node's last, or the exit is unknown.
std::optional<std::uint64_t> exitedAfterNs(const ProcessNode& node, std::uint32_t execId, const ExecInfo& exec);

class LineageListener {
public:
    virtual ~LineageListener() = default;
    virtual void nodeAdded(NodeId node) = 0;
    virtual void nodeChanged(NodeId node) = 0;
    virtual void childAdded(NodeId parent, NodeId child) = 0;
};

// The process tree built from snapshot records, kernel events and exec enrichment, following
// the kernel's semantics: threads fold into their process, an EXIT of a leader is not final
// when a non-leader thread execs, pid reuse starts a new node, unknown processes get a
// placeholder that later information fills in.
class Lineage {
public:
    explicit Lineage(StringPool& strings)
        : m_strings(strings)
    {
    }
    // Several views follow one lineage (the tree, the process table); each registers itself.
    void addListener(LineageListener* listener) { m_listeners.push_back(listener); }
    void removeListener(LineageListener* listener) { std::erase(m_listeners, listener); }

    // The host whose events and descriptions are applied next: pids are per host.
    void setHost(std::uint8_t host)
    {
        m_host = host;
        if (m_byPid.size() <= host) {
            m_byPid.resize(host + 1u);
            m_threads.resize(host + 1u);
        }
    }
    std::uint8_t host() const { return m_host; }

    // Each returns the node the input is about (kNoNode when none).
    NodeId applyEvent(const protocol::ProcEvent& event, StoredEvent& row);
    NodeId applyProcess(const capture::ProcessRecord& process);

    std::size_t size() const { return m_nodes.size(); }
    const ProcessNode& node(NodeId id) const { return m_nodes[id]; }
    const ExecInfo& exec(std::uint32_t id) const { return m_execs[id]; }
    const CommChange& comm(std::uint32_t id) const { return m_comms[id]; }
    const ExecInfo* lastExec(NodeId id) const
    {
        return m_nodes[id].lastExec == kNoEntry ? nullptr : &m_execs[m_nodes[id].lastExec];
    }
    std::vector<const ExecInfo*> execsOf(NodeId id) const;
    std::vector<const CommChange*> commsOf(NodeId id) const;
    std::vector<NodeId> childrenOf(NodeId id) const;
    // The latest node for a process id of `host` (running or not), or kNoNode.
    NodeId find(std::uint32_t pid, std::uint8_t host = 0) const;
    std::size_t bytes() const;
    // Tells the listeners that something kept beside the lineage about `id` changed (its cost).
    void notifyChanged(NodeId id) { changed(id); }

private:
    NodeId findHere(std::uint32_t pid) const { return find(pid, m_host); }
    NodeId nodeFor(std::uint32_t tgid); // existing, or a new placeholder
    using PidMap = std::unordered_map<std::uint32_t, NodeId>;
    PidMap& byPid() { return m_byPid[m_host]; }
    PidMap& threads() { return m_threads[m_host]; }
    NodeId addNode(ProcessNode node);
    void link(NodeId parent, NodeId child);
    bool descendsFrom(NodeId node, NodeId ancestor) const; // or is it
    void changed(NodeId id);
    void fillFromRecord(ProcessNode& node, const capture::ProcessRecord& process, ExecInfo& exec);
    std::uint32_t addExec(ProcessNode& node, std::uint64_t timestampNs);
    void addComm(ProcessNode& node, std::uint64_t timestampNs, std::uint32_t tid, StringId comm);

    StringPool& m_strings;
    std::vector<LineageListener*> m_listeners;
    // Deques: adding never moves what is there.
    std::deque<ProcessNode> m_nodes;
    std::deque<ExecInfo> m_execs;
    std::deque<CommChange> m_comms;
    // Per host (most sessions have one): process id -> latest node; thread id -> its process's node.
    std::vector<PidMap> m_byPid = std::vector<PidMap>(1);
    std::vector<PidMap> m_threads = std::vector<PidMap>(1);
    std::uint8_t m_host = 0;
    std::string m_scratch;
};

} // namespace procscope::session
