// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// `procscope --export` and `procscope --summary`, on top of the session API: no display, no
// QCoreApplication. Each returns the exit status: 0 done, 1 bad input (one line on `err`;
// what could be read is still exported or summarized).

#include "command_line.h"

#include <ostream>

namespace procscope::app {

// Writes to `out` when the request's output is "-".
int exportCapture(const ExportCapture& request, std::ostream& out, std::ostream& err);
int summarizeCapture(const SummarizeCapture& request, std::ostream& out, std::ostream& err);

} // namespace procscope::app
