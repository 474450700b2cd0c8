// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace procscope::capture {

// A ring's size as people write it: "500M", "2G", "1.5GiB", "800MB" (binary units: K, M, G,
// T, with or without "B" or "iB"). nullopt, with why in `error`, for anything else or a size
// outside kMinRingBytes..kMaxRingBytes.
std::optional<std::uint64_t> parseRingSize(const std::string& text, std::string& error);
// A ring's age as people write it: "90s", "30m", "12h", "2d" (a unit is needed). nullopt,
// with why in `error`, for anything else or an age outside kMinRingAgeNs..kMaxRingAgeNs.
std::optional<std::uint64_t> parseRingAge(const std::string& text, std::string& error);

constexpr std::uint64_t kMinRingBytes = std::uint64_t(1) << 20;
constexpr std::uint64_t kMaxRingBytes = std::uint64_t(1) << 50;
constexpr std::uint64_t kMinRingAgeNs = std::uint64_t(10) * 1'000'000'000;
constexpr std::uint64_t kMaxRingAgeNs = std::uint64_t(366) * 86'400 * 1'000'000'000;

// "2 GiB", "512 MiB"; "12 h", "30 min", "2 d" (whole units where they fit).
std::string describeRingSize(std::uint64_t bytes);
std::string describeRingAge(std::uint64_t ns);

} // namespace procscope::capture
