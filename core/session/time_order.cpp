// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/time_order.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace procscope::session::time_order {

namespace {

// Where the run of `sorted` that starts at `next` goes into `into`, and where the run ends.
std::pair<std::size_t, std::size_t> nextRun(const Before& before, const std::vector<std::uint32_t>& into,
    std::span<const std::uint32_t> sorted, std::size_t next)
{
    // All new rows before the row already at that place go there too.
    const auto at = std::upper_bound(into.begin(), into.end(), sorted[next], before);
    std::size_t end = next + 1;
    if (at == into.end())
        end = sorted.size();
    else
        while (end < sorted.size() && before(sorted[end], *at))
            ++end;
    return { static_cast<std::size_t>(at - into.begin()), end };
}

} // namespace

void sort(const Before& before, std::vector<std::uint32_t>& rows) { std::sort(rows.begin(), rows.end(), before); }

std::vector<std::uint32_t> sortedRange(const Before& before, std::size_t from, std::size_t to)
{
    std::vector<std::uint32_t> rows(to > from ? to - from : 0);
    std::iota(rows.begin(), rows.end(), static_cast<std::uint32_t>(from));
    sort(before, rows);
    return rows;
}

std::size_t runs(const Before& before, const std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted)
{
    std::size_t count = 0;
    for (std::size_t next = 0; next < sorted.size(); ++count)
        next = nextRun(before, into, sorted, next).second;
    return count;
}

void insert(const Before& before, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    const Announce& announce, const Announce& done)
{
    std::size_t next = 0;
    while (next < sorted.size()) {
        const auto [position, end] = nextRun(before, into, sorted, next);
        if (announce)
            announce(position, end - next);
        into.insert(into.begin() + static_cast<std::ptrdiff_t>(position), sorted.begin() + static_cast<std::ptrdiff_t>(next),
            sorted.begin() + static_cast<std::ptrdiff_t>(end));
        if (done)
            done(position, end - next);
        next = end;
    }
}

void merge(const Before& before, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted)
{
    if (sorted.empty())
        return;
    const auto middle = static_cast<std::ptrdiff_t>(into.size());
    into.insert(into.end(), sorted.begin(), sorted.end());
    // New rows are late: only the tail that they overlap is merged.
    const auto from = std::upper_bound(into.begin(), into.begin() + middle, sorted.front(), before);
    std::inplace_merge(from, into.begin() + middle, into.end(), before);
}

std::size_t find(const Before& before, const std::vector<std::uint32_t>& rows, std::uint32_t row)
{
    const auto at = std::lower_bound(rows.begin(), rows.end(), row, before);
    return at != rows.end() && *at == row ? static_cast<std::size_t>(at - rows.begin()) : npos;
}

} // namespace procscope::session::time_order
