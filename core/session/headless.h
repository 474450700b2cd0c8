// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <ostream>

namespace procscope::session {

// procscope's modes that need no display:
//   procscope --export OUT [--format jsonl|csv|chrome] [--filter EXPR] FILE
//   procscope --summary FILE
// Returns the exit status when the command line asks for one of them (0 done, 1 bad input with
// one line on `err`, 2 usage error), or nullopt when it is for the window.
std::optional<int> runHeadless(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace procscope::session
