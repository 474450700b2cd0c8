// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/options.h"

#include "protocol/event_names.h"

#include <charconv>
#include <cmath>
#include <set>
#include <string_view>

namespace procscope::helper {

namespace {

std::optional<double> parseSeconds(std::string_view text)
{
    // std::from_chars for double is available in GCC 11+; it rejects leading '+' and spaces.
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size() || !std::isfinite(value) || value <= 0
        || value > 365.0 * 24 * 3600)
        return std::nullopt;
    return value;
}

std::optional<std::size_t> parseSize(std::string_view text)
{
    std::size_t multiplier = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 'K': multiplier = std::size_t { 1 } << 10; break;
        case 'M': multiplier = std::size_t { 1 } << 20; break;
        case 'G': multiplier = std::size_t { 1 } << 30; break;
        default: break;
        }
        if (multiplier != 1)
            text.remove_suffix(1);
    }
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size() || value > kMaxOutputBuffer / multiplier)
        return std::nullopt;
    return value * multiplier;
}

} // namespace

const char* helperUsage()
{
    return "Usage: procscope-helper [--output FILE] [--duration SECONDS] [--events LIST] [--no-snapshot]\n"
           "                        [--no-costs] [--buffer BYTES] [--help] [--version]\n"
           "Records process events from the kernel's proc connector as a Procscope capture stream.\n"
           "\n"
           "  --output FILE       write the capture to FILE (created as the invoking user);\n"
           "                      without it the stream goes to standard output, which must not\n"
           "                      be a terminal\n"
           "  --duration SECONDS  stop after this long (decimals allowed)\n"
           "  --events LIST       comma-separated: fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,\n"
           "                      nonzero-exit (default: all)\n"
           "  --no-snapshot       do not describe the processes already running at start\n"
           "  --no-costs          do not record what each process cost (CPU, memory, I/O)\n"
           "  --buffer BYTES      output buffer size (K, M, G suffixes; default 16M)\n"
           "  --help, --version\n"
           "\n"
           "Stops on SIGINT or SIGTERM, after --duration, or when the reader closes the stream.\n"
           "Exit status: 0 clean stop, 1 runtime failure, 2 usage error.\n";
}

ParsedCommandLine parseHelperCommandLine(int argc, const char* const* argv)
{
    HelperOptions options;
    std::set<std::string_view> seen;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help")
            return ShowHelp {};
        if (arg == "--version")
            return ShowVersion {};
        if (!arg.starts_with("--"))
            return UsageError { "unexpected argument '" + std::string(arg) + "'" };
        if (!seen.insert(arg).second)
            return UsageError { std::string(arg) + " given more than once" };
        if (arg == "--no-snapshot") {
            options.snapshot = false;
            continue;
        }
        if (arg == "--no-costs") {
            options.costs = false;
            continue;
        }
        const bool takesValue = arg == "--output" || arg == "--duration" || arg == "--events" || arg == "--buffer";
        if (!takesValue)
            return UsageError { "unknown option '" + std::string(arg) + "'" };
        if (i + 1 >= argc)
            return UsageError { std::string(arg) + " needs a value" };
        const std::string_view value = argv[++i];
        if (arg == "--output") {
            if (value.empty())
                return UsageError { "--output needs a file name" };
            options.output = std::string(value);
        } else if (arg == "--duration") {
            options.durationSeconds = parseSeconds(value);
            if (!options.durationSeconds)
                return UsageError { "--duration needs a positive number of seconds, not '" + std::string(value) + "'" };
        } else if (arg == "--events") {
            std::string_view bad;
            const auto mask = protocol::parseEventList(value, &bad);
            if (!mask)
                return UsageError { "unknown event type '" + std::string(bad)
                    + "' in --events (known: fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,nonzero-exit)" };
            options.events = *mask;
        } else {
            const auto size = parseSize(value);
            if (!size || *size < kMinOutputBuffer)
                return UsageError { "--buffer needs a size from 64K to 1G, not '" + std::string(value) + "'" };
            options.bufferBytes = *size;
        }
    }
    return options;
}

} // namespace procscope::helper
