// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <cstddef>
#include <span>
#include <vector>

namespace procscope::capture {

// `major`: kMultiHostMajorVersion for a file of several hosts (Host, HostBytes and HostEnd
// records).
void appendPreamble(std::vector<std::byte>& out, std::uint16_t major = kMajorVersion);

// Appends one framed record. Returns false, leaving `out` as it was, when the body would
// exceed kMaxRecordBody (a reader would reject it).
bool appendRecord(const Record& record, std::vector<std::byte>& out);

// The helper's hot path: frames the kernel's proc_event bytes without building a record.
bool appendKernelEvent(std::uint32_t seq, std::uint32_t ack, std::span<const std::byte> procEvent,
    std::vector<std::byte>& out);

// Version 3: the next `bytes` of one host's stream, in as many HostBytes records as they need.
void appendHostBytes(
    std::uint16_t host, std::span<const std::byte> bytes, std::vector<std::byte>& out);

} // namespace procscope::capture
