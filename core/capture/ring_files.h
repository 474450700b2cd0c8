// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace procscope::capture {

// The files of a ring capture are named as dumpcap names its ring buffers: the name the user
// chose, with the file's number and its start time before the extension,
// "build.pscap" -> "build_00001_20261203155012.pscap". Any one of them names the whole ring.

// The path of file `number` of the ring written to `base`, started at `realtimeSeconds`
// (UTC: the names sort the same on every machine).
std::string ringFilePath(const std::string& base, std::uint32_t number, std::int64_t realtimeSeconds);

struct RingFileName
{
    std::string directory;
    std::string stem; // "build"
    std::string extension; // ".pscap", or empty
    std::uint32_t number = 0;
};
// How `path` breaks into a ring file's parts; number 0 when it is not named as one.
RingFileName parseRingFileName(const std::string& path);

// The files of the ring `path` belongs to, oldest (lowest number) first; empty when `path` is
// not named as a ring file. Files of the ring `base` would be written as, for `base` itself.
std::vector<std::string> ringFiles(const std::string& path);
std::vector<std::string> ringFilesOf(const std::string& base);

} // namespace procscope::capture
