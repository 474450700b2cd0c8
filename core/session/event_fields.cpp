// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/event_fields.h"

#include "protocol/wait_status.h"

namespace procscope::session {

namespace {

using K = FieldKind;
using Row = StoredEvent;
using V = FieldValue;

V number(std::uint64_t value) { return std::int64_t(value); }
bool isKernelEvent(const Row& row) { return row.kind != EventKind::Loss && row.kind != EventKind::Unknown; }

// The exec a row is about (exec rows only), when the helper described it.
const ExecInfo* execOf(const Session& s, const Row& row)
{
    return row.kind == EventKind::Exec && row.node != kNoNode ? &s.lineage().exec(row.a) : nullptr;
}
// Its argv, exe and cwd, unless its process had exited before they could be read.
const ExecInfo* describedExecOf(const Session& s, const Row& row)
{
    const ExecInfo* exec = execOf(s, row);
    return exec && exec->described && !exec->exitedBeforeRead ? exec : nullptr;
}
const ProcessNode* nodeOf(const Session& s, NodeId id) { return id == kNoNode ? nullptr : &s.lineage().node(id); }
const ExecInfo* lastExecOf(const Session& s, NodeId id) { return id == kNoNode ? nullptr : s.lineage().lastExec(id); }

V text(const Session& s, StringId id) { return id ? V(s.strings().view(id)) : V(); }
V arguments(const Session& s, const ExecInfo* exec) { return exec ? V(Arguments { s.strings().view(exec->argv), exec->argc }) : V(); }

// The wait status of an exit row, decoded: what `exit 3` and `kill -SEGV` mean to people.
protocol::WaitStatus statusOf(const Row& row) { return protocol::decodeWaitStatus(row.a); }
bool isExit(const Row& row) { return row.kind == EventKind::Exit; }
bool hasParentFields(const Row& row) { return row.kind == EventKind::Exit || row.kind == EventKind::Coredump; }

V ids(const Session& s, NodeId id, std::uint32_t ProcessNode::*member)
{
    const ProcessNode* node = nodeOf(s, id);
    return node && node->idsKnown ? number(node->*member) : V();
}

constexpr EventField kFields[] = {
    { "event", K::EventType, [](const Session&, const Row& r) -> V { return std::string_view(eventKindName(r.kind)); }, nullptr },
    { "ts_ns", K::Number, [](const Session&, const Row& r) { return number(r.timestampNs); }, nullptr },
    { "cpu", K::Number, [](const Session&, const Row& r) { return r.cpu == kNoCpuRow ? V() : number(r.cpu); }, nullptr },
    // The machine it happened on (a session of several hosts; exports carry it only then).
    { "host", K::Text, [](const Session& s, const Row& r) { return V(std::string_view(s.host(r.host).label)); },
        [](const Session& s, NodeId n) { return nodeOf(s, n) ? V(std::string_view(s.host(nodeOf(s, n)->host).label)) : V(); } },
    // The thread and process the event is about (a fork's: the child's).
    { "pid", K::Number, [](const Session&, const Row& r) { return isKernelEvent(r) ? number(r.pid) : V(); },
        [](const Session& s, NodeId n) { return nodeOf(s, n) ? number(nodeOf(s, n)->pid) : V(); } },
    { "tgid", K::Number, [](const Session&, const Row& r) { return isKernelEvent(r) ? number(r.tgid) : V(); },
        [](const Session& s, NodeId n) { return nodeOf(s, n) ? number(nodeOf(s, n)->pid) : V(); } },
    // The process that forked it (when it was forked or first seen).
    { "ppid", K::Number, nullptr, [](const Session& s, NodeId n) { return nodeOf(s, n) && nodeOf(s, n)->parentPid ? number(nodeOf(s, n)->parentPid) : V(); } },
    // The kernel's parent fields: a fork's forking thread; the parent at an exit or a core dump.
    { "parent_pid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Fork ? number(r.a) : hasParentFields(r) ? number(r.c) : V(); }, nullptr },
    { "parent_tgid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Fork ? number(r.b) : hasParentFields(r) ? number(r.d) : V(); }, nullptr },
    { "child_pid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Fork ? number(r.pid) : V(); }, nullptr },
    { "child_tgid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Fork ? number(r.tgid) : V(); }, nullptr },
    // An exit, decoded: exit_code when it exited, exit_signal when a signal killed it.
    { "exit_code", K::Number, [](const Session&, const Row& r) {
         return isExit(r) && statusOf(r).kind == protocol::WaitStatus::Kind::Exited ? number(std::uint32_t(statusOf(r).code)) : V(); }, nullptr },
    { "exit_signal", K::Signal, [](const Session&, const Row& r) {
         return isExit(r) && statusOf(r).kind == protocol::WaitStatus::Kind::Killed ? number(std::uint32_t(statusOf(r).signal)) : V(); }, nullptr },
    { "core_dumped", K::Flag, [](const Session&, const Row& r) { return isExit(r) ? number(statusOf(r).coreDumped) : V(); }, nullptr },
    // The raw wait status the kernel sent (768 for `exit 3`), and the signal its parent is sent
    // (SIGCHLD, 17, for a process; the kernel's exit_signal field).
    { "wait_status", K::Number, [](const Session&, const Row& r) { return isExit(r) ? number(r.a) : V(); }, nullptr },
    { "signal_to_parent", K::Signal, [](const Session&, const Row& r) { return isExit(r) ? V(std::int64_t(std::int32_t(r.b))) : V(); }, nullptr },
    // Real and effective ids: a uid or gid event's new ones, else the process's latest.
    { "ruid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Uid ? number(r.a) : V(); },
        [](const Session& s, NodeId n) { return ids(s, n, &ProcessNode::ruid); } },
    { "euid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Uid ? number(r.b) : V(); },
        [](const Session& s, NodeId n) { return ids(s, n, &ProcessNode::euid); } },
    { "rgid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Gid ? number(r.a) : V(); },
        [](const Session& s, NodeId n) { return ids(s, n, &ProcessNode::rgid); } },
    { "egid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Gid ? number(r.b) : V(); },
        [](const Session& s, NodeId n) { return ids(s, n, &ProcessNode::egid); } },
    { "tracer_pid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Ptrace ? number(r.a) : V(); }, nullptr },
    { "tracer_tgid", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Ptrace ? number(r.b) : V(); }, nullptr },
    // A comm event's new name, else the process's current one.
    { "comm", K::Text, [](const Session& s, const Row& r) { return r.kind == EventKind::Comm ? V(s.strings().view(r.a)) : V(); },
        [](const Session& s, NodeId n) { return nodeOf(s, n) ? V(s.strings().view(nodeOf(s, n)->name)) : V(); } },
    // An exec's program, else the process's latest.
    { "exe", K::Text, [](const Session& s, const Row& r) { const ExecInfo* e = describedExecOf(s, r); return e ? text(s, e->exe) : V(); },
        [](const Session& s, NodeId n) { const ExecInfo* e = lastExecOf(s, n); return e ? text(s, e->exe) : V(); } },
    { "cwd", K::Text, [](const Session& s, const Row& r) { const ExecInfo* e = describedExecOf(s, r); return e ? text(s, e->cwd) : V(); },
        [](const Session& s, NodeId n) { const ExecInfo* e = lastExecOf(s, n); return e ? text(s, e->cwd) : V(); } },
    { "argv", K::Arguments, [](const Session& s, const Row& r) { return arguments(s, describedExecOf(s, r)); },
        [](const Session& s, NodeId n) { return arguments(s, lastExecOf(s, n)); } },
    // An exec whose process had exited before /proc could be read: why argv is missing, and
    // how long the process ran after that exec.
    { "exited_before_read", K::Flag, [](const Session& s, const Row& r) { const ExecInfo* e = execOf(s, r); return e && e->exitedBeforeRead ? number(1) : V(); }, nullptr },
    { "exited_after_ns", K::Duration, [](const Session& s, const Row& r) {
         const ExecInfo* e = execOf(s, r);
         const auto ran = e ? exitedAfterNs(s.lineage().node(r.node), r.a, *e) : std::nullopt;
         return ran ? number(*ran) : V(); }, nullptr },
    { "what", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Unknown ? number(r.a) : V(); }, nullptr },
    // A loss: why, and how many events.
    { "reason", K::Text, [](const Session&, const Row& r) {
         return r.kind == EventKind::Loss ? V(std::string_view(capture::lossReasonName(static_cast<capture::LossReason>(r.a)))) : V(); }, nullptr },
    { "count", K::Number, [](const Session&, const Row& r) { return r.kind == EventKind::Loss ? number((std::uint64_t(r.c) << 32) | r.b) : V(); }, nullptr },
    // The parent the kernel named at its exit (1 or a subreaper for an orphan), and whether
    // the process was first seen in later events, its start not captured.
    { "reaper_pid", K::Number, nullptr, [](const Session& s, NodeId n) { return nodeOf(s, n) && nodeOf(s, n)->reaperPid ? number(nodeOf(s, n)->reaperPid) : V(); } },
    { "start_unknown", K::Flag, nullptr, [](const Session& s, NodeId n) { return nodeOf(s, n) ? number(nodeOf(s, n)->placeholder) : V(); } },
};

// Other names for a field: the filter's own from before the names were shared, and the old
// JSONL names (README, "Changes to the export").
struct FieldAlias {
    std::string_view alias;
    std::string_view name;
};
constexpr FieldAlias kFieldAliases[] = {
    { "type", "event" }, { "ts", "ts_ns" }, { "uid", "ruid" }, { "gid", "rgid" }, { "signal", "exit_signal" }, { "exit_status", "exit_code" },
};

} // namespace

std::span<const EventField> eventFields() { return kFields; }

const EventField* findEventField(std::string_view name)
{
    for (const FieldAlias& alias : kFieldAliases) {
        if (alias.alias == name)
            name = alias.name;
    }
    for (const EventField& field : kFields) {
        if (field.name == name)
            return &field;
    }
    return nullptr;
}

FieldValue fieldValue(const EventField& field, const Session& session, const StoredEvent* row, NodeId node)
{
    if (row && field.ofEvent) {
        if (FieldValue own = field.ofEvent(session, *row); !std::holds_alternative<std::monostate>(own))
            return own;
    }
    return field.ofProcess ? field.ofProcess(session, node) : FieldValue();
}

} // namespace procscope::session
