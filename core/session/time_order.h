// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace procscope::session {

// Lists of the event store's rows in the order the events happened. A capture of several hosts
// stores rows as each host's pieces arrived, one host's batch after another; a table that lists
// them so would put a host's events of the last second after another's of this instant. Rows
// are ordered by their time on the session's clock (hosts aligned through their headers), then
// by row, so the order is strict and a row is found again by binary search. Grouped by host,
// each host's rows come together, in that order within the host.
//
// Kept incrementally: only what the store gained is sorted and merged in, which costs little
// because new rows are late (the hosts' clocks agree to within the network's delay).
namespace time_order {

struct Before {
    const EventStore& events;
    bool hostFirst = false; // grouped by host

    bool operator()(std::uint32_t a, std::uint32_t b) const
    {
        const StoredEvent& x = events[a];
        const StoredEvent& y = events[b];
        if (hostFirst && x.host != y.host)
            return x.host < y.host;
        const std::uint64_t ta = x.timestampNs, tb = y.timestampNs;
        return ta != tb ? ta < tb : a < b;
    }
};

// Called around rows inserted at `position` (`count` of them), as a model that shows the vector
// must announce them.
using Announce = std::function<void(std::size_t position, std::size_t count)>;
constexpr std::size_t npos = ~std::size_t { 0 };

// Sorts `rows` (store rows) in this order.
void sort(const Before& before, std::vector<std::uint32_t>& rows);
// Store rows [from, to), in this order.
std::vector<std::uint32_t> sortedRange(const Before& before, std::size_t from, std::size_t to);
// Inserts `sorted` (in this order) into `into` (in this order), one run of rows that go in at one
// place at a time, calling `announce` and `done` around each. Most land at the end: one run.
void insert(const Before& before, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted,
    const Announce& announce = {}, const Announce& done = {});
// The same as insert() without announcing: one merge, however scattered the new rows are.
void merge(const Before& before, std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted);
// How many runs insert() would make.
std::size_t runs(const Before& before, const std::vector<std::uint32_t>& into, std::span<const std::uint32_t> sorted);
// The position of `row` in `rows` (in this order), or npos.
std::size_t find(const Before& before, const std::vector<std::uint32_t>& rows, std::uint32_t row);

} // namespace time_order

} // namespace procscope::session
