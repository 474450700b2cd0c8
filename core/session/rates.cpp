// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/rates.h"

#include <algorithm>

namespace procscope::session {

namespace {
constexpr Rates::Counts kEmpty {};
}

bool Rates::add(EventKind kind, std::uint64_t timestampNs, bool nonzeroExit)
{
    if (!m_hasOrigin)
        setOrigin(timestampNs);
    // Timestamps from different CPUs can run tens of microseconds backwards; anything before
    // the origin lands in the first bucket.
    const std::uint64_t offset = timestampNs > m_originNs ? timestampNs - m_originNs : 0;
    if (offset > kMaxSpanNs || m_originNs - std::min(m_originNs, timestampNs) > kMaxSpanNs) {
        ++m_outOfRange;
        return false;
    }
    const std::size_t index = static_cast<std::size_t>(offset / kBucketNs);
    const std::size_t page = index / kPageBuckets;
    if (page >= m_pages.size())
        m_pages.resize(page + 1);
    if (!m_pages[page])
        m_pages[page] = std::make_unique<Page>();
    Counts& counts = (*m_pages[page])[index % kPageBuckets];
    ++counts[static_cast<std::size_t>(kind)];
    if (nonzeroExit)
        ++counts[kNonzeroExits];
    m_bucketCount = std::max(m_bucketCount, index + 1);
    return true;
}

const Rates::Counts& Rates::bucket(std::size_t index) const
{
    const std::size_t page = index / kPageBuckets;
    if (page >= m_pages.size() || !m_pages[page])
        return kEmpty;
    return (*m_pages[page])[index % kPageBuckets];
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
    const std::size_t last = std::min(m_bucketCount, bucketOf(toNs - 1) + 1);
    for (std::size_t i = first; i < last; ++i) {
        if (i % kPageBuckets == 0 && !m_pages[i / kPageBuckets]) {
            i += kPageBuckets - 1; // an empty page
            continue;
        }
        const Counts& counts = bucket(i);
        for (std::size_t k = 0; k < sum.size(); ++k)
            sum[k] += counts[k];
    }
    return sum;
}

Rates::Resampled Rates::resample(
    std::size_t windowBuckets, std::size_t maxPoints, std::size_t bucketCount) const
{
    Resampled out;
    const std::size_t buckets = bucketCount == ~std::size_t { 0 } ? m_bucketCount : bucketCount;
    const std::size_t window = windowBuckets == 0 ? buckets : windowBuckets;
    out.first = buckets > window ? buckets - window : 0;
    out.end = buckets;
    const std::size_t shown = buckets - out.first;
    out.group = std::max<std::size_t>(
        1, (shown + std::max<std::size_t>(maxPoints, 1) - 1) / std::max<std::size_t>(maxPoints, 1));
    out.points.reserve((shown + out.group - 1) / out.group);
    for (std::size_t start = out.first; start < buckets; start += out.group) {
        Counts sum {};
        for (std::size_t b = start; b < std::min(buckets, start + out.group); ++b) {
            const Counts& counts = bucket(b);
            for (std::size_t k = 0; k < sum.size(); ++k)
                sum[k] += counts[k];
        }
        out.points.push_back(sum);
    }
    return out;
}

} // namespace procscope::session
