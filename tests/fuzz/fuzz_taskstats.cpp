// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the taskstats parser: no crash, no read past the input (ASan), and
// what it returns is within what the input can say.

#include "protocol/taskstats.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace procscope::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    // The family the seeds were recorded with, and now and then another or a spoofed sender.
    const std::uint16_t family = (size > 0 && data[size - 1] == 0x5A) ? 16 : 31;
    const std::uint32_t sender = (size > 1 && data[size - 2] == 0xA5) ? 4242 : 0;
    const auto parsed = parseTaskstats(bytes, family, sender);
    if (parsed && parsed.value().kind == TaskstatsMessage::Kind::Figures) {
        if (parsed.value().figures.comm.size() > taskstats::offset::kCommSize || size < taskstats::kMinimumStatsSize)
            std::abort();
    }
    (void)parseFamilyId(bytes);
    return 0;
}
