// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/rates.h"

#include <algorithm>

namespace procscope::session {

void Rates::add(EventKind kind, std::uint64_t timestampNs)
{
    // Timestamps from different CPUs can run tens of microseconds backwards; anything before
    // the origin lands in the first bucket.
    const std::uint64_t offset = timestampNs > m_originNs ? timestampNs - m_originNs : 0;
    const std::size_t index = static_cast<std::size_t>(offset / kBucketNs);
    if (index >= m_buckets.size())
        m_buckets.resize(index + 1, Counts {});
    ++m_buckets[index][static_cast<std::size_t>(kind)];
}

Rates::Counts Rates::total(std::uint64_t fromNs, std::uint64_t toNs) const
{
    Counts sum {};
    if (toNs <= fromNs)
        return sum;
    const auto bucketOf = [this](std::uint64_t ns) {
        return static_cast<std::size_t>((ns > m_originNs ? ns - m_originNs : 0) / kBucketNs);
    };
    const std::size_t first = bucketOf(fromNs);
    const std::size_t last = std::min(m_buckets.size(), bucketOf(toNs - 1) + 1);
    for (std::size_t i = first; i < last; ++i) {
        for (std::size_t k = 0; k < kEventKindCount; ++k)
            sum[k] += m_buckets[i][k];
    }
    return sum;
}

} // namespace procscope::session
