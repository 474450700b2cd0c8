// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One vocabulary for what a process cost: each figure's name is the same in the display
// filter, the JSONL and CSV exports, the Chrome trace's args, --summary and the details pane.
// Values are nanoseconds, bytes or counts everywhere; people may type units in filters.

#include "session/process_costs.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace procscope::session {

enum class CostUnit { Nanoseconds, Bytes, Count };

struct CostField {
    const char* name; // "cpu_time"
    const char* label; // "CPU time", for people (the window translates it)
    CostUnit unit;
    std::uint64_t (*own)(const ProcessCost&);
};

// Every figure of a process's own cost, in the order the details pane lists them.
std::span<const CostField> costFields();
const CostField* findCostField(std::string_view name);

// The figures kept for a process with all its descendants, named "tree." + the field's name.
enum class SubtreeFigure { CpuTime, MaxRss, ReadBytes, WriteBytes };
struct SubtreeField {
    const char* name; // "tree.cpu_time"
    const char* label;
    CostUnit unit;
    SubtreeFigure figure;
};
std::span<const SubtreeField> subtreeFields();
const SubtreeField* findSubtreeField(std::string_view name); // with or without "tree."
std::uint64_t subtreeValue(const SubtreeCost& cost, SubtreeFigure figure);

// A process's figures, own (when they came) then with descendants (once any figures came), by name.
struct NamedFigure {
    const char* name;
    std::uint64_t value;
    CostUnit unit;
};
std::vector<NamedFigure> costFiguresOf(const ProcessCosts& costs, NodeId node);

// "1.5s", "200ms", "100MiB", "2G", "12k" or a bare number (ns, bytes, count) into the field's
// unit; nullopt when it is not a quantity of that kind or does not fit 63 bits.
std::optional<std::int64_t> parseQuantity(std::string_view text, CostUnit unit);
// `value` as a filter quantity that parseQuantity() reads back as at most `value` (rounded
// down, so `cpu_time >= Q` still holds for it): "1.67s", "203.12MiB", "840us".
std::string filterQuantity(std::uint64_t value, CostUnit unit);
// Short text for people: "1.23 s", "850 ms", "312 MiB", "4.0 KiB", "1,234".
std::string formatQuantity(std::uint64_t value, CostUnit unit);

} // namespace procscope::session
