// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace procscope::protocol {

// Finds lost events from cn_msg.seq, a u32 counter per CPU. The kernel numbers every event
// (and ack) before filtering, so gaps mean loss only on an unfiltered subscription.
// Loss at the end of a burst shows only when that CPU's next event arrives.
class SequenceTracker {
public:
    struct Gap {
        std::uint32_t cpu;
        std::uint32_t expected; // the seq that should have come next
        std::uint32_t received;
        std::uint64_t lost; // events missing between them (wraps around u32)
    };

    // Records `seq` for `cpu`; returns the gap before it, if any. The first seq seen on a CPU
    // starts its count. kNoCpu and absurd cpu numbers are ignored.
    std::optional<Gap> observe(std::uint32_t cpu, std::uint32_t seq);

    std::uint64_t totalLost() const { return m_totalLost; }
    std::uint64_t gapCount() const { return m_gapCount; }
    // Sequence numbers that went backwards or repeated: never seen from a kernel, counted so a
    // strange stream is visible rather than misreported as loss.
    std::uint64_t outOfOrder() const { return m_outOfOrder; }
    void reset();

    static constexpr std::uint32_t kMaxCpus = 65536;

private:
    struct CpuState {
        std::uint32_t next = 0;
        bool seen = false;
    };
    std::vector<CpuState> m_cpus;
    std::uint64_t m_totalLost = 0;
    std::uint64_t m_gapCount = 0;
    std::uint64_t m_outOfOrder = 0;
};

} // namespace procscope::protocol
