// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace procscope::session {

// Lists of the event store's rows in the order the events happened. A capture of several hosts stores rows as
// each host's pieces arrived, one host's batch after another; a table that lists them so would
// put a host's events of the last second after another's of this instant. Rows are ordered by
// their time on the session's clock (hosts aligned through their headers), then by row, so the
// order is strict and a row is found again by binary search.
//
// Kept incrementally: only what the store gained is sorted and merged in, which costs little
// because new rows are late (the hosts' clocks agree to within the network's delay).
namespace time_order {

// Called around rows inserted at `position` (`count` of them), as a model that shows the vector
// must announce them.
using Announce = std::function<void(std::size_t position, std::size_t count)>;
constexpr std::size_t npos = ~std::size_t { 0 };

inline bool before(const EventStore& events, std::uint32_t a, std::uint32_t b)
{
    const std::uint64_t ta = events[a].timestampNs, tb = events[b].timestampNs;
    return ta != tb ? ta < tb : a < b;
}

// Sorts `rows` (store rows) in this order.
void sort(const EventStore& events, std::vector<std::uint32_t>& rows);
// Store rows [from, to), in this order.
std::vector<std::uint32_t> sortedRange(const EventStore& events, std::size_t from, std::size_t to);
// Inserts `sorted` (in this order) into `into` (in this order), one run of rows that go in at one
// place at a time, calling `before` and `after` around each. Most land at the end: one run.
void insert(const EventStore& events, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    const Announce& before = {}, const Announce& after = {});
// The same as insert() without announcing: one merge, however scattered the new rows are.
void merge(const EventStore& events, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted);
// How many runs insert() would make, and where the first goes (npos for none).
std::size_t runs(const EventStore& events, const std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    std::size_t* firstPosition = nullptr);
// The position of `row` in `rows` (in this order), or npos.
std::size_t find(const EventStore& events, const std::vector<std::uint32_t>& rows, std::uint32_t row);

} // namespace time_order

} // namespace procscope::session
