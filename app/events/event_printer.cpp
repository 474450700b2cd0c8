// SPDX-License-Identifier: GPL-3.0-or-later
#include "event_printer.h"

#include "protocol/clock.h"
#include "protocol/event_filter.h"
#include "protocol/event_text.h"
#include "protocol/parser.h"

#include <ctime>

namespace procscope::events {

using namespace protocol;

EventPrinter::EventPrinter(std::FILE* out, EventMask shownEvents, bool trackSequence)
    : m_out(out)
    , m_shown(shownEvents)
    , m_trackSequence(trackSequence)
    // Kernel timestamps are CLOCK_MONOTONIC; one pair taken now turns them into wall-clock time.
    , m_realtimeMinusMonotonicNs(clockNs(CLOCK_REALTIME) - clockNs(CLOCK_MONOTONIC))
{
}

std::uint64_t EventPrinter::printDatagram(std::span<const std::byte> bytes, std::uint32_t senderPid)
{
    std::uint64_t shown = 0;
    DatagramParser parser(bytes, senderPid);
    while (auto message = parser.next()) {
        if (const auto* event = std::get_if<ProcEvent>(&*message)) {
            noteSequence(event->header);
            if (!maskAccepts(m_shown, *event)) // on kernels without a filter, do the kernel's job
                continue;
            printLine(event->header.timestampNs, event->header.cpu, *message);
            ++shown;
        } else if (const auto* ack = std::get_if<SubscribeAck>(&*message)) {
            noteSequence(ack->header);
            printLine(ack->header.timestampNs, ack->header.cpu, *message);
        } else {
            if (std::holds_alternative<Malformed>(*message))
                ++m_malformed;
            std::fprintf(m_out, "! %s\n", describeMessage(*message).c_str());
        }
    }
    m_printed += shown;
    return shown;
}

void EventPrinter::noteSequence(const EventHeader& header)
{
    if (!m_trackSequence)
        return;
    if (const auto gap = m_sequence.observe(header.cpu, header.seq)) {
        std::fprintf(m_out, "! lost %llu events on cpu %u (seq %u expected, %u received)\n",
            static_cast<unsigned long long>(gap->lost), gap->cpu, gap->expected, gap->received);
    }
}

void EventPrinter::printLine(std::uint64_t timestampNs, std::uint32_t cpu, const Message& message)
{
    const std::int64_t wallNs = static_cast<std::int64_t>(timestampNs) + m_realtimeMinusMonotonicNs;
    const time_t seconds = static_cast<time_t>(wallNs / 1'000'000'000);
    tm local {};
    localtime_r(&seconds, &local);
    char clock[16];
    std::strftime(clock, sizeof clock, "%H:%M:%S", &local);
    const auto micros = static_cast<long>((wallNs % 1'000'000'000) / 1000);
    const std::string text = describeMessage(message);
    if (cpu == kNoCpu)
        std::fprintf(m_out, "%s.%06ld cpu=-  %s\n", clock, micros, text.c_str());
    else
        std::fprintf(m_out, "%s.%06ld cpu=%-2u %s\n", clock, micros, cpu, text.c_str());
}

void EventPrinter::printHex(std::span<const std::byte> bytes)
{
    std::fputs("  raw", m_out);
    for (const std::byte b : bytes)
        std::fprintf(m_out, " %02x", static_cast<unsigned>(b));
    std::fputc('\n', m_out);
}

void EventPrinter::printOverrun()
{
    ++m_overruns;
    std::fputs("! overrun: the receive queue was full and the kernel dropped events\n", m_out);
}

void EventPrinter::printTruncated(std::size_t needed, std::size_t capacity)
{
    ++m_truncated;
    std::fprintf(m_out, "! truncated datagram dropped: %zu bytes, buffer %zu\n", needed, capacity);
}

} // namespace procscope::events
