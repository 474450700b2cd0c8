// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <vector>

namespace procscope::ui {

// Rows changed by one update, as ranges: while a storm loads, hundreds of thousands of processes
// end between two updates, and a dataChanged signal each cost more than the rest of the update.
// Rows up to kRowRunGap apart share a range (repainting a few unchanged rows costs less than
// another signal).
struct RowRun {
    int first;
    int last;
};
constexpr int kRowRunGap = 16;

inline std::vector<RowRun> rowRuns(std::vector<int> rows)
{
    std::sort(rows.begin(), rows.end());
    std::vector<RowRun> runs;
    for (const int row : rows) {
        if (!runs.empty() && row - runs.back().last <= kRowRunGap)
            runs.back().last = std::max(runs.back().last, row);
        else
            runs.push_back({ row, row });
    }
    return runs;
}

} // namespace procscope::ui
