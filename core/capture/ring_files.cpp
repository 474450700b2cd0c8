// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/ring_files.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace procscope::capture {

namespace {

constexpr std::size_t kNumberDigits = 5;
constexpr std::size_t kTimeDigits = 14; // YYYYMMDDhhmmss

struct Split
{
    std::string directory;
    std::string name; // without the extension
    std::string extension;
};

Split split(const std::string& path)
{
    const std::filesystem::path p(path);
    Split s;
    s.directory = p.parent_path().string();
    s.name = p.stem().string();
    s.extension = p.extension().string();
    return s;
}

bool allDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::string ringFilePath(const std::string& base, std::uint32_t number, std::int64_t realtimeSeconds)
{
    const Split s = split(base);
    std::string digits = std::to_string(number);
    if (digits.size() < kNumberDigits)
        digits.insert(0, kNumberDigits - digits.size(), '0');
    const std::time_t seconds = static_cast<std::time_t>(realtimeSeconds);
    std::tm utc {};
    ::gmtime_r(&seconds, &utc);
    char stamp[kTimeDigits + 1] = {};
    if (std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &utc) != kTimeDigits)
        std::fill(stamp, stamp + kTimeDigits, '0');
    std::filesystem::path out(s.directory);
    out /= s.name + "_" + digits + "_" + stamp + s.extension;
    return out.string();
}

RingFileName parseRingFileName(const std::string& path)
{
    const Split s = split(path);
    RingFileName parsed;
    // <stem>_<number>_<time>: split at the last two underscores.
    const std::size_t timeAt = s.name.rfind('_');
    if (timeAt == std::string::npos || timeAt == 0)
        return parsed;
    const std::size_t numberAt = s.name.rfind('_', timeAt - 1);
    if (numberAt == std::string::npos || numberAt == 0)
        return parsed;
    const std::string_view time = std::string_view(s.name).substr(timeAt + 1);
    const std::string_view number = std::string_view(s.name).substr(numberAt + 1, timeAt - numberAt - 1);
    if (time.size() != kTimeDigits || !allDigits(time) || number.size() < kNumberDigits || !allDigits(number))
        return parsed;
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc() || end != number.data() + number.size() || value == 0)
        return parsed;
    parsed.directory = s.directory;
    parsed.stem = s.name.substr(0, numberAt);
    parsed.extension = s.extension;
    parsed.number = value;
    return parsed;
}

namespace {

std::vector<std::string> filesOfRing(const std::string& directory, const std::string& stem, const std::string& extension)
{
    std::vector<std::pair<std::uint32_t, std::string>> found;
    std::error_code error;
    const std::filesystem::path dir = directory.empty() ? std::filesystem::path(".") : std::filesystem::path(directory);
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
        const std::string candidate = (std::filesystem::path(directory) / it->path().filename()).string();
        const RingFileName parsed = parseRingFileName(candidate);
        if (parsed.number != 0 && parsed.stem == stem && parsed.extension == extension && it->is_regular_file(error))
            found.emplace_back(parsed.number, candidate);
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> paths;
    paths.reserve(found.size());
    for (auto& [number, path] : found)
        paths.push_back(std::move(path));
    return paths;
}

} // namespace

std::vector<std::string> ringFiles(const std::string& path)
{
    const RingFileName parsed = parseRingFileName(path);
    if (parsed.number == 0)
        return {};
    return filesOfRing(parsed.directory, parsed.stem, parsed.extension);
}

std::vector<std::string> ringFilesOf(const std::string& base)
{
    const Split s = split(base);
    return filesOfRing(s.directory, s.name, s.extension);
}

} // namespace procscope::capture
