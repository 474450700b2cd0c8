// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/spill_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
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
    const int reserved = ::posix_fallocate(m_fd, static_cast<off_t>(m_used), static_cast<off_t>(bytes));
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
