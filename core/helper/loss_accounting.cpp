// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/loss_accounting.h"

namespace procscope::helper {

using capture::LossReason;
using capture::LossRecord;

void LossAccounting::add(LossReason reason, std::uint64_t count, std::uint32_t cpu)
{
    if (count == 0)
        return;
    m_totals[index(reason)] += count;
    if (reason == LossReason::SequenceGap)
        m_pendingGaps[cpu] += count;
    else
        m_pending[index(reason)] += count;
}

std::vector<LossRecord> LossAccounting::unreported(std::uint64_t nowNs) const
{
    std::vector<LossRecord> records;
    for (std::size_t i = 0; i < m_pending.size(); ++i) {
        if (m_pending[i] != 0)
            records.push_back(LossRecord { static_cast<LossReason>(i + 1), protocol::kNoCpu, m_pending[i], nowNs });
    }
    for (const auto& [cpu, count] : m_pendingGaps)
        records.push_back(LossRecord { LossReason::SequenceGap, cpu, count, nowNs });
    return records;
}

void LossAccounting::markReported(const LossRecord& record)
{
    if (record.reason == LossReason::SequenceGap) {
        auto it = m_pendingGaps.find(record.cpu);
        if (it != m_pendingGaps.end() && (it->second -= record.count) == 0)
            m_pendingGaps.erase(it);
    } else {
        m_pending[index(record.reason)] -= record.count;
    }
}

} // namespace procscope::helper
