// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/exporters.h"

#include "protocol/wait_status.h"
#include "session/chrome_trace.h"
#include "session/cost_fields.h"
#include "session/text_encoding.h"

#include <cstdint>

namespace procscope::session {

namespace {

// The fields of one row, in a neutral form both exporters share.
struct Field {
    const char* name;
    enum class Type { Number, Signed, Text, Bool, List } type;
    std::int64_t number = 0;
    std::string_view text;
    std::vector<std::string_view> list;
};

const ExecInfo* execOf(const Session& session, const StoredEvent& row)
{
    return row.kind == EventKind::Exec && row.node != kNoNode ? &session.lineage().exec(row.a) : nullptr;
}

std::vector<Field> fieldsOf(const Session& session, std::size_t index)
{
    const StoredEvent& row = session.events()[index];
    using T = Field::Type;
    std::vector<Field> f;
    f.push_back({ "event", T::Text, 0, eventKindName(row.kind), {} });
    f.push_back({ "ts_ns", T::Number, std::int64_t(row.timestampNs), {}, {} });
    if (row.cpu != kNoCpuRow)
        f.push_back({ "cpu", T::Number, row.cpu, {}, {} });
    const auto number = [&f](const char* name, std::uint32_t value) { f.push_back({ name, T::Number, value, {}, {} }); };
    const auto pidTgid = [&] {
        number("pid", row.pid);
        number("tgid", row.tgid);
    };
    switch (row.kind) {
    case EventKind::Fork:
        number("parent_pid", row.a);
        number("parent_tgid", row.b);
        number("child_pid", row.pid);
        number("child_tgid", row.tgid);
        break;
    case EventKind::Exec:
        pidTgid();
        if (const ExecInfo* exec = execOf(session, row); exec && exec->exitedBeforeRead) {
            // No argv to show: say why, and how long the process ran after this exec.
            f.push_back({ "exited_before_read", T::Bool, 1, {}, {} });
            if (const auto ran = exitedAfterNs(session.lineage().node(row.node), row.a, *exec))
                f.push_back({ "exited_after_ns", T::Number, std::int64_t(*ran), {}, {} });
        } else if (exec && exec->described) {
            f.push_back({ "argv", T::List, 0, {}, argvOf(session.strings(), *exec) });
            if (exec->exe)
                f.push_back({ "exe", T::Text, 0, session.strings().view(exec->exe), {} });
        }
        break;
    case EventKind::Exit: {
        pidTgid();
        number("exit_code", row.a);
        f.push_back({ "exit_signal", T::Signed, std::int32_t(row.b), {}, {} });
        number("parent_pid", row.c);
        number("parent_tgid", row.d);
        const auto status = protocol::decodeWaitStatus(row.a);
        if (status.kind == protocol::WaitStatus::Kind::Exited)
            number("exit_status", std::uint32_t(status.code));
        else
            number("signal", std::uint32_t(status.signal));
        f.push_back({ "core_dumped", T::Bool, status.coreDumped ? 1 : 0, {}, {} });
        // A process's end carries what it cost (the filter's cost fields, same names and values).
        if (row.pid == row.tgid && row.node != kNoNode) {
            for (const NamedFigure& figure : costFiguresOf(session.costs(), row.node))
                f.push_back({ figure.name, T::Number, std::int64_t(figure.value), {}, {} });
        }
        break;
    }
    case EventKind::Uid:
        pidTgid();
        number("ruid", row.a);
        number("euid", row.b);
        break;
    case EventKind::Gid:
        pidTgid();
        number("rgid", row.a);
        number("egid", row.b);
        break;
    case EventKind::Ptrace:
        pidTgid();
        number("tracer_pid", row.a);
        number("tracer_tgid", row.b);
        break;
    case EventKind::Comm:
        pidTgid();
        f.push_back({ "comm", T::Text, 0, session.strings().view(row.a), {} });
        break;
    case EventKind::Coredump:
        pidTgid();
        number("parent_pid", row.c);
        number("parent_tgid", row.d);
        break;
    case EventKind::Sid:
        pidTgid();
        break;
    case EventKind::Unknown:
        number("what", row.a);
        break;
    case EventKind::Loss:
        f.push_back({ "reason", T::Text, 0, capture::lossReasonName(static_cast<capture::LossReason>(row.a)), {} });
        f.push_back({ "count", T::Number, std::int64_t((std::uint64_t(row.c) << 32) | row.b), {}, {} });
        break;
    }
    return f;
}

void appendJsonValue(std::string& out, const Field& field)
{
    switch (field.type) {
    case Field::Type::Number:
    case Field::Type::Signed:
        out += std::to_string(field.number);
        break;
    case Field::Type::Bool:
        out += field.number ? "true" : "false";
        break;
    case Field::Type::Text:
        appendJsonString(out, field.text);
        break;
    case Field::Type::List:
        out += '[';
        for (std::size_t i = 0; i < field.list.size(); ++i) {
            if (i)
                out += ',';
            appendJsonString(out, field.list[i]);
        }
        out += ']';
        break;
    }
}

constexpr const char* kEventColumns[] = { "event", "ts_ns", "cpu", "pid", "tgid", "parent_pid", "parent_tgid", "child_pid",
    "child_tgid", "exit_code", "exit_signal", "exit_status", "signal", "core_dumped", "ruid", "euid", "rgid", "egid",
    "tracer_pid", "tracer_tgid", "comm", "exe", "argv", "what", "reason", "count" };

// The event columns, then every cost figure (filled on a process's exit).
const std::vector<const char*>& csvColumns()
{
    static const std::vector<const char*> columns = [] {
        std::vector<const char*> all(std::begin(kEventColumns), std::end(kEventColumns));
        for (const CostField& field : costFields())
            all.push_back(field.name);
        for (const SubtreeField& field : subtreeFields())
            all.push_back(field.name);
        return all;
    }();
    return columns;
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

std::string eventToJson(const Session& session, std::size_t row)
{
    std::string out = "{";
    bool first = true;
    for (const Field& field : fieldsOf(session, row)) {
        if (!first)
            out += ',';
        first = false;
        appendJsonString(out, field.name);
        out += ':';
        appendJsonValue(out, field);
    }
    out += '}';
    return out;
}

void exportJsonl(const Session& session, std::ostream& out, const RowFilter& filter)
{
    std::string line;
    for (std::size_t row = 0; row < session.events().size(); ++row) {
        if (filter && !filter(row))
            continue;
        line = eventToJson(session, row);
        line += '\n';
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
}

void exportCsv(const Session& session, std::ostream& out, const RowFilter& filter)
{
    std::string line;
    const auto& columns = csvColumns();
    for (const char* column : columns) {
        line += line.empty() ? "" : ",";
        line += column;
    }
    line += "\r\n"; // RFC 4180 line ends
    out << line;
    for (std::size_t row = 0; row < session.events().size(); ++row) {
        if (filter && !filter(row))
            continue;
        const auto fields = fieldsOf(session, row);
        line.clear();
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c)
                line += ',';
            for (const Field& field : fields) {
                if (std::string_view(field.name) != columns[c])
                    continue;
                if (field.type == Field::Type::Text) {
                    appendCsvField(line, field.text);
                } else {
                    std::string value;
                    appendJsonValue(value, field); // numbers, booleans, and argv as a JSON array
                    appendCsvField(line, value);
                }
            }
        }
        line += "\r\n";
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
}

} // namespace procscope::session
