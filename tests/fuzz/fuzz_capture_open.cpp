// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the whole open path, as `procscope --summary` / `--export` and the window
// take it: bytes -> decoder -> Session (events, lineage, rates) -> summary, the three exporters
// and a display filter over every row. Run with -rss_limit_mb and -malloc_limit_mb (see
// CMakeLists.txt): an allocation sized by a value from the input is a finding, like a crash.
// The first byte sets the size of the pieces the bytes are fed in, and whether the version 2
// checksums are made right first: mutations almost never keep them right, so without that most
// inputs would stop at the decoder and never reach the session.

#include "capture/record_header.h"
#include "session/capture_loader.h"
#include "session/chrome_trace.h"
#include "session/display_filter.h"
#include "session/exporters.h"
#include "session/summary.h"

#include <cstdlib>
#include <cstring>
#include <ostream>
#include <streambuf>
#include <vector>

using namespace procscope::session;

namespace {

// Counts what the exporters write without keeping it.
class CountingBuffer : public std::streambuf {
public:
    std::size_t written = 0;

protected:
    std::streamsize xsputn(const char*, std::streamsize count) override
    {
        written += static_cast<std::size_t>(count);
        return count;
    }
    int_type overflow(int_type c) override
    {
        ++written;
        return traits_type::not_eof(c);
    }
};

const DisplayFilter& filter()
{
    static const DisplayFilter compiled = [] {
        auto result = DisplayFilter::compile("(type == exit and exit_code != 0) or argv contains \"-c\" or comm ~ \"^c\""
                                             " or ancestor.pid == 1 or parent.comm == \"sh\" or descendant_of(2)");
        if (!std::holds_alternative<DisplayFilter>(result))
            std::abort(); // the expression is ours: it must compile
        return std::move(std::get<DisplayFilter>(result));
    }();
    return compiled;
}

void fixChecksums(std::vector<std::byte>& bytes)
{
    if (bytes.size() < procscope::capture::kPreambleSize || bytes[8] != std::byte { 2 } || bytes[9] != std::byte { 0 })
        return;
    for (std::size_t at = procscope::capture::kPreambleSize; at + procscope::capture::kRecordHeaderSize <= bytes.size();) {
        std::uint32_t length = 0;
        std::memcpy(&length, bytes.data() + at + 4, sizeof length);
        const std::size_t bodyAt = at + procscope::capture::kRecordHeaderSize;
        if (length > procscope::capture::kMaxRecordBody || length > bytes.size() - bodyAt)
            return;
        std::uint16_t kind = 0;
        std::memcpy(&kind, bytes.data() + at + 2, sizeof kind);
        procscope::capture::writeRecordHeader(bytes.data() + at, kind, std::span<const std::byte>(bytes).subspan(bodyAt, length));
        at = bodyAt + length;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t chunk = 1 + std::size_t(data[0] & 0x7F) * 64;
    std::vector<std::byte> input(reinterpret_cast<const std::byte*>(data + 1), reinterpret_cast<const std::byte*>(data + size));
    if (data[0] & 0x80)
        fixChecksums(input);
    const std::span<const std::byte> bytes(input);

    Session session;
    CaptureIngest ingest(session);
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        if (!ingest.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at))))
            break;
    }
    const LoadResult loaded = ingest.finish();
    if (loaded.damage)
        (void)loaded.damage->message();

    CountingBuffer sink;
    std::ostream out(&sink);
    out << summarize(session);
    const RowFilter rows = [&](std::size_t row) { return filter().matches(session, row); };
    exportJsonl(session, out);
    exportCsv(session, out, rows);
    exportChromeTrace(session, out, rows);
    // The rates hold every event that is not reported as too far from the start.
    std::uint64_t bucketed = 0;
    const auto totals = session.rates().total(0, ~std::uint64_t { 0 });
    for (std::size_t kind = 0; kind < kEventKindCount; ++kind) // the last column (failed exits) counts exits again
        bucketed += totals[kind];
    if (bucketed + session.timestampsOutOfRange() != session.events().size())
        std::abort();
    return 0;
}
