// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/process_costs.h"

#include <algorithm>
#include <limits>

namespace procscope::session {

namespace {

// Pids are per host: a session of several hosts waits for each host's processes apart.
std::uint64_t waitingKey(std::uint8_t host, std::uint32_t pid) { return (std::uint64_t(host) << 32) | pid; }

std::uint32_t addSaturating(std::uint32_t total, std::uint64_t more)
{
    const std::uint64_t sum = std::uint64_t { total } + more;
    return sum > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max() : static_cast<std::uint32_t>(sum);
}

std::uint64_t addSaturating(std::uint64_t total, std::uint64_t more)
{
    return more > std::numeric_limits<std::uint64_t>::max() - total ? std::numeric_limits<std::uint64_t>::max() : total + more;
}

SubtreeCost difference(const SubtreeCost& after, const SubtreeCost& before)
{
    return { after.cpuNs - before.cpuNs, after.maxRssBytes - before.maxRssBytes, after.readBytes - before.readBytes,
        after.writeBytes - before.writeBytes };
}

void addTask(ProcessCost& cost, const protocol::TaskFigures& f)
{
    cost.userNs = addSaturating(cost.userNs, f.userNs);
    cost.systemNs = addSaturating(cost.systemNs, f.systemNs);
    cost.elapsedNs = std::max(cost.elapsedNs, f.elapsedNs);
    cost.maxRssBytes = std::max(cost.maxRssBytes, f.maxRssBytes);
    cost.maxVmBytes = std::max(cost.maxVmBytes, f.maxVmBytes);
    cost.readBytes = addSaturating(cost.readBytes, f.readBytes);
    cost.writeBytes = addSaturating(cost.writeBytes, f.writeBytes);
    cost.readChars = addSaturating(cost.readChars, f.readChars);
    cost.writeChars = addSaturating(cost.writeChars, f.writeChars);
    cost.cpuDelayNs = addSaturating(cost.cpuDelayNs, f.cpuDelayNs);
    cost.blkioDelayNs = addSaturating(cost.blkioDelayNs, f.blkioDelayNs);
    cost.swapinDelayNs = addSaturating(cost.swapinDelayNs, f.swapinDelayNs);
    cost.reclaimDelayNs = addSaturating(cost.reclaimDelayNs, f.reclaimDelayNs);
    cost.minorFaults = addSaturating(cost.minorFaults, f.minorFaults);
    cost.majorFaults = addSaturating(cost.majorFaults, f.majorFaults);
    cost.voluntarySwitches = addSaturating(cost.voluntarySwitches, f.voluntarySwitches);
    cost.involuntarySwitches = addSaturating(cost.involuntarySwitches, f.involuntarySwitches);
    if (cost.tasks < std::numeric_limits<std::uint16_t>::max())
        ++cost.tasks;
    cost.known = true;
}

// Could the figures be this process's? Not when they were taken before it started, nor long
// after it ended (the pid has been reused by a process not seen yet).
bool belongsTo(const ProcessNode& node, const capture::TaskCostRecord& record)
{
    constexpr std::uint64_t kLateNs = 5'000'000'000; // far beyond the helper's batching
    if (record.timestampNs == 0)
        return true; // hand-made records without a time
    constexpr std::uint64_t kStartSlackNs = 1'000'000'000; // the helper's delay in reading them, and more
    if (node.startNs != 0 && record.timestampNs < node.startNs)
        return false;
    if (node.endNs == 0)
        return true;
    // Started (as far as its elapsed time tells) after this process had ended: a later one.
    const std::uint64_t elapsed = record.figures.elapsedNs;
    if (elapsed != 0 && elapsed < record.timestampNs && record.timestampNs - elapsed > node.endNs + kStartSlackNs)
        return false;
    return record.timestampNs <= node.endNs + kLateNs;
}

} // namespace

SubtreeCost contribution(const ProcessCost& cost) { return { cost.cpuNs(), cost.maxRssBytes, cost.readBytes, cost.writeBytes }; }

ProcessCosts::ProcessCosts(Lineage& lineage)
    : m_lineage(lineage)
{
    m_lineage.addListener(this);
}

ProcessCosts::~ProcessCosts() { m_lineage.removeListener(this); }

const ProcessCost* ProcessCosts::own(NodeId node) const
{
    return node < m_own.size() && m_own[node].known ? &m_own[node] : nullptr;
}

SubtreeCost ProcessCosts::subtree(NodeId node) const
{
    return node < m_subtree.size() ? m_subtree[node] : SubtreeCost {};
}

std::size_t ProcessCosts::bytes() const { return m_own.size() * sizeof(ProcessCost) + m_subtree.size() * sizeof(SubtreeCost); }

void ProcessCosts::grow()
{
    // Nothing is kept before the first figures: captures without them cost no memory here.
    m_own.resize(m_lineage.size());
    m_subtree.resize(m_lineage.size());
}

CostTally ProcessCosts::tally() const
{
    CostTally tally = m_tally;
    tally.unknownProcess += m_waitingRecords;
    return tally;
}

void ProcessCosts::nodeAdded(NodeId node)
{
    if (any())
        grow();
    if (m_waiting.empty())
        return;
    const auto waiting = m_waiting.find(waitingKey(m_lineage.node(node).host, m_lineage.node(node).pid));
    if (waiting == m_waiting.end())
        return;
    std::vector<capture::TaskCostRecord> records = std::move(waiting->second);
    m_waiting.erase(waiting);
    m_waitingRecords -= records.size();
    for (const auto& record : records) {
        if (belongsTo(m_lineage.node(node), record))
            applyTo(node, record, false); // the views learn of the node itself right after this
        else
            ++m_tally.unknownProcess; // figures of an earlier process with that pid, never seen
    }
}

void ProcessCosts::childAdded(NodeId parent, NodeId child)
{
    // A process that learns its parent late brings its subtree's total along.
    if (!any() || child >= m_subtree.size())
        return;
    const SubtreeCost carried = m_subtree[child];
    if (carried.cpuNs || carried.maxRssBytes || carried.readBytes || carried.writeBytes)
        propagate(parent, carried, true);
}

void ProcessCosts::propagate(NodeId from, const SubtreeCost& delta, bool notify)
{
    std::size_t steps = 0;
    for (NodeId at = from; at != kNoNode && at < m_subtree.size() && steps <= m_lineage.size(); at = m_lineage.node(at).parent, ++steps) {
        SubtreeCost& total = m_subtree[at];
        total.cpuNs += delta.cpuNs;
        total.maxRssBytes += delta.maxRssBytes;
        total.readBytes += delta.readBytes;
        total.writeBytes += delta.writeBytes;
        if (notify)
            m_lineage.notifyChanged(at);
    }
}

NodeId ProcessCosts::apply(const capture::TaskCostRecord& record)
{
    ++m_tally.records;
    const protocol::TaskFigures& f = record.figures;
    const std::uint32_t pid = f.tgid ? f.tgid : f.pid;
    const bool running = (record.flags & capture::cost_flags::kRunning) != 0;
    NodeId node = m_lineage.find(pid, m_lineage.host());
    if (node != kNoNode && !belongsTo(m_lineage.node(node), record))
        node = kNoNode; // an earlier process with that pid: this one's fork is still to come
    if (node == kNoNode) {
        if (running)
            return kNoNode; // running at the stop but never seen (no snapshot): not the capture's
        if (m_waitingRecords >= kMaxWaiting) {
            ++m_tally.unknownProcess;
        } else {
            m_waiting[waitingKey(m_lineage.host(), pid)].push_back(record);
            ++m_waitingRecords;
        }
        return kNoNode;
    }
    return applyTo(node, record, true);
}

NodeId ProcessCosts::applyTo(NodeId node, const capture::TaskCostRecord& record, bool notify)
{
    const protocol::TaskFigures& f = record.figures;
    if (!any())
        grow();
    ProcessCost& cost = m_own[node];
    const bool running = (record.flags & capture::cost_flags::kRunning) != 0;
    const bool groupEnded = (record.flags & capture::cost_flags::kGroupEnded) != 0;
    if ((cost.complete && (groupEnded || running)) || (cost.running && running)) {
        ++m_tally.duplicated; // figures for a process that already has its final ones
        return node;
    }
    const SubtreeCost before = contribution(cost);
    if (running) {
        cost = ProcessCost {}; // whole-process figures so far replace what its ended threads added
        addTask(cost, f);
        cost.running = true;
    } else {
        addTask(cost, f);
        cost.complete = cost.complete || groupEnded;
    }
    propagate(node, difference(contribution(cost), before), notify);
    return node;
}

} // namespace procscope::session
