// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace procscope::capture {

// Keeps a capture from filling the disk it is written to: as bytes are written, it looks at the
// space left on the file's file system and says when it falls below a reserve, so the capture
// can stop while there is still room for its closing record, and the file stays whole.
class FreeSpaceGuard
{
public:
    // The reserve: 2% of the file system, at least 1 MiB, at most 256 MiB.
    static std::uint64_t reserveFor(std::uint64_t fileSystemBytes);

    explicit FreeSpaceGuard(int fd)
        : m_fd(fd)
    { }
    // After `bytes` more were written: false once the space left is below the reserve. Looks
    // at the file system every kCheckEvery bytes (and at the first call).
    bool wrote(std::size_t bytes);
    std::uint64_t freeBytes() const { return m_free; }
    std::uint64_t reserveBytes() const { return m_reserve; }

    static constexpr std::uint64_t kCheckEvery = 64 * 1024;

private:
    int m_fd;
    std::optional<std::uint64_t> m_sinceCheck;
    std::uint64_t m_free = 0;
    std::uint64_t m_reserve = 0;
    bool m_low = false;
};

} // namespace procscope::capture
