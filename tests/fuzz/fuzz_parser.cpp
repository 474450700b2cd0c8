// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the datagram parser. Beyond "no crash" (ASan/UBSan), it checks the
// parser's promises: bounded result count, offsets and raw spans inside the input.

#include "protocol/event_text.h"
#include "protocol/parser.h"
#include "protocol/sequence_tracker.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace procscope::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    // The first byte picks a sender now and then, so the spoofed path is fuzzed too.
    const std::uint32_t sender = (size > 0 && data[0] == 0xA5) ? 4242 : 0;
    DatagramParser parser(bytes, sender);
    SequenceTracker sequence;
    std::size_t results = 0;
    while (auto message = parser.next()) {
        if (++results > size / 16 + 1)
            std::abort(); // the parser promised to end
        if (const auto* malformed = std::get_if<Malformed>(&*message); malformed && malformed->offset > size)
            std::abort();
        if (const auto* event = std::get_if<ProcEvent>(&*message)) {
            (void)sequence.observe(event->header.cpu, event->header.seq);
            if (const auto* unknown = std::get_if<UnknownEvent>(&event->payload)) {
                if (!unknown->data.empty()
                    && (unknown->data.data() < bytes.data() || unknown->data.data() + unknown->data.size() > bytes.data() + size))
                    std::abort();
            }
        }
        (void)describeMessage(*message);
    }
    return 0;
}
