// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <array>
#include <cstdint>
#include <map>
#include <vector>

namespace procscope::helper {

// Counts every loss as it is detected, and remembers what has not been written to the stream
// yet, so that a loss record refused by a full output buffer is retried rather than forgotten.
class LossAccounting {
public:
    void add(capture::LossReason reason, std::uint64_t count, std::uint32_t cpu = protocol::kNoCpu);

    // Loss records for everything not yet reported, stamped `nowNs`. Call markReported() for
    // each one that made it into the stream.
    std::vector<capture::LossRecord> unreported(std::uint64_t nowNs) const;
    void markReported(const capture::LossRecord& record);

    const std::array<std::uint64_t, capture::kLossReasonCount>& totals() const { return m_totals; }
    std::uint64_t total(capture::LossReason reason) const { return m_totals[index(reason)]; }

private:
    static std::size_t index(capture::LossReason reason) { return static_cast<std::size_t>(reason) - 1; }

    std::array<std::uint64_t, capture::kLossReasonCount> m_totals {};
    std::array<std::uint64_t, capture::kLossReasonCount> m_pending {}; // reasons without a cpu
    std::map<std::uint32_t, std::uint64_t> m_pendingGaps; // per cpu
};

} // namespace procscope::helper
