// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/exporters.h"

#include <ostream>

namespace procscope::session {

// Chrome Trace Event JSON (opens in Perfetto and chrome://tracing): one complete event ("X")
// per process lifetime, named by its program, whose args are the process's fields under the
// display filter's names (pid, ppid, comm, exe, cwd, argv, ids, costs...) and `exit`, its
// status in words; instant events ("i") for exec, comm, uid, gid, ptrace and coredump, whose
// args are the event's JSONL fields. Times are the
// kernel's monotonic clock in microseconds. With a filter, only the selected events' processes
// and instants are written.
void exportChromeTrace(const Session& session, std::ostream& out, const RowFilter& filter = {});

} // namespace procscope::session
