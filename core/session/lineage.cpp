// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/lineage.h"

#include <type_traits>

namespace procscope::session {

using namespace protocol;

namespace {
constexpr std::size_t kMaxExecSearch = 256; // the helper describes an exec within microseconds of it
}

NodeId Lineage::find(std::uint32_t pid, std::uint8_t host) const
{
    if (host >= m_byPid.size())
        return kNoNode;
    const auto it = m_byPid[host].find(pid);
    return it == m_byPid[host].end() ? kNoNode : it->second;
}

std::size_t Lineage::bytes() const
{
    constexpr std::size_t kNodeInHash = sizeof(std::pair<std::uint32_t, NodeId>) + sizeof(void*) + 16; // + allocator overhead
    std::size_t bytes = m_nodes.size() * sizeof(ProcessNode) + m_execs.size() * sizeof(ExecInfo) + m_comms.size() * sizeof(CommChange);
    for (const auto* maps : { &m_byPid, &m_threads }) {
        for (const PidMap& map : *maps)
            bytes += map.size() * kNodeInHash + map.bucket_count() * sizeof(void*);
    }
    return bytes;
}

std::vector<const ExecInfo*> Lineage::execsOf(NodeId id) const
{
    std::vector<const ExecInfo*> out;
    for (std::uint32_t at = m_nodes[id].firstExec; at != kNoEntry; at = m_execs[at].next)
        out.push_back(&m_execs[at]);
    return out;
}

std::vector<const CommChange*> Lineage::commsOf(NodeId id) const
{
    std::vector<const CommChange*> out;
    for (std::uint32_t at = m_nodes[id].firstComm; at != kNoEntry; at = m_comms[at].next)
        out.push_back(&m_comms[at]);
    return out;
}

std::vector<NodeId> Lineage::childrenOf(NodeId id) const
{
    std::vector<NodeId> out;
    for (NodeId at = m_nodes[id].firstChild; at != kNoNode; at = m_nodes[at].nextSibling)
        out.push_back(at);
    return out;
}

std::uint32_t Lineage::addExec(ProcessNode& node, std::uint64_t timestampNs)
{
    const auto id = static_cast<std::uint32_t>(m_execs.size());
    m_execs.push_back(ExecInfo { timestampNs, 0, 0, 0, kNoEntry, 0, false });
    if (node.lastExec == kNoEntry)
        node.firstExec = id;
    else
        m_execs[node.lastExec].next = id;
    node.lastExec = id;
    return id;
}

void Lineage::addComm(ProcessNode& node, std::uint64_t timestampNs, std::uint32_t tid, StringId comm)
{
    const auto id = static_cast<std::uint32_t>(m_comms.size());
    m_comms.push_back(CommChange { timestampNs, tid, comm, kNoEntry });
    if (node.lastComm == kNoEntry)
        node.firstComm = id;
    else
        m_comms[node.lastComm].next = id;
    node.lastComm = id;
    if (tid == node.pid || node.name == 0)
        node.name = comm; // a thread's new name is not the process's, unless it has none
}

std::optional<std::uint64_t> exitedAfterNs(const ProcessNode& node, std::uint32_t execId, const ExecInfo& exec)
{
    const std::uint64_t execNs = exec.timestampNs;
    if (!exec.exitedBeforeRead || node.lastExec != execId || node.running() || node.endNs < execNs || execNs == 0)
        return std::nullopt;
    return node.endNs - execNs;
}

std::vector<std::string_view> argvOf(const StringPool& strings, const ExecInfo& exec)
{
    std::vector<std::string_view> args;
    args.reserve(exec.argc);
    anyArgument(strings.view(exec.argv), exec.argc, [&args](std::string_view arg) {
        args.push_back(arg);
        return false;
    });
    return args;
}

NodeId Lineage::addNode(ProcessNode node)
{
    const auto id = static_cast<NodeId>(m_nodes.size());
    node.host = m_host;
    byPid()[node.pid] = id;
    m_nodes.push_back(std::move(node));
    for (LineageListener* listener : m_listeners)
        listener->nodeAdded(id);
    return id;
}

void Lineage::link(NodeId parent, NodeId child)
{
    if (parent == kNoNode || parent == child)
        return;
    m_nodes[child].parent = parent;
    ProcessNode& p = m_nodes[parent];
    if (p.lastChild == kNoNode)
        p.firstChild = child;
    else
        m_nodes[p.lastChild].nextSibling = child;
    p.lastChild = child;
    for (LineageListener* listener : m_listeners)
        listener->childAdded(parent, child);
}

bool Lineage::descendsFrom(NodeId node, NodeId ancestor) const
{
    for (NodeId at = node; at != kNoNode; at = m_nodes[at].parent) {
        if (at == ancestor)
            return true;
    }
    return false;
}

void Lineage::changed(NodeId id)
{
    if (id == kNoNode)
        return;
    for (LineageListener* listener : m_listeners)
        listener->nodeChanged(id);
}

NodeId Lineage::nodeFor(std::uint32_t tgid)
{
    if (const NodeId existing = findHere(tgid); existing != kNoNode)
        return existing;
    ProcessNode placeholder;
    placeholder.pid = tgid;
    placeholder.placeholder = true;
    return addNode(std::move(placeholder));
}

NodeId Lineage::applyEvent(const ProcEvent& event, StoredEvent& row)
{
    const std::uint64_t ts = event.header.timestampNs;
    return std::visit(
        [&](const auto& e) -> NodeId {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>) {
                if (e.isThread()) {
                    const NodeId owner = nodeFor(e.childTgid);
                    ++m_nodes[owner].liveThreads;
                    ++m_nodes[owner].threadsSeen;
                    threads()[e.childPid] = owner;
                    changed(owner);
                    return owner;
                }
                const NodeId parent = nodeFor(e.parentTgid);
                if (const NodeId previous = findHere(e.childPid); previous != kNoNode) {
                    // The pid is reused: whatever held it has ended, even if we missed its exit.
                    ProcessNode& old = m_nodes[previous];
                    if (old.running()) {
                        old.endNs = ts;
                        old.liveThreads = 0;
                        changed(previous);
                    }
                }
                ProcessNode child;
                child.pid = e.childPid;
                child.parentPid = e.parentTgid;
                child.startNs = ts;
                const ProcessNode& from = m_nodes[parent];
                // Until it execs, a child runs its parent's program with its parent's identity.
                child.name = from.name;
                child.ruid = from.ruid, child.euid = from.euid, child.rgid = from.rgid, child.egid = from.egid;
                child.idsKnown = from.idsKnown;
                const NodeId id = addNode(std::move(child));
                link(parent, id);
                return id;
            } else if constexpr (std::is_same_v<T, ExecEvent>) {
                const NodeId id = nodeFor(e.tgid);
                ProcessNode& node = m_nodes[id];
                // A non-leader thread's exec arrives after the leader's EXIT: the process lives on.
                if (!node.running()) {
                    node.endNs = 0;
                    node.exitStatus.reset();
                    node.coreDumped = false;
                }
                node.liveThreads = 1; // exec ends every other thread
                row.a = addExec(node, ts);
                changed(id);
                return id;
            } else if constexpr (std::is_same_v<T, ExitEvent>) {
                if (e.pid != e.tgid) {
                    const auto thread = threads().find(e.pid);
                    const NodeId owner = thread != threads().end() ? thread->second : nodeFor(e.tgid);
                    if (thread != threads().end())
                        threads().erase(thread);
                    if (m_nodes[owner].liveThreads > 1)
                        --m_nodes[owner].liveThreads;
                    changed(owner);
                    return owner;
                }
                const NodeId id = nodeFor(e.pid);
                ProcessNode& node = m_nodes[id];
                node.endNs = ts;
                node.exitStatus = e.exitCode;
                node.liveThreads = 0;
                if (e.hasParent && e.parentTgid != 0)
                    node.reaperPid = e.parentTgid;
                if (e.exitCode & 0x80)
                    node.coreDumped = true;
                changed(id);
                return id;
            } else if constexpr (std::is_same_v<T, UnknownEvent>) {
                return kNoNode;
            } else {
                const NodeId id = nodeFor(e.tgid);
                ProcessNode& node = m_nodes[id];
                if constexpr (std::is_same_v<T, UidEvent>) {
                    node.ruid = e.ruid, node.euid = e.euid;
                } else if constexpr (std::is_same_v<T, GidEvent>) {
                    node.rgid = e.rgid, node.egid = e.egid;
                } else if constexpr (std::is_same_v<T, SidEvent>) {
                    node.sessionLeader = e.pid == e.tgid;
                } else if constexpr (std::is_same_v<T, PtraceEvent>) {
                    node.tracerTgid = e.tracerTgid;
                } else if constexpr (std::is_same_v<T, CommEvent>) {
                    const StringId comm = m_strings.intern(e.name());
                    row.a = comm;
                    addComm(node, ts, e.pid, comm);
                } else if constexpr (std::is_same_v<T, CoredumpEvent>) {
                    node.coreDumped = true;
                }
                changed(id);
                return id;
            }
        },
        event.payload);
}

void Lineage::fillFromRecord(ProcessNode& node, const capture::ProcessRecord& process, ExecInfo& exec)
{
    namespace readable = capture::readable;
    if (process.readable & readable::kExe)
        exec.exe = m_strings.intern(process.exe);
    if (process.readable & readable::kCwd)
        exec.cwd = m_strings.intern(process.cwd);
    if (process.readable & readable::kArgv) {
        std::string& joined = m_scratch; // reused: this runs once per exec
        joined.clear();
        for (std::size_t i = 0; i < process.argv.size(); ++i) {
            if (i)
                joined += '\0';
            joined += process.argv[i];
        }
        exec.argv = m_strings.intern(joined);
        exec.argc = static_cast<std::uint16_t>(std::min<std::size_t>(process.argv.size(), 0xFFFF));
    }
    exec.described = process.readable != 0;
    exec.exitedBeforeRead = (process.readable & readable::kExitedBeforeRead) != 0;
    if (process.readable & readable::kIds) {
        node.ruid = process.ruid, node.euid = process.euid, node.rgid = process.rgid, node.egid = process.egid;
        node.idsKnown = true;
    }
    // exec sets the comm without a COMM event: take it from the description.
    if ((process.readable & readable::kComm) && (node.lastComm == kNoEntry || m_strings.view(node.name) != process.comm))
        addComm(node, exec.timestampNs, node.pid, m_strings.intern(process.comm));
}

NodeId Lineage::applyProcess(const capture::ProcessRecord& process)
{
    const std::uint32_t pid = process.tgid ? process.tgid : process.pid;
    if (process.source == capture::ProcessSource::Exec) {
        const NodeId id = nodeFor(pid);
        ProcessNode& node = m_nodes[id];
        // A description follows its exec event at once: it is nearly always for the latest exec.
        // Others are looked for among the first kMaxExecSearch only, so a file describing many
        // execs of one process out of order costs linear time, not quadratic.
        std::uint32_t match = kNoEntry;
        if (node.lastExec != kNoEntry && m_execs[node.lastExec].timestampNs == process.eventTimestampNs) {
            match = node.lastExec;
        } else {
            std::size_t steps = 0;
            for (std::uint32_t at = node.firstExec; at != kNoEntry && steps < kMaxExecSearch; at = m_execs[at].next, ++steps) {
                if (m_execs[at].timestampNs == process.eventTimestampNs)
                    match = at; // the latest with this timestamp
            }
        }
        if (match == kNoEntry) // its exec event was lost: the description still counts
            match = addExec(node, process.eventTimestampNs);
        fillFromRecord(node, process, m_execs[match]);
        changed(id);
        return id;
    }
    // Snapshot: a process running when the capture started.
    NodeId id = findHere(pid);
    // The /proc scan races the events: a process forked just after the capture began can be
    // described by the scan after its fork event arrived. It is the same process (a running
    // pid is not reused), so the description completes that node instead of starting a second.
    const bool forkedDuringScan = id != kNoNode && !m_nodes[id].placeholder && !m_nodes[id].fromSnapshot && m_nodes[id].running();
    if (forkedDuringScan) {
        ProcessNode& node = m_nodes[id];
        if (node.lastExec == kNoEntry)
            fillFromRecord(node, process, m_execs[addExec(node, node.startNs)]);
        else if (!m_execs[node.lastExec].described)
            fillFromRecord(node, process, m_execs[node.lastExec]);
        changed(id);
        return id;
    }
    if (id == kNoNode || !m_nodes[id].placeholder) {
        ProcessNode fresh;
        fresh.pid = pid;
        id = addNode(std::move(fresh));
    }
    ProcessNode& node = m_nodes[id];
    node.placeholder = false;
    node.fromSnapshot = true;
    if (process.readable & capture::readable::kStartTime)
        node.startNs = process.startNs;
    fillFromRecord(node, process, m_execs[addExec(node, 0)]);
    if ((process.readable & capture::readable::kPpid) && process.ppid != 0 && node.parent == kNoNode) {
        node.parentPid = process.ppid;
        const NodeId parent = nodeFor(process.ppid);
        // A placeholder may already have children: never make it its own ancestor (a damaged
        // file, or pids reused while /proc was scanned), or every walk up the tree would loop.
        if (!descendsFrom(parent, id))
            link(parent, id);
    }
    changed(id);
    return id;
}

} // namespace procscope::session
