// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/decoder.h"
#include "session/session.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace procscope::session {

struct LoadResult {
    std::optional<std::string> ioError; // the file could not be opened or read
    std::optional<capture::DecodeError> damage; // where decoding stopped, if not at a clean end
    std::vector<capture::DecodeError> skipped; // corrupt records passed over (the first few: see Session::damage())
    std::uint64_t unknownRecords = 0; // record kinds of a newer format, skipped
    std::uint64_t bytes = 0;
    bool ok() const { return !ioError && !damage; }
};

// Reads a capture file into `session`, in chunks; everything before any damage is kept.
// `progress` (optional) gets (bytes read, file size) after each chunk and may return false to cancel.
LoadResult loadCapture(const std::string& path, Session& session,
    const std::function<bool(std::uint64_t, std::uint64_t)>& progress = {});

} // namespace procscope::session
