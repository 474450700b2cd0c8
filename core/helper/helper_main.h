// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace procscope::helper {

// The whole of procscope-helper: parse, check, subscribe, drop privileges, open the output,
// capture. Returns the exit status (0 clean stop, 1 runtime failure, 2 usage error).
int helperMain(int argc, const char* const* argv, const char* version);

} // namespace procscope::helper
