// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/time_order.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace procscope::session::time_order {

void sort(const EventStore& events, std::vector<std::uint32_t>& rows)
{
    std::sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); });
}

namespace {

// Where the run of `sorted` that starts at `next` goes into `into`, and where the run ends.
template<typename Less>
std::pair<std::size_t, std::size_t> nextRun(const std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted, std::size_t next, Less less)
{
    // All new rows before the row already at that place go there too.
    const auto at = std::upper_bound(into.begin(), into.end(), sorted[next], less);
    std::size_t end = next + 1;
    if (at == into.end())
        end = sorted.size();
    else
        while (end < sorted.size() && less(sorted[end], *at))
            ++end;
    return { static_cast<std::size_t>(at - into.begin()), end };
}

} // namespace

std::size_t runs(const EventStore& events, const std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    std::size_t* firstPosition)
{
    const auto less = [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); };
    std::size_t count = 0;
    if (firstPosition)
        *firstPosition = npos;
    for (std::size_t next = 0; next < sorted.size(); ++count) {
        const auto [position, end] = nextRun(into, sorted, next, less);
        if (count == 0 && firstPosition)
            *firstPosition = position;
        next = end;
    }
    return count;
}

void insert(const EventStore& events, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    const Announce& before, const Announce& after)
{
    const auto less = [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); };
    std::size_t next = 0;
    while (next < sorted.size()) {
        const auto [position, end] = nextRun(into, sorted, next, less);
        if (before)
            before(position, end - next);
        into.insert(into.begin() + static_cast<std::ptrdiff_t>(position), sorted.begin() + static_cast<std::ptrdiff_t>(next),
            sorted.begin() + static_cast<std::ptrdiff_t>(end));
        if (after)
            after(position, end - next);
        next = end;
    }
}

void merge(const EventStore& events, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted)
{
    const auto middle = static_cast<std::ptrdiff_t>(into.size());
    into.insert(into.end(), sorted.begin(), sorted.end());
    // New rows are late: only the tail that they overlap is merged.
    const auto from = std::upper_bound(into.begin(), into.begin() + middle, sorted.empty() ? 0u : sorted.front(),
        [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); });
    std::inplace_merge(from, into.begin() + middle, into.end(), [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); });
}

std::size_t find(const EventStore& events, const std::vector<std::uint32_t>& rows, std::uint32_t row)
{
    const auto at = std::lower_bound(rows.begin(), rows.end(), row, [&](std::uint32_t a, std::uint32_t b) { return time_order::before(events, a, b); });
    return at != rows.end() && *at == row ? static_cast<std::size_t>(at - rows.begin()) : npos;
}

std::vector<std::uint32_t> sortedRange(const EventStore& events, std::size_t from, std::size_t to)
{
    std::vector<std::uint32_t> rows(to > from ? to - from : 0);
    std::iota(rows.begin(), rows.end(), static_cast<std::uint32_t>(from));
    sort(events, rows);
    return rows;
}

} // namespace procscope::session::time_order
