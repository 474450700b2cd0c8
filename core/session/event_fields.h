// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One vocabulary for what an event row says: each field's name and value are defined here once
// and used by the display filter, the JSONL and CSV exports and the Chrome trace, so a value
// read in an export selects its row when typed into a filter (`exit_code == 3`). What a
// process cost has its own table (cost_fields.h), under the same rule. FILTERS.md lists both.

#include "session/session.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

namespace procscope::session {

enum class FieldKind {
    Number,
    Flag, // 0 or 1; exported as false/true, and filters take either spelling
    Signal, // a signal number; filters also take names (SIGSEGV, SEGV)
    Duration, // nanoseconds; filters also take units (1.5ms)
    Text,
    EventType, // one of eventKindName()
    Arguments, // argv: a list in exports; in filters ==, ~ and contains hold when one argument does
};

// An exec's arguments as the string pool keeps them: joined with NUL (they cannot contain one).
struct Arguments {
    std::string_view joined;
    std::uint16_t count = 0;
};

// monostate: the row (or process) has no such field.
using FieldValue = std::variant<std::monostate, std::int64_t, std::string_view, Arguments>;

struct EventField {
    const char* name;
    FieldKind kind;
    // The event's own value: what an export writes for the row. Null: a field of processes only.
    FieldValue (*ofEvent)(const Session&, const StoredEvent&);
    // The process's value: a filter's answer on a row without the event's own, and for
    // parent./ancestor.; null for a field only events have (exit_code is an exit's alone).
    FieldValue (*ofProcess)(const Session&, NodeId);
};

// Every field, in the order exports write them (the CSV's columns, before the cost figures).
std::span<const EventField> eventFields();

// By name, or by one of the other names filters accept (`type` for event, `signal` for
// exit_signal, `exit_status` for exit_code, ...: kFieldAliases in event_fields.cpp).
const EventField* findEventField(std::string_view name);

// The field's value for an event row: the event's own, else its process `node`'s. With no row
// (parent./ancestor. in a filter), the process's only.
FieldValue fieldValue(const EventField& field, const Session& session, const StoredEvent* row, NodeId node);

} // namespace procscope::session
