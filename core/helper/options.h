// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

namespace procscope::helper {

constexpr std::size_t kDefaultOutputBuffer = 16 << 20;
constexpr std::size_t kMinOutputBuffer = 64 << 10;
constexpr std::size_t kMaxOutputBuffer = std::size_t { 1 } << 30;

struct HelperOptions {
    std::optional<std::string> output; // nullopt: stream to stdout
    std::optional<double> durationSeconds;
    protocol::EventMask events = protocol::kAllEvents;
    bool snapshot = true;
    bool costs = true; // each exiting task's figures from taskstats (privileged captures)
    std::size_t bufferBytes = kDefaultOutputBuffer;
};

struct ShowHelp {};
struct ShowVersion {};
struct UsageError {
    std::string message;
};

using ParsedCommandLine = std::variant<HelperOptions, ShowHelp, ShowVersion, UsageError>;

// Strict: unknown options, repeated options, missing or malformed values and positional
// arguments are all usage errors. Sizes accept a K, M or G suffix (powers of 1024).
ParsedCommandLine parseHelperCommandLine(int argc, const char* const* argv);

const char* helperUsage();

} // namespace procscope::helper
