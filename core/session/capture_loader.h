// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/decoder.h"
#include "capture/host_demux.h"
#include "session/session.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace procscope::session {

struct LoadResult {
    std::optional<std::string> ioError; // the file could not be opened or read
    std::optional<capture::DecodeError> damage; // where decoding stopped, if not at a clean end
    std::vector<capture::DecodeError> skipped; // corrupt records passed over (the first few: see Session::damage())
    std::uint64_t unknownRecords = 0; // record kinds of a newer format, skipped
    std::uint64_t bytes = 0;
    bool ok() const { return !ioError && !damage; }
};

// Decodes bytes as they come, keeping the tally of damage the decoder skipped: into a session,
// or handing each record (and each damaged record) to whoever applies them elsewhere.
class CaptureIngest {
public:
    using RecordSink = std::function<void(capture::Record&)>;
    using DamageSink = std::function<void(const capture::DecodeError&)>;

    explicit CaptureIngest(Session& session);
    CaptureIngest(RecordSink onRecord, DamageSink onDamaged);
    CaptureIngest(const CaptureIngest&) = delete; // its host reader calls back into it
    CaptureIngest& operator=(const CaptureIngest&) = delete;
    // False once decoding has failed for good (the rest of the input cannot be read).
    bool feed(std::span<const std::byte> bytes);
    // The bytes that follow are the next file of a ring capture (`name`), a capture stream of
    // its own that continues this one. Its header must be this capture's.
    void startNextFile(const std::string& name);
    LoadResult finish(); // at end of input

private:
    void damaged(const capture::DecodeError& error);

    RecordSink m_onRecord;
    DamageSink m_onDamaged;
    capture::StreamDecoder m_decoder;
    capture::HostDemux m_hosts; // a file of several hosts: their own streams are inside
    capture::Record m_record;
    LoadResult m_result;
    std::uint64_t m_corruptSeen = 0;
    std::optional<capture::HeaderRecord> m_firstHeader;
    std::string m_nextFileName; // while reading a ring's later file
};

// A whole capture in memory.
LoadResult loadCapture(std::span<const std::byte> bytes, Session& session);

using LoadProgress = std::function<bool(std::uint64_t, std::uint64_t)>;

// Reads a capture file into `session`, in chunks; everything before any damage is kept. A file
// of a ring capture (ring_files.h) is read with the others of its ring, oldest first, as one.
// `progress` (optional) gets (bytes read, file size) after each chunk and may return false to cancel.
LoadResult loadCapture(const std::string& path, Session& session, const LoadProgress& progress = {});
// The same, through `ingest`.
LoadResult readCapture(const std::string& path, CaptureIngest& ingest, const LoadProgress& progress = {});

} // namespace procscope::session
