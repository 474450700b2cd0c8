// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The display filter language (see FILTERS.md in this folder): field comparisons on events and
// their processes, and/or/not, parentheses, and lineage predicates. Compiled once, evaluated
// per event row.

#include "session/session.h"

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace procscope::session {

struct FilterError {
    std::size_t column = 0; // 1-based position of the offending text
    std::string message;
    std::string describe() const { return "column " + std::to_string(column) + ": " + message; }
};

class DisplayFilter {
public:
    struct Node; // the compiled expression

    // An empty (or blank) expression matches everything.
    static std::variant<DisplayFilter, FilterError> compile(std::string_view expression);

    bool matches(const Session& session, std::size_t row) const;

    DisplayFilter(DisplayFilter&&) noexcept;
    DisplayFilter& operator=(DisplayFilter&&) noexcept;
    ~DisplayFilter();

private:
    DisplayFilter() = default;
    std::unique_ptr<Node> m_root;
};

} // namespace procscope::session
