// SPDX-License-Identifier: GPL-3.0-or-later
#include "command_line.h"

#include "capture/ring_limits_text.h"

#include <QCommandLineParser>
#include <algorithm>

namespace procscope::app {

namespace {

// Descriptions stay within one line of an 80-column terminal (the widest option name,
// --format's, leaves 49 characters), so no list is ever wrapped onto a line of its own.
struct Options
{
    QCommandLineOption help { { u"h"_qs, u"help"_qs }, u"Show this help."_qs };
    QCommandLineOption version { { u"v"_qs, u"version"_qs }, u"Show the version."_qs };
    QCommandLineOption capture { u"capture"_qs, u"Open the window and capture at once."_qs };
    QCommandLineOption events { u"events"_qs, u"With --capture: event types (default: all)."_qs,
        u"LIST"_qs };
    QCommandLineOption write { u"write"_qs, u"With --capture: also save the capture to FILE."_qs,
        u"FILE"_qs };
    QCommandLineOption ring { u"ring"_qs, u"With --write: keep the newest SIZE (500M, 2G)."_qs,
        u"SIZE"_qs };
    QCommandLineOption keep { u"keep"_qs, u"With --write: keep the last DURATION (12h, 2d)."_qs,
        u"DURATION"_qs };
    QCommandLineOption unprivileged { u"unprivileged"_qs,
        u"With --capture: no elevation (Linux 6.6+)."_qs };
    QCommandLineOption host { u"host"_qs, u"With --capture: local, ssh://[user@]host[:port]."_qs,
        u"HOST"_qs };
    QCommandLineOption remoteHelper { u"remote-helper"_qs,
        u"With --capture: the helper on remote hosts."_qs, u"PATH"_qs };
    QCommandLineOption exportTo { u"export"_qs, u"Write FILE's events to OUT (- for stdout)."_qs,
        u"OUT"_qs };
    QCommandLineOption format { u"format"_qs, u"With --export: the format (default: jsonl)."_qs,
        formatNames(u"|"_qs) };
    QCommandLineOption filter { u"filter"_qs, u"With --export: only the events EXPR selects."_qs,
        u"EXPR"_qs };
    QCommandLineOption summary { u"summary"_qs, u"Print FILE's events, processes and losses."_qs };
    QCommandLineOption about { u"about"_qs, u"Print version, kernel, helper and privileges."_qs };

    // "jsonl|csv|chrome", or "jsonl, csv or chrome"
    static QString formatNames(const QString& separator, const QString& last = {})
    {
        QString names;
        const auto all = session::exportFormatNames();
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (i != 0)
                names += i + 1 == all.size() && !last.isEmpty() ? last : separator;
            names += QString::fromLatin1(all[i].data(), qsizetype(all[i].size()));
        }
        return names;
    }
};

// What a value option needs, for "--export needs an output file" (QCommandLineParser would say
// "Missing value after '--export'.").
QString missingValue(const QString& option)
{
    if (option == u"--export"_qs)
        return u"--export needs an output file"_qs;
    if (option == u"--format"_qs)
        return u"--format needs one of "_qs + Options::formatNames(u", "_qs, u" or "_qs);
    if (option == u"--filter"_qs)
        return u"--filter needs an expression"_qs;
    if (option == u"--events"_qs)
        return u"--events needs a list of event types"_qs;
    if (option == u"--write"_qs)
        return u"--write needs a file"_qs;
    if (option == u"--ring"_qs)
        return u"--ring needs a size, as 500M or 2G"_qs;
    if (option == u"--keep"_qs)
        return u"--keep needs a duration, as 12h or 2d"_qs;
    if (option == u"--host"_qs)
        return u"--host needs local or ssh://[user@]host[:port]"_qs;
    if (option == u"--remote-helper"_qs)
        return u"--remote-helper needs the helper's absolute path on the remote hosts"_qs;
    return {};
}

QString helpText(QCommandLineParser& parser)
{
    parser.setApplicationDescription(
        u"Process lifecycle activity, live from the kernel's Proc Connector.\n"
        "Opens the window, with FILE (a capture) when given. --export,\n"
        "--summary, --about, --help and --version need no display.\n"
        "Event types: fork, exec, exit, uid, gid, sid, ptrace, comm, coredump,\n"
        "nonzero-exit."_qs);
    QString text = parser.helpText();
    // Without a QCoreApplication Qt names the program "<executable_name>", with one argv[0]
    // (a path, as typed): the usage line names it as people type it.
    const qsizetype options = text.indexOf(u" [options]"_qs);
    if (text.startsWith(u"Usage: "_qs) && options > 0)
        text.replace(0, options, u"Usage: procscope"_qs);
    return text;
}

UsageError usageError(QString message)
{
    // Qt's own messages ("Unexpected value after '--about=x'.") read like ours.
    if (!message.isEmpty())
        message[0] = message[0].toLower();
    if (message.endsWith(u'.'))
        message.chop(1);
    return { message.toStdString() };
}

// Which of the run's modes were asked for; two make no sense together.
QString conflictingModes(const QCommandLineParser& parser, const Options& o)
{
    const QCommandLineOption* modes[] = { &o.summary, &o.exportTo, &o.capture };
    const QCommandLineOption* first = nullptr;
    for (const QCommandLineOption* mode : modes) {
        if (!parser.isSet(*mode))
            continue;
        if (first)
            return u"--%1 and --%2 are separate runs"_qs.arg(
                first->names().first(), mode->names().first());
        first = mode;
    }
    return {};
}

CommandLine exportRequest(const QCommandLineParser& parser, const Options& o, const QString& input)
{
    ExportCapture request;
    request.input = input.toLocal8Bit().toStdString();
    request.output = parser.value(o.exportTo).toLocal8Bit().toStdString();
    if (request.output.empty())
        return UsageError { "--export needs an output file" };
    if (parser.isSet(o.format)) {
        const QString name = parser.value(o.format);
        const auto format = session::exportFormatNamed(name.toStdString());
        if (!format)
            return usageError(u"--format must be %1, not '%2'"_qs.arg(
                Options::formatNames(u", "_qs, u" or "_qs), name));
        request.format = *format;
    }
    if (parser.isSet(o.filter)) {
        auto compiled = session::DisplayFilter::compile(parser.value(o.filter).toStdString());
        if (const auto* error = std::get_if<session::FilterError>(&compiled))
            return UsageError { "--filter: " + error->describe() };
        request.filter = std::make_shared<const session::DisplayFilter>(
            std::move(std::get<session::DisplayFilter>(compiled)));
    }
    return request;
}

} // namespace

CommandLine parseCommandLine(const QStringList& arguments)
{
    QCommandLineParser parser;
    const Options o;
    parser.addOptions({ o.help, o.version, o.capture, o.events, o.write, o.ring, o.keep, o.unprivileged, o.host,
        o.remoteHelper, o.exportTo, o.format, o.filter, o.summary, o.about });
    parser.addPositionalArgument(u"FILE"_qs, u"A capture file (.pscap)."_qs, u"[FILE]"_qs);

    if (!parser.parse(arguments)) {
        if (const QStringList unknown = parser.unknownOptionNames(); !unknown.isEmpty())
            return usageError(u"unknown option '%1%2'"_qs.arg(
                unknown.first().size() == 1 ? u"-"_qs : u"--"_qs, unknown.first()));
        // The only other way a parse fails: a value option last, its value missing.
        if (const QString needs = arguments.size() > 1 ? missingValue(arguments.last()) : QString();
            !needs.isEmpty())
            return usageError(needs);
        return usageError(parser.errorText());
    }
    if (parser.isSet(o.help))
        return PrintText { helpText(parser).toStdString() };
    if (parser.isSet(o.version))
        return PrintText { "procscope " PROCSCOPE_VERSION "\n" };
    if (parser.isSet(o.about))
        return arguments.size() == 2 ? CommandLine(ShowAbout {})
                                     : UsageError { "--about goes alone" };
    if (const QString conflict = conflictingModes(parser, o); !conflict.isEmpty())
        return usageError(conflict);

    const QStringList files = parser.positionalArguments();
    if (files.size() > 1)
        return UsageError { "more than one capture file given" };
    const bool capturing = parser.isSet(o.capture);
    const bool exporting = parser.isSet(o.exportTo);
    if (!capturing
        && (parser.isSet(o.events) || parser.isSet(o.write) || parser.isSet(o.unprivileged)
            || parser.isSet(o.host) || parser.isSet(o.remoteHelper) || parser.isSet(o.ring)
            || parser.isSet(o.keep)))
        return UsageError { "--events, --write, --ring, --keep, --unprivileged, --host and "
                            "--remote-helper go with --capture" };
    if (!exporting && (parser.isSet(o.format) || parser.isSet(o.filter)))
        return UsageError { "--format and --filter go with --export" };

    if (capturing) {
        if (!files.isEmpty())
            return UsageError { "--capture and a FILE to open are separate runs" };
        StartCapture start { parser.value(o.events), parser.value(o.write),
            !parser.isSet(o.unprivileged), {}, {}, {} };
        for (const QString& text : parser.values(o.host)) {
            std::string error;
            const auto target = capture::parseHostTarget(text.toStdString(), error);
            if (!target)
                return UsageError { "--host " + text.toStdString() + ": " + error };
            if (std::find(start.hosts.begin(), start.hosts.end(), *target) != start.hosts.end())
                return UsageError { "--host " + target->url() + " is given twice" };
            start.hosts.push_back(*target);
        }
        if (start.hosts.size() > capture::kMaxHosts)
            return UsageError { "at most " + std::to_string(capture::kMaxHosts)
                + " hosts can be captured at once" };
        if (parser.isSet(o.remoteHelper)) {
            start.remoteHelper = parser.value(o.remoteHelper);
            if (!capture::isPlainAbsolutePath(start.remoteHelper.toStdString()))
                return UsageError {
                    "--remote-helper must be an absolute path of letters, digits and / . _ + -"
                };
        }
        if (!capture::isPlainEventList(start.events.toStdString()))
            return UsageError { "--events takes event type names separated by commas" };
        if (parser.isSet(o.ring) || parser.isSet(o.keep)) {
            if (start.writePath.isEmpty())
                return UsageError { "--ring and --keep need --write FILE: the ring's files are "
                                    "named after it" };
            const bool elsewhere = std::any_of(start.hosts.begin(), start.hosts.end(),
                [](const capture::HostTarget& h) { return !h.isLocal(); });
            if (start.hosts.size() > 1 || elsewhere)
                return UsageError { "--ring and --keep capture this machine alone (not --host "
                                    "ssh://...)" };
        }
        std::string error;
        if (parser.isSet(o.ring)) {
            const auto bytes = capture::parseRingSize(parser.value(o.ring).toStdString(), error);
            if (!bytes)
                return UsageError { "--ring: " + error };
            start.ring.maxBytes = *bytes;
        }
        if (parser.isSet(o.keep)) {
            const auto ns = capture::parseRingAge(parser.value(o.keep).toStdString(), error);
            if (!ns)
                return UsageError { "--keep: " + error };
            start.ring.keepNs = *ns;
        }
        return start;
    }
    if (exporting || parser.isSet(o.summary)) {
        if (files.isEmpty())
            return UsageError { "no capture file given" };
        if (!exporting)
            return SummarizeCapture { files.first().toLocal8Bit().toStdString() };
        return exportRequest(parser, o, files.first());
    }
    return OpenWindow { files.value(0) };
}

} // namespace procscope::app
