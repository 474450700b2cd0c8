// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// How the views spell session values: times, durations, exit states, users, command lines
// and one-line event details. Shared by the tree, the tables and the status bar so that one
// value reads the same everywhere.

#include "session/session.h"

#include <QColor>
#include <QString>
#include <QVariant>
#include <string_view>

namespace procscope::ui {

// Capture bytes (comm, argv) may be anything: valid UTF-8 is shown as is, the rest replaced.
QString bytesToText(std::string_view bytes);

// Kernel monotonic nanoseconds on the capture's wall clock (from its header); "" when unknown.
QString wallClockTime(const session::Session& session, std::uint64_t monotonicNs);
QString wallClockDateTime(const session::Session& session, std::uint64_t monotonicNs);

// "850 us", "12.4 ms", "3.20 s", "4 min 05 s", "2 h 10 min".
QString durationText(std::uint64_t ns);

// "running", "exited 0", "killed by SIGSEGV (core dumped)"; "ended" when no status was seen.
QString processStateText(const session::ProcessNode& node);
enum class ProcessOutcome { Running, Succeeded, Failed, Killed, Unknown };
ProcessOutcome processOutcome(const session::ProcessNode& node);
// Text colour of a process's cells: exited ones greyed (tombstones), a failure red in its status.
QVariant processForeground(const session::ProcessNode& node, bool statusColumn);
QColor tombstoneColour();
QColor failureColour();

// The latest command line of a process, arguments quoted where they need it; or why it is missing.
QString commandLineText(const session::Session& session, session::NodeId node);
QString argvText(const session::Session& session, const session::ExecInfo& exec);

// A user name for a uid on this machine, or the number; cached.
QString userName(std::uint32_t uid);
QString groupName(std::uint32_t gid); // from the group database, or the number
QString processUser(const session::ProcessNode& node);

// session::processName, as text for a cell.
QString processNameText(const session::Session& session, const session::ProcessNode& node);

// One line describing an event row in words.
QString eventDetails(const session::Session& session, const session::StoredEvent& event);
QString eventKindLabel(session::EventKind kind);

} // namespace procscope::ui
