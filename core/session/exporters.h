// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <functional>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

namespace procscope::session {

enum class ExportFormat {
    Jsonl,
    Csv,
    ChromeTrace,
};

// Which event rows to export; all when empty.
using RowFilter = std::function<bool(std::size_t row)>;

// The formats by the names the command line takes ("jsonl", "csv", "chrome"), in that order.
std::optional<ExportFormat> exportFormatNamed(std::string_view name);
std::span<const std::string_view> exportFormatNames();

// Writes the rows `filter` selects in `format`: the one place a format picks its exporter.
void exportEvents(const Session& session, ExportFormat format, std::ostream& out, const RowFilter& filter = {});

// Field names and values are the display filter's (event_fields.h, cost_fields.h), so a value
// read in an export selects its row in a filter; text encodings follow text_encoding.h.
void exportJsonl(const Session& session, std::ostream& out, const RowFilter& filter = {});
void exportCsv(const Session& session, std::ostream& out, const RowFilter& filter = {});

// One event row as a JSON object (no newline), for the JSONL export and the details pane.
std::string eventToJson(const Session& session, std::size_t row);

// What a process is, under the filter's process fields and cost names, as JSON object members
// without the braces (`"pid":1,"comm":"sh",...`): the Chrome trace's args of its lifetime.
std::string processToJsonMembers(const Session& session, NodeId node);

} // namespace procscope::session
