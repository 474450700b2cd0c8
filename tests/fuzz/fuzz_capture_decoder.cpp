// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the capture stream decoder. The first byte sets the chunk size, so the
// resumable paths are fuzzed as well as whole-buffer decoding; both must agree.

#include "capture/decoder.h"

#include <cstdlib>

using namespace procscope::capture;

namespace {

struct Summary {
    std::uint64_t records = 0;
    std::uint64_t skipped = 0;
    std::optional<DecodeError> end;
};

Summary decode(std::span<const std::byte> bytes, std::size_t chunk)
{
    StreamDecoder decoder;
    Summary summary;
    Record record;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        decoder.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at)));
        for (auto step = decoder.next(record); step != StreamDecoder::Step::NeedMore; step = decoder.next(record)) {
            if (step == StreamDecoder::Step::Failed)
                break;
            if (step == StreamDecoder::Step::GotRecord) {
                ++summary.records;
                if (const auto* event = std::get_if<KernelEventRecord>(&record))
                    (void)event->parse();
            } else {
                ++summary.skipped;
            }
        }
        if (decoder.lastError() && decoder.lastError()->kind != DecodeErrorKind::CorruptRecord)
            break;
    }
    summary.end = decoder.finish();
    if (summary.end)
        (void)summary.end->message();
    return summary;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::size_t chunk = 1 + data[0] % 32;
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data + 1), size - 1);
    const Summary whole = decode(bytes, std::max<std::size_t>(bytes.size(), 1));
    const Summary pieces = decode(bytes, chunk);
    if (whole.records != pieces.records || whole.skipped != pieces.skipped || whole.end != pieces.end)
        std::abort(); // the decoder promised that chunking makes no difference
    return 0;
}
