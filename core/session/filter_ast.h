// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The compiled form of a display filter, shared by its parser and its evaluator.

#include "session/cost_fields.h"
#include "session/display_filter.h"

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

enum class Field { Type, Pid, Tgid, Ppid, Cpu, Ts, Comm, Exe, Cwd, Argv, ExitCode, Signal, CoreDumped, Uid, Euid, Gid, Egid, Cost, SubtreeCost };
enum class Scope { Self, Parent, Ancestor };
enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Matches, Contains, Present };

struct FieldInfo {
    std::string_view name;
    Field field;
    bool text;
};
inline constexpr FieldInfo kFields[] = {
    { "type", Field::Type, true }, { "event", Field::Type, true }, { "pid", Field::Pid, false }, { "tgid", Field::Tgid, false },
    { "ppid", Field::Ppid, false }, { "cpu", Field::Cpu, false }, { "ts", Field::Ts, false }, { "comm", Field::Comm, true },
    { "exe", Field::Exe, true }, { "cwd", Field::Cwd, true }, { "argv", Field::Argv, true }, { "exit_code", Field::ExitCode, false },
    { "signal", Field::Signal, false }, { "core_dumped", Field::CoreDumped, false }, { "uid", Field::Uid, false },
    { "euid", Field::Euid, false }, { "gid", Field::Gid, false }, { "egid", Field::Egid, false },
};


// Parses `expression` (not blank) into a tree, or says where it is wrong.
std::variant<std::unique_ptr<DisplayFilter::Node>, FilterError> parse(std::string_view expression);

} // namespace filter

struct DisplayFilter::Node {
    enum class Kind { And, Or, Not, Compare, DescendantOf } kind = Kind::Compare;
    std::vector<std::unique_ptr<Node>> children;
    // Compare
    filter::Scope scope = filter::Scope::Self;
    filter::Field field = filter::Field::Pid;
    filter::Op op = filter::Op::Present;
    std::int64_t number = 0;
    std::string text;
    std::optional<std::regex> regex;
    const CostField* cost = nullptr; // Field::Cost
    const SubtreeField* subtree = nullptr; // Field::SubtreeCost
    // DescendantOf: the ancestor's pid in `number`
};

} // namespace procscope::session
