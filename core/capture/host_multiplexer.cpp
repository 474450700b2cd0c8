// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/host_multiplexer.h"

#include "capture/encoder.h"

#include <cerrno>
#include <unistd.h>

namespace procscope::capture {

HostMultiplexer::HostMultiplexer(int fd)
    : m_fd(fd)
    , m_space(fd)
{
    std::lock_guard lock(m_mutex);
    appendPreamble(m_scratch, kMultiHostMajorVersion);
    flush(m_scratch);
}

HostMultiplexer::~HostMultiplexer()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool HostMultiplexer::flush(std::vector<std::byte>& bytes)
{
    std::size_t done = 0;
    while (m_error == 0 && done < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            m_error = n < 0 ? errno : ENOSPC;
        else
            done += static_cast<std::size_t>(n);
    }
    if (m_error == 0 && !m_low && !m_space.wrote(bytes.size()))
        m_low = true;
    bytes.clear();
    return m_error == 0;
}

bool HostMultiplexer::declare(const HostRecord& host)
{
    std::lock_guard lock(m_mutex);
    appendRecord(host, m_scratch);
    return flush(m_scratch);
}

bool HostMultiplexer::write(std::uint16_t host, std::span<const std::byte> bytes)
{
    std::lock_guard lock(m_mutex);
    appendHostBytes(host, bytes, m_scratch);
    return flush(m_scratch) && !m_low;
}

bool HostMultiplexer::end(const HostEndRecord& end)
{
    std::lock_guard lock(m_mutex);
    appendRecord(end, m_scratch);
    return flush(m_scratch);
}

int HostMultiplexer::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

bool HostMultiplexer::diskNearlyFull() const
{
    std::lock_guard lock(m_mutex);
    return m_low;
}

std::uint64_t HostMultiplexer::freeBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_space.freeBytes();
}

void HostMultiplexer::sync()
{
    std::lock_guard lock(m_mutex);
    ::fsync(m_fd);
}

} // namespace procscope::capture
