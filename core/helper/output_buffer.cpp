// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/output_buffer.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace procscope::helper {

OutputBuffer::OutputBuffer(int fd, std::size_t capacity)
    : m_fd(fd)
    , m_capacity(capacity)
{
    m_ringSize = capacity + kReserve;
    m_ring = std::make_unique_for_overwrite<std::byte[]>(m_ringSize);
}

bool OutputBuffer::append(std::span<const std::byte> record, bool reserved)
{
    const std::size_t limit = reserved ? m_capacity + kReserve : m_capacity;
    if (m_size + record.size() > limit)
        return false;
    // Keep the pending bytes contiguous from m_begin: slide them to the front when the tail
    // has no room. The slide is rare (only when the consumer lags) and bounded by the buffer.
    if (m_begin + m_size + record.size() > m_ringSize) {
        std::memmove(m_ring.get(), m_ring.get() + m_begin, m_size);
        m_begin = 0;
    }
    std::memcpy(m_ring.get() + m_begin + m_size, record.data(), record.size());
    m_size += record.size();
    return true;
}

protocol::Status OutputBuffer::flush()
{
    while (m_size > 0) {
        const ssize_t n = ::write(m_fd, m_ring.get() + m_begin, m_size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                return protocol::Ok {};
            if (errno == EPIPE || errno == ECONNRESET)
                return protocol::Error::connectionClosed("the reader of the capture stream");
            return protocol::Error::os(errno, "writing the capture stream");
        }
        m_begin += static_cast<std::size_t>(n);
        m_size -= static_cast<std::size_t>(n);
        m_written += static_cast<std::uint64_t>(n);
    }
    m_begin = 0;
    return protocol::Ok {};
}

protocol::Status OutputBuffer::drain(int timeoutMs)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (true) {
        if (auto status = flush(); !status)
            return status;
        if (m_size == 0)
            return protocol::Ok {};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
        if (left <= 0)
            return protocol::Error::os(ETIMEDOUT, "writing the end of the capture stream");
        pollfd pfd { m_fd, POLLOUT, 0 };
        ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    }
}

} // namespace procscope::helper
