// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/free_space_guard.h"

#include <algorithm>
#include <sys/statvfs.h>

namespace procscope::capture {

std::uint64_t FreeSpaceGuard::reserveFor(std::uint64_t fileSystemBytes)
{
    constexpr std::uint64_t kMiB = 1024 * 1024;
    return std::clamp<std::uint64_t>(fileSystemBytes / 50, kMiB, 256 * kMiB);
}

bool FreeSpaceGuard::wrote(std::size_t bytes)
{
    if (m_low)
        return false;
    if (m_sinceCheck && *m_sinceCheck + bytes < kCheckEvery) {
        *m_sinceCheck += bytes;
        return true;
    }
    m_sinceCheck = 0;
    struct statvfs info
    { };
    if (::fstatvfs(m_fd, &info) != 0 || info.f_blocks == 0)
        return true; // no disk behind it (a pipe, a socket): writing will tell
    // What an unprivileged writer may use (root's reserved blocks are not counted on).
    m_free = std::uint64_t(info.f_bavail) * info.f_frsize;
    m_reserve = reserveFor(std::uint64_t(info.f_blocks) * info.f_frsize);
    m_low = m_free < m_reserve;
    return !m_low;
}

} // namespace procscope::capture
