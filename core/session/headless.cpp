// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/headless.h"

#include "session/capture_loader.h"
#include "session/chrome_trace.h"
#include "session/display_filter.h"
#include "session/exporters.h"
#include "session/summary.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

namespace procscope::session {

namespace {

struct HeadlessOptions {
    std::optional<std::string> exportPath;
    bool summary = false;
    ExportFormat format = ExportFormat::Jsonl;
    std::optional<std::string> filter;
    std::optional<std::string> input;
};

int usage(std::ostream& err, const std::string& message)
{
    err << "procscope: " << message << "\nUsage: procscope --export OUT [--format jsonl|csv|chrome] [--filter EXPR] FILE\n"
        << "       procscope --summary FILE\n";
    return 2;
}

// One line for everything wrong with the input: where decoding stopped (with the byte offset),
// how many damaged records were skipped and where the first was, and timestamps too far off to
// be real. What could be read is still summarized or exported; the status says it was damaged.
int reportDamage(std::ostream& err, const std::string& path, const LoadResult& loaded, const Session& session)
{
    if (loaded.ioError) {
        err << "procscope: " << *loaded.ioError << "\n";
        return 1;
    }
    std::string parts;
    const auto add = [&parts](const std::string& part) { parts += (parts.empty() ? "" : "; ") + part; };
    if (loaded.damage)
        add(loaded.damage->message());
    if (const DamageTally& damage = session.damage(); damage.records != 0)
        add(std::to_string(damage.records) + (damage.records == 1 ? " damaged record" : " damaged records")
            + " skipped, the first: " + damage.first.front().message());
    if (const std::uint64_t far = session.timestampsOutOfRange(); far != 0)
        add(std::to_string(far) + (far == 1 ? " event has a timestamp" : " events have timestamps")
            + " more than " + std::to_string(Rates::kMaxSpanNs / kNsPerDay)
            + " days from the capture's start (damaged), left out of the rates");
    if (parts.empty())
        return 0;
    err << "procscope: " << path << ": " << parts << "\n";
    return 1;
}

} // namespace

std::optional<int> runHeadless(int argc, const char* const* argv, std::ostream& out, std::ostream& err)
{
    bool headless = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        headless = headless || arg == "--export" || arg == "--summary";
    }
    if (!headless)
        return std::nullopt;

    HeadlessOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= argc)
                return std::nullopt;
            return std::string(argv[++i]);
        };
        if (arg == "--summary") {
            options.summary = true;
        } else if (arg == "--export") {
            options.exportPath = value();
            if (!options.exportPath || options.exportPath->empty())
                return usage(err, "--export needs an output file");
        } else if (arg == "--format") {
            const auto format = value();
            if (format == "jsonl")
                options.format = ExportFormat::Jsonl;
            else if (format == "csv")
                options.format = ExportFormat::Csv;
            else if (format == "chrome")
                options.format = ExportFormat::ChromeTrace;
            else
                return usage(err, "--format must be jsonl, csv or chrome" + (format ? ", not '" + *format + "'" : std::string()));
        } else if (arg == "--filter") {
            options.filter = value();
            if (!options.filter)
                return usage(err, "--filter needs an expression");
        } else if (arg.starts_with("-") && arg.size() > 1) {
            return usage(err, "unknown option '" + std::string(arg) + "'");
        } else if (options.input) {
            return usage(err, "more than one capture file given");
        } else {
            options.input = std::string(arg);
        }
    }
    if (options.summary && options.exportPath)
        return usage(err, "--summary and --export are separate runs");
    if (!options.input)
        return usage(err, "no capture file given");
    std::optional<DisplayFilter> filter;
    if (options.filter) {
        auto compiled = DisplayFilter::compile(*options.filter);
        if (const auto* error = std::get_if<FilterError>(&compiled))
            return usage(err, "--filter: " + error->describe());
        filter = std::move(std::get<DisplayFilter>(compiled));
    }
    if (filter && options.summary)
        return usage(err, "--filter applies to --export");

    Session session;
    const LoadResult loaded = loadCapture(*options.input, session);
    if (loaded.ioError)
        return reportDamage(err, *options.input, loaded, session);

    if (options.summary) {
        out << summarize(session);
        return reportDamage(err, *options.input, loaded, session);
    }
    // Everything before any damage is exported; the damage is still reported.
    std::ofstream file(*options.exportPath, std::ios::binary | std::ios::trunc);
    if (!file) {
        err << "procscope: cannot create " << *options.exportPath << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    RowFilter rows;
    if (filter)
        rows = [&](std::size_t row) { return filter->matches(session, row); };
    switch (options.format) {
    case ExportFormat::Jsonl: exportJsonl(session, file, rows); break;
    case ExportFormat::Csv: exportCsv(session, file, rows); break;
    case ExportFormat::ChromeTrace: exportChromeTrace(session, file, rows); break;
    }
    file.close();
    if (!file) {
        err << "procscope: writing " << *options.exportPath << " failed: " << std::strerror(errno) << "\n";
        return 1;
    }
    return reportDamage(err, *options.input, loaded, session);
}

} // namespace procscope::session
