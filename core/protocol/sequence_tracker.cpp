// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/sequence_tracker.h"

namespace procscope::protocol {

std::optional<SequenceTracker::Gap> SequenceTracker::observe(std::uint32_t cpu, std::uint32_t seq)
{
    if (cpu >= kMaxCpus)
        return std::nullopt;
    if (cpu >= m_cpus.size())
        m_cpus.resize(cpu + 1);
    CpuState& state = m_cpus[cpu];
    const std::uint32_t expected = state.next;
    const bool seen = state.seen;
    state.next = seq + 1; // u32 arithmetic: wraps as the kernel's counter does
    state.seen = true;
    if (!seen || seq == expected)
        return std::nullopt;
    const std::uint32_t distance = seq - expected; // modulo 2^32
    if (distance > 0x80000000u) { // "negative": a repeat or reordering, not loss
        ++m_outOfOrder;
        return std::nullopt;
    }
    ++m_gapCount;
    m_totalLost += distance;
    return Gap { cpu, expected, seq, distance };
}

void SequenceTracker::reset()
{
    m_cpus.clear();
    m_totalLost = 0;
    m_gapCount = 0;
    m_outOfOrder = 0;
}

} // namespace procscope::protocol
