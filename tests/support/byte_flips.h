// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// One damaged byte at a time over a capture: is each change detected (reported as damage),
// harmless (what a reader shows is what the intact file gives), or missed? Shared by
// tst_byte_flips (version 2 misses none) and bench_byte_flips (the figures of both versions).

#include "session/capture_loader.h"
#include "session/chrome_trace.h"
#include "session/exporters.h"
#include "session/summary.h"

#include <sstream>
#include <string>
#include <vector>

namespace procscope::testing {

// Everything a reader shows of a capture.
inline std::string rendered(const session::Session& session)
{
    std::ostringstream out;
    out << session::summarize(session);
    session::exportJsonl(session, out);
    session::exportCsv(session, out);
    session::exportChromeTrace(session, out);
    return out.str();
}

struct FlipTally {
    std::size_t flips = 0;
    std::size_t detected = 0;
    std::size_t harmless = 0;
    std::size_t missed = 0; // changed what a reader shows, and nothing said so
    std::vector<std::size_t> missedAt; // the first few
    double detectionRate() const { return flips == harmless ? 1.0 : double(detected) / double(flips - harmless); }
};

// Inverts every bit of one byte at a time, every `stride` bytes. An empty tally when the intact
// capture does not load cleanly (nothing to compare with).
inline FlipTally flipEach(std::vector<std::byte> bytes, std::size_t stride)
{
    session::Session intact;
    const session::LoadResult clean = session::loadCapture(bytes, intact);
    const std::string expected = rendered(intact);
    FlipTally tally;
    if (!clean.ok() || intact.damaged())
        return tally;
    for (std::size_t at = 0; at < bytes.size(); at += stride) {
        const std::byte original = bytes[at];
        bytes[at] = ~original;
        session::Session session;
        const session::LoadResult loaded = session::loadCapture(bytes, session);
        ++tally.flips;
        if (loaded.damage || session.damaged() || loaded.unknownRecords != 0) {
            ++tally.detected;
            // What was read must still render; a sample of them is enough here (the fuzz target
            // renders everything it reads), and rendering is most of the time this takes.
            if (tally.detected % 32 == 0)
                (void)rendered(session);
        } else if (rendered(session) == expected) {
            ++tally.harmless;
        } else {
            ++tally.missed;
            if (tally.missedAt.size() < 10)
                tally.missedAt.push_back(at);
        }
        bytes[at] = original;
    }
    return tally;
}

} // namespace procscope::testing
