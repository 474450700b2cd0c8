// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// procscope's command line, parsed once (QCommandLineParser) into the one thing it asks for.
// Parsing needs no QCoreApplication, so --help, --version and every usage error need no
// display; the caller creates the application its mode needs.

#include "capture/host_target.h"
#include "capture/ring_writer.h"
#include "session/display_filter.h"
#include "session/exporters.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <string>
#include <variant>

namespace procscope::app {

// The window: FILE opened when given, else the offer to recover an unsaved capture.
struct OpenWindow
{
    QString file;
};

// --capture [--events LIST] [--write FILE [--ring SIZE] [--keep DURATION]] [--unprivileged]
// [--host HOST]... [--remote-helper PATH]: the window, capturing at once.
struct StartCapture
{
    QString events; // empty: all
    QString writePath; // empty: not saved as it arrives
    bool elevate = true;
    std::vector<capture::HostTarget> hosts; // empty: this machine
    QString remoteHelper; // empty: where the package installs it
    capture::RingLimits ring; // --ring, --keep: writePath names a ring of files
};

// --export OUT [--format F] [--filter EXPR] FILE
struct ExportCapture
{
    std::string input;
    std::string output; // "-": standard output
    session::ExportFormat format = session::ExportFormat::Jsonl;
    std::shared_ptr<const session::DisplayFilter> filter; // null: every event
};

// --summary FILE
struct SummarizeCapture
{
    std::string input;
};

// --about: version, kernel, capture helper and privileges.
struct ShowAbout
{ };

// --help or --version: the text to print, status 0.
struct PrintText
{
    std::string text;
};

// A mistake on the command line: one line, status 2.
struct UsageError
{
    std::string message;
};

using CommandLine = std::variant<OpenWindow, StartCapture, ExportCapture, SummarizeCapture,
    ShowAbout, PrintText, UsageError>;

// `arguments` as QCoreApplication::arguments() has them: the program first.
CommandLine parseCommandLine(const QStringList& arguments);

} // namespace procscope::app
