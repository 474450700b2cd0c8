// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/exporters.h"

#include <ostream>

namespace procscope::session {

// Chrome Trace Event JSON (opens in Perfetto and chrome://tracing): one complete event ("X")
// per process lifetime, named by its program, with pid/tid, argv, exit status and parent in
// args; instant events ("i") for exec, comm, uid, gid, ptrace and coredump. Times are the
// kernel's monotonic clock in microseconds. With a filter, only the selected events' processes
// and instants are written.
void exportChromeTrace(const Session& session, std::ostream& out, const RowFilter& filter = {});

} // namespace procscope::session
