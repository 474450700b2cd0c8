// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/cost_fields.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace procscope::session {

namespace {

using U = CostUnit;
using C = ProcessCost;

constexpr CostField kCostFields[] = {
    { "cpu_time", "CPU time", U::Nanoseconds, [](const C& c) { return c.cpuNs(); } },
    { "user_time", "User time", U::Nanoseconds, [](const C& c) { return c.userNs; } },
    { "system_time", "System time", U::Nanoseconds, [](const C& c) { return c.systemNs; } },
    { "elapsed_time", "Elapsed time", U::Nanoseconds, [](const C& c) { return c.elapsedNs; } },
    { "max_rss", "Peak memory (RSS)", U::Bytes, [](const C& c) { return c.maxRssBytes; } },
    { "max_vm", "Peak virtual memory", U::Bytes, [](const C& c) { return c.maxVmBytes; } },
    { "read_bytes", "Read from storage", U::Bytes, [](const C& c) { return c.readBytes; } },
    { "write_bytes", "Written to storage", U::Bytes, [](const C& c) { return c.writeBytes; } },
    { "read_chars", "Read (all I/O)", U::Bytes, [](const C& c) { return c.readChars; } },
    { "write_chars", "Written (all I/O)", U::Bytes, [](const C& c) { return c.writeChars; } },
    { "minor_faults", "Minor page faults", U::Count, [](const C& c) { return std::uint64_t { c.minorFaults }; } },
    { "major_faults", "Major page faults", U::Count, [](const C& c) { return std::uint64_t { c.majorFaults }; } },
    { "voluntary_switches", "Voluntary context switches", U::Count, [](const C& c) { return std::uint64_t { c.voluntarySwitches }; } },
    { "involuntary_switches", "Involuntary context switches", U::Count, [](const C& c) { return std::uint64_t { c.involuntarySwitches }; } },
    { "cpu_delay", "Waiting for a CPU", U::Nanoseconds, [](const C& c) { return c.cpuDelayNs; } },
    { "blkio_delay", "Waiting for block I/O", U::Nanoseconds, [](const C& c) { return c.blkioDelayNs; } },
    { "swapin_delay", "Waiting for swap-in", U::Nanoseconds, [](const C& c) { return c.swapinDelayNs; } },
    { "reclaim_delay", "Waiting for memory reclaim", U::Nanoseconds, [](const C& c) { return c.reclaimDelayNs; } },
};

constexpr SubtreeField kSubtreeFields[] = {
    { "tree.cpu_time", "CPU time with descendants", U::Nanoseconds, SubtreeFigure::CpuTime },
    { "tree.max_rss", "Peak memory with descendants (sum)", U::Bytes, SubtreeFigure::MaxRss },
    { "tree.read_bytes", "Read from storage with descendants", U::Bytes, SubtreeFigure::ReadBytes },
    { "tree.write_bytes", "Written to storage with descendants", U::Bytes, SubtreeFigure::WriteBytes },
};

struct Suffix {
    std::string_view text;
    double factor;
};
constexpr Suffix kTimeSuffixes[] = { { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 }, { "min", 60e9 }, { "h", 3600e9 } };
constexpr Suffix kByteSuffixes[] = { { "B", 1 }, { "K", 1024.0 }, { "KiB", 1024.0 }, { "M", 1048576.0 }, { "MiB", 1048576.0 },
    { "G", 1073741824.0 }, { "GiB", 1073741824.0 }, { "T", 1099511627776.0 }, { "TiB", 1099511627776.0 }, { "kB", 1e3 },
    { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 } };
constexpr Suffix kCountSuffixes[] = { { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 } };

std::span<const Suffix> suffixesFor(CostUnit unit)
{
    switch (unit) {
    case U::Nanoseconds: return kTimeSuffixes;
    case U::Bytes: return kByteSuffixes;
    case U::Count: break;
    }
    return kCountSuffixes;
}

std::string withPrecision(double value, const char* unit)
{
    char text[64];
    std::snprintf(text, sizeof text, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, unit);
    return text;
}

std::string grouped(std::uint64_t value)
{
    const std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

std::span<const CostField> costFields() { return kCostFields; }

const CostField* findCostField(std::string_view name)
{
    for (const CostField& field : kCostFields) {
        if (name == field.name)
            return &field;
    }
    return nullptr;
}

std::span<const SubtreeField> subtreeFields() { return kSubtreeFields; }

const SubtreeField* findSubtreeField(std::string_view name)
{
    for (const SubtreeField& field : kSubtreeFields) {
        const std::string_view full = field.name;
        if (name == full || name == full.substr(5))
            return &field;
    }
    return nullptr;
}

std::uint64_t subtreeValue(const SubtreeCost& cost, SubtreeFigure figure)
{
    switch (figure) {
    case SubtreeFigure::CpuTime: return cost.cpuNs;
    case SubtreeFigure::MaxRss: return cost.maxRssBytes;
    case SubtreeFigure::ReadBytes: return cost.readBytes;
    case SubtreeFigure::WriteBytes: return cost.writeBytes;
    }
    return 0;
}

std::vector<NamedFigure> costFiguresOf(const ProcessCosts& costs, NodeId node)
{
    std::vector<NamedFigure> figures;
    if (!costs.any())
        return figures;
    // The totals with descendants exist for every process once any figures came (the filter's
    // tree.* fields too); its own figures only when they came.
    if (const ProcessCost* own = costs.own(node)) {
        for (const CostField& field : kCostFields)
            figures.push_back({ field.name, field.own(*own), field.unit });
    }
    const SubtreeCost subtree = costs.subtree(node);
    for (const SubtreeField& field : kSubtreeFields)
        figures.push_back({ field.name, subtreeValue(subtree, field.figure), field.unit });
    return figures;
}

std::optional<std::int64_t> parseQuantity(std::string_view text, CostUnit unit)
{
    std::size_t end = 0;
    while (end < text.size() && ((text[end] >= '0' && text[end] <= '9') || text[end] == '.'))
        ++end;
    const std::string_view number = text.substr(0, end);
    const std::string_view suffix = text.substr(end);
    if (number.empty() || number.front() == '.' || number.back() == '.')
        return std::nullopt;
    double factor = 1;
    if (!suffix.empty()) {
        bool found = false;
        for (const Suffix& candidate : suffixesFor(unit)) {
            if (candidate.text == suffix)
                factor = candidate.factor, found = true;
        }
        if (!found)
            return std::nullopt;
    }
    if (number.find('.') == std::string_view::npos) {
        std::int64_t whole = 0;
        const auto [at, ec] = std::from_chars(number.data(), number.data() + number.size(), whole);
        if (ec != std::errc {} || at != number.data() + number.size())
            return std::nullopt;
        if (factor == 1)
            return whole;
        const double scaled = static_cast<double>(whole) * factor;
        if (scaled >= 9.2e18)
            return std::nullopt;
        return static_cast<std::int64_t>(scaled);
    }
    if (std::count(number.begin(), number.end(), '.') > 1)
        return std::nullopt;
    const double value = std::strtod(std::string(number).c_str(), nullptr) * factor;
    if (!(value >= 0) || value >= 9.2e18)
        return std::nullopt;
    return static_cast<std::int64_t>(std::llround(value));
}

std::string filterQuantity(std::uint64_t value, CostUnit unit)
{
    const auto floored = [value](double scale, const char* suffix) {
        const auto hundredths = static_cast<std::uint64_t>(std::floor(static_cast<double>(value) * 100.0 / scale));
        char text[64];
        std::snprintf(text, sizeof text, "%llu.%02llu%s", static_cast<unsigned long long>(hundredths / 100),
            static_cast<unsigned long long>(hundredths % 100), suffix);
        return std::string(text);
    };
    switch (unit) {
    case U::Nanoseconds:
        if (value >= 1'000'000'000)
            return floored(1e9, "s");
        if (value >= 1'000'000)
            return floored(1e6, "ms");
        if (value >= 1'000)
            return floored(1e3, "us");
        return std::to_string(value) + "ns";
    case U::Bytes:
        if (value >= (1u << 30))
            return floored(1073741824.0, "GiB");
        if (value >= (1u << 20))
            return floored(1048576.0, "MiB");
        if (value >= 1024)
            return floored(1024.0, "KiB");
        return std::to_string(value) + "B";
    case U::Count: break;
    }
    return std::to_string(value);
}

std::string formatQuantity(std::uint64_t value, CostUnit unit)
{
    const auto v = static_cast<double>(value);
    if (value == 0)
        return unit == U::Bytes ? "0 B" : unit == U::Nanoseconds ? "0 s" : "0";
    switch (unit) {
    case U::Nanoseconds:
        if (value < 1'000'000)
            return withPrecision(v / 1e3, "\u00b5s");
        if (value < 1'000'000'000)
            return withPrecision(v / 1e6, "ms");
        if (value < 600'000'000'000)
            return withPrecision(v / 1e9, "s");
        return withPrecision(v / 60e9, "min");
    case U::Bytes:
        if (value < 1024)
            return std::to_string(value) + " B";
        if (value < (1 << 20))
            return withPrecision(v / 1024.0, "KiB");
        if (value < (1 << 30))
            return withPrecision(v / 1048576.0, "MiB");
        return withPrecision(v / 1073741824.0, "GiB");
    case U::Count: break;
    }
    return grouped(value);
}

} // namespace procscope::session
