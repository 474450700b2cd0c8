// SPDX-License-Identifier: GPL-3.0-or-later
// Compiling and evaluating display filters against event rows.

#include "session/display_filter.h"

#include "session/filter_ast.h"

namespace procscope::session {

using namespace filter;

namespace {

using Node = DisplayFilter::Node;

// What a process cost: absent until its figures came (a subtree total once any figures came).
FieldValue costOf(const Session& session, NodeId nodeId, const Node& compare)
{
    if (nodeId == kNoNode)
        return {};
    if (compare.subtree) {
        if (!session.costs().any())
            return {};
        return std::int64_t(subtreeValue(session.costs().subtree(nodeId), compare.subtree->figure));
    }
    const ProcessCost* cost = session.costs().own(nodeId);
    return cost ? FieldValue(std::int64_t(compare.cost->own(*cost))) : FieldValue();
}

bool compareText(Op op, const Node& node, std::string_view text)
{
    switch (op) {
    case Op::Eq: return text == node.text;
    case Op::Ne: return text != node.text;
    case Op::Contains: return text.find(node.text) != std::string_view::npos;
    case Op::Matches: return std::regex_search(text.begin(), text.end(), *node.regex);
    case Op::Present: return !text.empty();
    default: return false;
    }
}

bool compareNumber(const Node& node, std::int64_t number)
{
    switch (node.op) {
    case Op::Eq: return number == node.number;
    case Op::Ne: return number != node.number;
    case Op::Lt: return number < node.number;
    case Op::Le: return number <= node.number;
    case Op::Gt: return number > node.number;
    case Op::Ge: return number >= node.number;
    case Op::Present: return number != 0;
    default: return false;
    }
}

// An absent field matches nothing, not even !=: `exit_code != 0` selects failing exits only.
bool compare(const Node& node, const FieldValue& value)
{
    if (const auto* number = std::get_if<std::int64_t>(&value))
        return compareNumber(node, *number);
    if (const auto* text = std::get_if<std::string_view>(&value))
        return compareText(node.op, node, *text);
    const auto* arguments = std::get_if<Arguments>(&value);
    if (!arguments || arguments->count == 0)
        return false;
    if (node.op == Op::Present)
        return true;
    // ==, contains and ~ hold when one argument does; != when none is equal.
    const Op op = node.op == Op::Ne ? Op::Eq : node.op;
    const bool any = anyArgument(arguments->joined, arguments->count, [&](std::string_view argument) { return compareText(op, node, argument); });
    return node.op == Op::Ne ? !any : any;
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
        const auto valueAt = [&](NodeId at, const StoredEvent* event) { return node.field ? fieldValue(*node.field, session, event, at) : costOf(session, at, node); };
        if (node.scope == Scope::Self)
            return compare(node, valueAt(row.node, &row));
        for (NodeId at = row.node == kNoNode ? kNoNode : lineage.node(row.node).parent; at != kNoNode; at = lineage.node(at).parent) {
            if (compare(node, valueAt(at, nullptr)))
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
