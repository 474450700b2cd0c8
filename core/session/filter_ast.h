// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The compiled form of a display filter, shared by its parser and its evaluator.

#include "session/cost_fields.h"
#include "session/display_filter.h"
#include "session/event_fields.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace procscope::session {

namespace filter {

enum class Scope { Self, Parent, Ancestor };
enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Matches, Contains, Present };

// Parses `expression` (not blank) into a tree, or says where it is wrong.
std::variant<std::unique_ptr<DisplayFilter::Node>, FilterError> parse(std::string_view expression);

} // namespace filter

struct DisplayFilter::Node {
    enum class Kind { And, Or, Not, Compare, DescendantOf } kind = Kind::Compare;
    std::vector<std::unique_ptr<Node>> children;
    // Compare
    filter::Scope scope = filter::Scope::Self;
    // Exactly one of the three: an event's field, a process's own cost, or a cost with descendants.
    const EventField* field = nullptr;
    std::int64_t number = 0;
    std::string text;
    std::optional<std::regex> regex;
    const CostField* cost = nullptr;
    const SubtreeField* subtree = nullptr;
    filter::Op op = filter::Op::Present;
    // DescendantOf: the ancestor's pid in `number`
};

} // namespace procscope::session
