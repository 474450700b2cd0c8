// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace procscope::session {

constexpr std::uint64_t kNsPerDay = 86'400'000'000'000;

// Events per kind in fixed time buckets, for the rate charts.
class Rates
{
public:
    static constexpr std::uint64_t kBucketNs = 100'000'000; // 100 ms
    // Timestamps further than this from the origin get no bucket, and are counted in
    // outOfRange() instead: without a limit one damaged timestamp sizes the table (2^64 ns
    // would be 184 billion buckets). A month of 100 ms buckets is already 1.2 GB of counts,
    // so no capture the rates can serve is longer.
    static constexpr std::uint64_t kMaxSpanNs = 31 * kNsPerDay;
    // Buckets are allocated a page at a time, and only the pages that hold events: a timestamp
    // that is far but within the span costs one page, not every bucket before it.
    static constexpr std::size_t kPageBuckets = 64; // 6.4 s, 2.8 KiB
    // One count per event kind, and one more: exits with a non-zero status (their own chart
    // series).
    static constexpr std::size_t kNonzeroExits = kEventKindCount;
    using Counts = std::array<std::uint32_t, kEventKindCount + 1>;

    // The capture's start. Without one (its header was damaged) the first event's time is used.
    void setOrigin(std::uint64_t originNs)
    {
        m_originNs = originNs;
        m_hasOrigin = true;
    }
    std::uint64_t originNs() const { return m_originNs; }
    // False (and counted in outOfRange()) when the timestamp is beyond kMaxSpanNs either side.
    bool add(EventKind kind, std::uint64_t timestampNs, bool nonzeroExit = false);

    // Buckets up to the last one holding an event; those without events read as zero.
    std::size_t bucketCount() const { return m_bucketCount; }
    const Counts& bucket(std::size_t index) const;
    // Sum over [fromNs, toNs) in whole buckets (times on the kernel's monotonic clock).
    Counts total(std::uint64_t fromNs, std::uint64_t toNs) const;
    std::uint64_t outOfRange() const { return m_outOfRange; }

    // The last `windowBuckets` buckets (all when 0) summed into at most `maxPoints` points of
    // `group` buckets each, for a chart: point i covers buckets [first + i*group, +group), the
    // last one possibly fewer (its seconds() says how many).
    struct Resampled
    {
        std::size_t first = 0;
        std::size_t group = 1;
        std::size_t end = 0;
        std::vector<Counts> points;
        double seconds(std::size_t point) const
        {
            const std::size_t from = first + point * group;
            return double(std::min(end, from + group) - from) * double(kBucketNs) / 1e9;
        }
    };
    // `bucketCount`: lay out as if this many buckets were held (several hosts' rates side by
    // side, one holding fewer); by default bucketCount().
    Resampled resample(std::size_t windowBuckets, std::size_t maxPoints,
        std::size_t bucketCount = ~std::size_t { 0 }) const;

private:
    using Page = std::array<Counts, kPageBuckets>;
    std::uint64_t m_originNs = 0;
    bool m_hasOrigin = false;
    std::vector<std::unique_ptr<Page>> m_pages; // null: no event in that page
    std::size_t m_bucketCount = 0;
    std::uint64_t m_outOfRange = 0;
};

} // namespace procscope::session
