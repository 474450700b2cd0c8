// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/exporters.h"

#include "session/time_order.h"

#include "session/chrome_trace.h"
#include "session/cost_fields.h"
#include "session/event_fields.h"
#include "session/text_encoding.h"

#include <cstdint>

namespace procscope::session {

namespace {

// One field of a row as exports write it: its name in the vocabulary (event_fields.h,
// cost_fields.h) and its value.
struct ExportedField {
    const char* name;
    FieldKind kind;
    FieldValue value;
};

// A capture of one host exports as it always has: its host is named only among several.
bool exported(const Session& session, const EventField& field)
{
    return session.severalHosts() || std::string_view(field.name) != "host";
}

void appendCostFigures(std::vector<ExportedField>& fields, const Session& session, NodeId node)
{
    for (const NamedFigure& figure : costFiguresOf(session.costs(), node))
        fields.push_back({ figure.name, FieldKind::Number, std::int64_t(figure.value) });
}

std::vector<ExportedField> fieldsOf(const Session& session, std::size_t index)
{
    const StoredEvent& row = session.events()[index];
    std::vector<ExportedField> fields;
    for (const EventField& field : eventFields()) {
        if (!field.ofEvent || !exported(session, field))
            continue;
        FieldValue value = field.ofEvent(session, row);
        if (!std::holds_alternative<std::monostate>(value))
            fields.push_back({ field.name, field.kind, value });
    }
    // A process's end carries what it cost (the filter's cost fields, same names and values).
    if (row.kind == EventKind::Exit && row.pid == row.tgid && row.node != kNoNode)
        appendCostFigures(fields, session, row.node);
    return fields;
}

void appendJsonValue(std::string& out, const ExportedField& field)
{
    if (const auto* number = std::get_if<std::int64_t>(&field.value)) {
        out += field.kind == FieldKind::Flag ? (*number ? "true" : "false") : std::to_string(*number);
    } else if (const auto* text = std::get_if<std::string_view>(&field.value)) {
        appendJsonString(out, *text);
    } else if (const auto* arguments = std::get_if<Arguments>(&field.value)) {
        out += '[';
        bool first = true;
        anyArgument(arguments->joined, arguments->count, [&](std::string_view argument) {
            out += first ? "" : ",";
            first = false;
            appendJsonString(out, argument);
            return false;
        });
        out += ']';
    }
}

// `"name":value,...`: the inside of a JSON object.
std::string jsonMembers(const std::vector<ExportedField>& fields)
{
    std::string out;
    for (const ExportedField& field : fields) {
        out += out.empty() ? "" : ",";
        appendJsonString(out, field.name);
        out += ':';
        appendJsonValue(out, field);
    }
    return out;
}

// Every event field an event can carry, then every cost figure (filled on a process's exit).
std::vector<const char*> csvColumns(const Session& session)
{
    std::vector<const char*> all;
    for (const EventField& field : eventFields()) {
        if (field.ofEvent && exported(session, field))
            all.push_back(field.name);
    }
    for (const CostField& field : costFields())
        all.push_back(field.name);
    for (const SubtreeField& field : subtreeFields())
        all.push_back(field.name);
    return all;
}

constexpr std::string_view kFormatNames[] = { "jsonl", "csv", "chrome" };
constexpr ExportFormat kFormats[] = { ExportFormat::Jsonl, ExportFormat::Csv, ExportFormat::ChromeTrace };
static_assert(std::size(kFormatNames) == std::size(kFormats));

} // namespace

std::optional<ExportFormat> exportFormatNamed(std::string_view name)
{
    for (std::size_t i = 0; i < std::size(kFormatNames); ++i) {
        if (kFormatNames[i] == name)
            return kFormats[i];
    }
    return std::nullopt;
}

std::span<const std::string_view> exportFormatNames() { return kFormatNames; }

void exportEvents(const Session& session, ExportFormat format, std::ostream& out, const RowFilter& filter)
{
    switch (format) {
    case ExportFormat::Jsonl: exportJsonl(session, out, filter); return;
    case ExportFormat::Csv: exportCsv(session, out, filter); return;
    case ExportFormat::ChromeTrace: exportChromeTrace(session, out, filter); return;
    }
}

std::string eventToJson(const Session& session, std::size_t row) { return '{' + jsonMembers(fieldsOf(session, row)) + '}'; }

std::string processToJsonMembers(const Session& session, NodeId node)
{
    std::vector<ExportedField> fields;
    for (const EventField& field : eventFields()) {
        if (!field.ofProcess || !exported(session, field))
            continue;
        if (FieldValue value = field.ofProcess(session, node); !std::holds_alternative<std::monostate>(value))
            fields.push_back({ field.name, field.kind, value });
    }
    appendCostFigures(fields, session, node);
    return jsonMembers(fields);
}

namespace {

// Calls `visit` for each row the filter keeps, in the order events happened: a capture of several
// hosts stores each host's batches as they arrived (session::time_order), one host's stores them
// in that order already.
template <typename Visit>
void forEachRow(const Session& session, const RowFilter& filter, Visit visit)
{
    const std::size_t count = session.events().size();
    std::vector<std::uint32_t> order;
    if (session.severalHosts())
        order = time_order::sortedRange(time_order::Before { session.events() }, 0, count);
    for (std::size_t at = 0; at < count; ++at) {
        const std::size_t row = order.empty() ? at : order[at];
        if (!filter || filter(row))
            visit(row);
    }
}

} // namespace

void exportJsonl(const Session& session, std::ostream& out, const RowFilter& filter)
{
    std::string line;
    forEachRow(session, filter, [&](std::size_t row) {
        line = eventToJson(session, row);
        line += '\n';
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    });
}

void exportCsv(const Session& session, std::ostream& out, const RowFilter& filter)
{
    std::string line;
    const auto columns = csvColumns(session);
    for (const char* column : columns) {
        line += line.empty() ? "" : ",";
        line += column;
    }
    line += "\r\n"; // RFC 4180 line ends
    out << line;
    forEachRow(session, filter, [&](std::size_t row) {
        const auto fields = fieldsOf(session, row);
        line.clear();
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c)
                line += ',';
            for (const ExportedField& field : fields) {
                if (std::string_view(field.name) != columns[c])
                    continue;
                if (const auto* text = std::get_if<std::string_view>(&field.value)) {
                    appendCsvField(line, *text);
                } else {
                    std::string value;
                    appendJsonValue(value, field); // numbers, booleans, and argv as a JSON array
                    appendCsvField(line, value);
                }
            }
        }
        line += "\r\n";
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    });
}

} // namespace procscope::session
