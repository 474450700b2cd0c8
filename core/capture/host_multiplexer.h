// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/free_space_guard.h"
#include "capture/records.h"

#include <cstddef>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace procscope::capture {

// Writes a capture of several hosts (format version 3) to one file: each host's own stream,
// byte for byte as it arrives, in HostBytes records, so the file holds exactly what a one-host
// capture of each would. Each host's reader thread writes through the same multiplexer.
class HostMultiplexer
{
public:
    // Takes `fd` (an empty file, written from its start); the preamble is written at once.
    explicit HostMultiplexer(int fd);
    ~HostMultiplexer();
    HostMultiplexer(const HostMultiplexer&) = delete;
    HostMultiplexer& operator=(const HostMultiplexer&) = delete;

    // Each returns false once writing has failed (error() says why; nothing more is written)
    // or, for write(), when the disk is nearly full (diskNearlyFull(), see FreeSpaceGuard).
    bool declare(const HostRecord& host);
    bool write(std::uint16_t host, std::span<const std::byte> bytes);
    bool end(const HostEndRecord& end);

    int error() const; // errno of the failed write; 0 while none failed
    bool diskNearlyFull() const;
    std::uint64_t freeBytes() const;
    void sync();

private:
    bool flush(std::vector<std::byte>& bytes); // with the lock held

    mutable std::mutex m_mutex;
    int m_fd;
    FreeSpaceGuard m_space;
    std::vector<std::byte> m_scratch;
    int m_error = 0;
    bool m_low = false;
};

} // namespace procscope::capture
