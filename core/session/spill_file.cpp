// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/spill_file.h"

#include "capture/free_space_guard.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace procscope::session {

namespace {

std::string describe(const char* what, int error) { return std::string(what) + ": " + std::strerror(error); }

int openUnnamed(const std::string& directory, std::string* error)
{
    int fd = ::open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
        *error = describe(("cannot make a file in " + directory).c_str(), errno);
        return -1;
    }
    // Filesystems without O_TMPFILE: a private name, removed at once.
    std::string name = directory + "/.procscope-spill-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
        *error = describe(("cannot make a file in " + directory).c_str(), errno);
        return -1;
    }
    ::unlink(name.c_str());
    return fd;
}

} // namespace

std::unique_ptr<SpillFile> SpillFile::create(const std::string& directory, std::string* error)
{
    const int fd = openUnnamed(directory, error);
    if (fd < 0)
        return nullptr;
    return std::unique_ptr<SpillFile>(new SpillFile(fd));
}

SpillFile::~SpillFile()
{
    for (const Mapping& mapping : m_mappings)
        ::munmap(mapping.address, mapping.bytes);
    ::close(m_fd);
}

void* SpillFile::allocate(std::size_t bytes)
{
    // Mappings start at multiples of the page size, which is not 4 KiB everywhere.
    static const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    bytes = (bytes + page - 1) / page * page;
    // The rows are not worth filling the disk for: the same reserve a capture keeps.
    struct statvfs disk {};
    if (::fstatvfs(m_fd, &disk) == 0 && disk.f_blocks != 0) {
        const std::uint64_t left = std::uint64_t(disk.f_bavail) * disk.f_frsize;
        if (left < bytes + capture::FreeSpaceGuard::reserveFor(std::uint64_t(disk.f_blocks) * disk.f_frsize)) {
            m_error = "the disk holding the event file is nearly full (" + std::to_string(left >> 20) + " MiB left)";
            return nullptr;
        }
    }
    int reserved = 0;
    do
        reserved = ::posix_fallocate(m_fd, static_cast<off_t>(m_used), static_cast<off_t>(bytes));
    while (reserved == EINTR);
    if (reserved != 0) {
        m_error = describe("the event file cannot grow", reserved);
        return nullptr;
    }
    void* address = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, static_cast<off_t>(m_used));
    if (address == MAP_FAILED) {
        m_error = describe("the event file cannot be mapped", errno);
        return nullptr;
    }
    m_mappings.push_back({ address, bytes });
    m_used += bytes;
    return address;
}

} // namespace procscope::session
