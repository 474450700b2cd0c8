// SPDX-License-Identifier: GPL-3.0-or-later
// Compiling and evaluating display filters against event rows.

#include "session/display_filter.h"

#include "protocol/wait_status.h"
#include "session/filter_ast.h"

namespace procscope::session {

using namespace filter;

namespace {

using Node = DisplayFilter::Node;

using Value = std::variant<std::monostate, std::int64_t, std::string_view>;


// What a process cost: absent until its figures came (a subtree total once any figures came).
Value costOf(const Session& session, NodeId nodeId, const Node& compare)
{
    if (nodeId == kNoNode)
        return {};
    if (compare.subtree) {
        if (!session.costs().any())
            return {};
        return std::int64_t(subtreeValue(session.costs().subtree(nodeId), compare.subtree->figure));
    }
    const ProcessCost* cost = session.costs().own(nodeId);
    return cost ? Value(std::int64_t(compare.cost->own(*cost))) : Value();
}

// The field's value for an event row (about its process), or monostate where it has none.
Value fieldOf(const Session& session, const StoredEvent& row, NodeId nodeId, Field field, bool rowFields)
{
    const ProcessNode* node = nodeId == kNoNode ? nullptr : &session.lineage().node(nodeId);
    const ExecInfo* exec = nodeId == kNoNode ? nullptr : session.lineage().lastExec(nodeId);
    const StringPool& strings = session.strings();
    if (rowFields) {
        switch (field) {
        case Field::Type: return std::string_view(eventKindName(row.kind));
        case Field::Cpu: return std::int64_t(row.cpu);
        case Field::Ts: return std::int64_t(row.timestampNs);
        case Field::Pid:
            if (row.kind != EventKind::Loss && row.kind != EventKind::Unknown)
                return std::int64_t(row.pid);
            break;
        case Field::Tgid:
            if (row.kind != EventKind::Loss && row.kind != EventKind::Unknown)
                return std::int64_t(row.tgid);
            break;
        case Field::Comm:
            if (row.kind == EventKind::Comm)
                return strings.view(row.a);
            break;
        case Field::ExitCode:
        case Field::Signal:
        case Field::CoreDumped: {
            if (row.kind != EventKind::Exit)
                return {};
            const auto status = protocol::decodeWaitStatus(row.a);
            if (field == Field::CoreDumped)
                return std::int64_t(status.coreDumped);
            if (field == Field::ExitCode)
                return status.kind == protocol::WaitStatus::Kind::Exited ? Value(std::int64_t(status.code)) : Value();
            return status.kind == protocol::WaitStatus::Kind::Killed ? Value(std::int64_t(status.signal)) : Value();
        }
        case Field::Uid:
        case Field::Euid:
            if (row.kind == EventKind::Uid)
                return std::int64_t(field == Field::Uid ? row.a : row.b);
            break;
        case Field::Gid:
        case Field::Egid:
            if (row.kind == EventKind::Gid)
                return std::int64_t(field == Field::Gid ? row.a : row.b);
            break;
        default:
            break;
        }
    }
    if (!node)
        return {};
    switch (field) {
    case Field::Pid:
    case Field::Tgid: return std::int64_t(node->pid);
    case Field::Ppid: return node->parentPid ? Value(std::int64_t(node->parentPid)) : Value();
    case Field::Comm: return strings.view(node->name);
    case Field::Exe: return exec && exec->exe ? Value(strings.view(exec->exe)) : Value();
    case Field::Cwd: return exec && exec->cwd ? Value(strings.view(exec->cwd)) : Value();
    case Field::Argv: return exec && exec->argc ? Value(strings.view(exec->argv)) : Value();
    case Field::Uid: return node->idsKnown ? Value(std::int64_t(node->ruid)) : Value();
    case Field::Euid: return node->idsKnown ? Value(std::int64_t(node->euid)) : Value();
    case Field::Gid: return node->idsKnown ? Value(std::int64_t(node->rgid)) : Value();
    case Field::Egid: return node->idsKnown ? Value(std::int64_t(node->egid)) : Value();
    default: return {};
    }
}

bool compare(const Node& node, const Value& value)
{
    if (std::holds_alternative<std::monostate>(value))
        return false; // an absent field matches nothing, not even !=
    if (node.op == Op::Present)
        return std::holds_alternative<std::string_view>(value) ? !std::get<std::string_view>(value).empty() : std::get<std::int64_t>(value) != 0;
    if (const auto* text = std::get_if<std::string_view>(&value)) {
        // argv is the arguments joined with NUL: ==, contains and ~ hold when one argument does.
        const auto eachPart = [&](auto&& test) {
            if (node.field != Field::Argv)
                return test(*text);
            std::string_view rest = *text;
            while (true) {
                const std::size_t nul = rest.find('\0');
                if (test(rest.substr(0, nul)))
                    return true;
                if (nul == std::string_view::npos)
                    return false;
                rest.remove_prefix(nul + 1);
            }
        };
        switch (node.op) {
        case Op::Eq: return eachPart([&](std::string_view s) { return s == node.text; });
        case Op::Ne: return !eachPart([&](std::string_view s) { return s == node.text; });
        case Op::Contains: return eachPart([&](std::string_view s) { return s.find(node.text) != std::string_view::npos; });
        case Op::Matches: return eachPart([&](std::string_view s) { return std::regex_search(s.begin(), s.end(), *node.regex); });
        default: return false;
        }
    }
    const std::int64_t number = std::get<std::int64_t>(value);
    switch (node.op) {
    case Op::Eq: return number == node.number;
    case Op::Ne: return number != node.number;
    case Op::Lt: return number < node.number;
    case Op::Le: return number <= node.number;
    case Op::Gt: return number > node.number;
    case Op::Ge: return number >= node.number;
    default: return false;
    }
}

bool evaluate(const Node& node, const Session& session, const StoredEvent& row)
{
    const Lineage& lineage = session.lineage();
    switch (node.kind) {
    case Node::Kind::And: return evaluate(*node.children[0], session, row) && evaluate(*node.children[1], session, row);
    case Node::Kind::Or: return evaluate(*node.children[0], session, row) || evaluate(*node.children[1], session, row);
    case Node::Kind::Not: return !evaluate(*node.children[0], session, row);
    case Node::Kind::DescendantOf:
        for (NodeId at = row.node == kNoNode ? kNoNode : lineage.node(row.node).parent; at != kNoNode; at = lineage.node(at).parent) {
            if (lineage.node(at).pid == std::uint64_t(node.number))
                return true;
        }
        return false;
    case Node::Kind::Compare: {
        const bool cost = node.field == Field::Cost || node.field == Field::SubtreeCost;
        const auto valueAt = [&](NodeId at, bool rowFields) { return cost ? costOf(session, at, node) : fieldOf(session, row, at, node.field, rowFields); };
        if (node.scope == Scope::Self)
            return compare(node, valueAt(row.node, true));
        for (NodeId at = row.node == kNoNode ? kNoNode : lineage.node(row.node).parent; at != kNoNode; at = lineage.node(at).parent) {
            if (compare(node, valueAt(at, false)))
                return true;
            if (node.scope == Scope::Parent)
                break;
        }
        return false;
    }
    }
    return false;
}

} // namespace

std::variant<DisplayFilter, FilterError> DisplayFilter::compile(std::string_view expression)
{
    DisplayFilter filter;
    if (expression.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return filter;
    auto parsed = filter::parse(expression);
    if (auto* error = std::get_if<FilterError>(&parsed))
        return *error;
    filter.m_root = std::move(std::get<std::unique_ptr<Node>>(parsed));
    return filter;
}

bool DisplayFilter::matches(const Session& session, std::size_t row) const
{
    return !m_root || evaluate(*m_root, session, session.events()[row]);
}

DisplayFilter::DisplayFilter(DisplayFilter&&) noexcept = default;
DisplayFilter& DisplayFilter::operator=(DisplayFilter&&) noexcept = default;
DisplayFilter::~DisplayFilter() = default;

} // namespace procscope::session
