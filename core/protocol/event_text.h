// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/events.h"

#include <string>
#include <string_view>

namespace procscope::protocol {

// One human-readable line per parse result, without time or cpu (the caller adds those):
// "fork parent=1/1 child=812/812", "exit pid=812 tgid=812 exited 3 signal=17 parent=1/1".
std::string describeMessage(const Message& message);

// Printable ASCII kept, everything else as \xNN (and backslash as \\), so a comm with control
// characters or invalid UTF-8 cannot corrupt a terminal line.
std::string escapeBytes(std::string_view bytes);

} // namespace procscope::protocol
