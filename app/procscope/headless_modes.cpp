// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless_modes.h"

#include "session/capture_loader.h"
#include "session/summary.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace procscope::app {

using namespace session;

namespace {

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

int exportCapture(const ExportCapture& request, std::ostream& out, std::ostream& err)
{
    Session session;
    const LoadResult loaded = loadCapture(request.input, session);
    if (loaded.ioError)
        return reportDamage(err, request.input, loaded, session);

    // Everything before any damage is exported; the damage is still reported.
    const bool toStandardOutput = request.output == "-";
    std::ofstream file;
    if (!toStandardOutput) {
        file.open(request.output, std::ios::binary | std::ios::trunc);
        if (!file) {
            err << "procscope: cannot create " << request.output << ": " << std::strerror(errno) << "\n";
            return 1;
        }
    }
    std::ostream& sink = toStandardOutput ? out : file;
    RowFilter rows;
    if (request.filter)
        rows = [&](std::size_t row) { return request.filter->matches(session, row); };
    exportEvents(session, request.format, sink, rows);
    if (toStandardOutput)
        out.flush();
    else
        file.close();
    if (!sink) {
        err << "procscope: writing " << (toStandardOutput ? "standard output" : request.output) << " failed: " << std::strerror(errno) << "\n";
        return 1;
    }
    return reportDamage(err, request.input, loaded, session);
}

int summarizeCapture(const SummarizeCapture& request, std::ostream& out, std::ostream& err)
{
    Session session;
    const LoadResult loaded = loadCapture(request.input, session);
    if (!loaded.ioError)
        out << summarize(session);
    return reportDamage(err, request.input, loaded, session);
}

} // namespace procscope::app
