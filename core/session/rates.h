// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <array>
#include <cstdint>
#include <vector>

namespace procscope::session {

// Events per kind in fixed time buckets, for the rate charts.
class Rates {
public:
    static constexpr std::uint64_t kBucketNs = 100'000'000; // 100 ms
    using Counts = std::array<std::uint32_t, kEventKindCount>;

    void setOrigin(std::uint64_t originNs) { m_originNs = originNs; }
    std::uint64_t originNs() const { return m_originNs; }
    void add(EventKind kind, std::uint64_t timestampNs);

    std::size_t bucketCount() const { return m_buckets.size(); }
    const Counts& bucket(std::size_t index) const { return m_buckets[index]; }
    // Sum over [fromNs, toNs) in whole buckets (times on the kernel's monotonic clock).
    Counts total(std::uint64_t fromNs, std::uint64_t toNs) const;

private:
    std::uint64_t m_originNs = 0;
    std::vector<Counts> m_buckets;
};

} // namespace procscope::session
