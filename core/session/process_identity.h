// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Who a process is, decided once for the window, the exports and the command line: the name
// people know it by, the program it runs, whether it is the capture's own helper or the root of
// the kernel's threads, and whether a search finds it.

#include "session/session.h"

#include <string>
#include <string_view>

namespace procscope::session {

// The exec that started the program `node` runs: its own latest, or for a child forked during
// the capture that has not exec'd, the one its parent (or the nearest ancestor that exec'd, or
// was running at the start) was running when it forked that child: a `$(...)` subshell of a
// script that later execs something else still runs the script's shell. Null when unknown.
const ExecInfo* programExec(const Lineage& lineage, const ProcessNode& node);

// Its comm, whole when the kernel cut it at 15 bytes and its program's file name goes on
// ("tst_connector_kernel", not "tst_connector_k"); for a child that has not exec'd, the name of
// the program it runs; "procscope-helper" for the capture's own helper; "(unknown)" when nothing
// says. Bytes as the kernel gave them.
std::string processName(const Session& session, const ProcessNode& node);

// The capture's own helper: its header names the pid, and a later process reusing that pid
// (started after the capture began, or gone before) is not it.
bool isCaptureHelper(const Session& session, const ProcessNode& node);
NodeId captureHelper(const Session& session, std::uint8_t host = 0);

// kthreadd (pid 2, no parent in the capture): the root of the kernel's threads, which people
// usually want folded away.
bool isKernelThreadsRoot(const ProcessNode& node);
NodeId kernelThreadsRoot(const Session& session, std::uint8_t host = 0);

// Process search: `text` is its PID, or appears (ignoring ASCII case) in its name, command line
// or executable; a space in `text` matches between two arguments.
bool processMatchesSearch(const Session& session, NodeId id, std::string_view text);

} // namespace procscope::session
