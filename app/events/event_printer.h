// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/events.h"
#include "protocol/sequence_tracker.h"

#include <cstdint>
#include <cstdio>
#include <span>

namespace procscope::events {

// Prints parse results one per line with wall-clock time, and keeps the loss accounting.
class EventPrinter {
public:
    EventPrinter(std::FILE* out, protocol::EventMask shownEvents, bool trackSequence);

    // Returns how many events were printed from this datagram.
    std::uint64_t printDatagram(std::span<const std::byte> bytes, std::uint32_t senderPid);
    void printHex(std::span<const std::byte> bytes);
    void printOverrun();
    void printTruncated(std::size_t needed, std::size_t capacity);

    std::uint64_t printed() const { return m_printed; }
    std::uint64_t overruns() const { return m_overruns; }
    std::uint64_t malformed() const { return m_malformed; }
    std::uint64_t truncated() const { return m_truncated; }
    const protocol::SequenceTracker& sequence() const { return m_sequence; }

private:
    void printLine(std::uint64_t timestampNs, std::uint32_t cpu, const protocol::Message& message);
    void noteSequence(const protocol::EventHeader& header);

    std::FILE* m_out;
    protocol::EventMask m_shown;
    bool m_trackSequence;
    protocol::SequenceTracker m_sequence;
    std::int64_t m_realtimeMinusMonotonicNs;
    std::uint64_t m_printed = 0;
    std::uint64_t m_overruns = 0;
    std::uint64_t m_malformed = 0;
    std::uint64_t m_truncated = 0;
};

} // namespace procscope::events
