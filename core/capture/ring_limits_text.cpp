// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/ring_limits_text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace procscope::capture {

namespace {

// The number at the start of `text` (digits with at most one '.'), and the rest.
bool splitNumber(const std::string& text, double& number, std::string& unit)
{
    std::size_t end = 0;
    bool dot = false;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || (text[end] == '.' && !dot))) {
        dot = dot || text[end] == '.';
        ++end;
    }
    if (end == 0 || text[0] == '.')
        return false;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, number);
    if (ec != std::errc() || ptr != text.data() + end)
        return false;
    std::size_t from = end;
    while (from < text.size() && text[from] == ' ')
        ++from;
    unit.clear();
    for (std::size_t i = from; i < text.size(); ++i)
        unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    return true;
}

std::string trimmedNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, value == std::floor(value) ? "%.0f" : "%.1f", value);
    return text;
}

} // namespace

std::optional<std::uint64_t> parseRingSize(const std::string& text, std::string& error)
{
    double number = 0;
    std::string unit;
    if (!splitNumber(text, number, unit)) {
        error = "'" + text + "' is not a size: write it as 500M or 2G";
        return std::nullopt;
    }
    int shift = -1;
    for (const auto& [names, bits] : { std::pair { "k", 10 }, std::pair { "m", 20 }, std::pair { "g", 30 }, std::pair { "t", 40 } }) {
        const std::string n = names;
        if (unit == n || unit == n + "b" || unit == n + "ib")
            shift = bits;
    }
    if (unit.empty() || unit == "b")
        shift = 0;
    if (shift < 0) {
        error = "'" + text + "': the unit must be K, M, G or T";
        return std::nullopt;
    }
    const double bytes = std::ldexp(number, shift);
    if (!(bytes >= double(kMinRingBytes) && bytes <= double(kMaxRingBytes))) {
        error = "a ring of " + text + " is too " + (bytes < double(kMinRingBytes) ? "small (at least 1M)" : "large");
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(bytes);
}

std::optional<std::uint64_t> parseRingAge(const std::string& text, std::string& error)
{
    double number = 0;
    std::string unit;
    if (!splitNumber(text, number, unit)) {
        error = "'" + text + "' is not a duration: write it as 30m, 12h or 2d";
        return std::nullopt;
    }
    double seconds = 0;
    if (unit == "s" || unit == "sec")
        seconds = 1;
    else if (unit == "m" || unit == "min")
        seconds = 60;
    else if (unit == "h")
        seconds = 3600;
    else if (unit == "d")
        seconds = 86400;
    if (seconds == 0) {
        error = "'" + text + "': the unit must be s, m, h or d";
        return std::nullopt;
    }
    const double ns = number * seconds * 1e9;
    if (!(ns >= double(kMinRingAgeNs) && ns <= double(kMaxRingAgeNs))) {
        error = "keeping " + text + " is too " + (ns < double(kMinRingAgeNs) ? "short (at least 10s)" : "long (at most 366d)");
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(ns);
}

std::string describeRingSize(std::uint64_t bytes)
{
    const char* units[] = { "bytes", "KiB", "MiB", "GiB", "TiB", "PiB" };
    double value = double(bytes);
    std::size_t u = 0;
    while (value >= 1024 && u + 1 < std::size(units)) {
        value /= 1024;
        ++u;
    }
    return trimmedNumber(value) + " " + units[u];
}

std::string describeRingAge(std::uint64_t ns)
{
    const double seconds = double(ns) / 1e9;
    if (seconds >= 86400 && std::fmod(seconds, 86400) == 0)
        return trimmedNumber(seconds / 86400) + " d";
    if (seconds >= 3600)
        return trimmedNumber(seconds / 3600) + " h";
    if (seconds >= 60)
        return trimmedNumber(seconds / 60) + " min";
    return trimmedNumber(seconds) + " s";
}

} // namespace procscope::capture
