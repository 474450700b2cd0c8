// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/error.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace procscope::helper {

// A bounded queue of encoded records in front of a non-blocking descriptor. The kernel reader
// must never wait for the consumer, so when the queue is full a record is refused (and the
// caller counts it) instead of blocking. A small reserve is kept for loss, status and trailer
// records, so the accounting of what was dropped is itself never dropped.
class OutputBuffer {
public:
    static constexpr std::size_t kReserve = 64 << 10;

    OutputBuffer(int fd, std::size_t capacity);

    // Appends a complete record; false (nothing appended) when it does not fit. `reserved`
    // records may use the reserve.
    bool append(std::span<const std::byte> record, bool reserved = false);

    // Writes as much as the descriptor takes without blocking. Errors: ConnectionClosed
    // (EPIPE, ECONNRESET), OsError.
    protocol::Status flush();
    // Blocks (polling) until everything is written or `timeoutMs` passes; for the final flush.
    protocol::Status drain(int timeoutMs);

    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }
    std::size_t capacity() const { return m_capacity; }
    std::uint64_t bytesWritten() const { return m_written; }

private:
    int m_fd;
    std::size_t m_capacity;
    // Contiguous: records are appended at m_begin + m_size. Not value-initialised: the kernel
    // maps its pages only as output reaches them (zeroing 16 MiB at start-up cost the helper
    // 4,000 page faults, several milliseconds of CPU, for memory a quiet capture never uses).
    std::unique_ptr<std::byte[]> m_ring;
    std::size_t m_ringSize = 0;
    std::size_t m_begin = 0;
    std::size_t m_size = 0;
    std::uint64_t m_written = 0;
};

} // namespace procscope::helper
