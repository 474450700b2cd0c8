// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace procscope::session {

// An unnamed file (gone when closed, never visible to other users) whose space is handed out in
// mapped blocks: what is stored there is paged by the kernel like the page cache, written back
// and dropped under memory pressure and read again when touched, instead of being held by the
// process. Space is reserved with fallocate before it is mapped, so on the usual file systems
// a full disk shows up as a failed allocate() rather than as SIGBUS on a later write (a
// copy-on-write file system may still refuse a write into reserved space); and the file stops
// growing while a capture's reserve of the disk is still free.
class SpillFile {
public:
    // nullptr, with the reason in `error`, when no such file can be made in `directory`.
    static std::unique_ptr<SpillFile> create(const std::string& directory, std::string* error);
    ~SpillFile();
    SpillFile(const SpillFile&) = delete;
    SpillFile& operator=(const SpillFile&) = delete;

    // At least `bytes` of zeroed, writable memory backed by the file (rounded up to whole
    // pages); nullptr (see lastError()) when the file cannot or should not grow (a nearly full
    // disk, a quota).
    void* allocate(std::size_t bytes);
    std::size_t fileBytes() const { return m_used; }
    const std::string& lastError() const { return m_error; }

private:
    explicit SpillFile(int fd)
        : m_fd(fd)
    {
    }
    struct Mapping {
        void* address;
        std::size_t bytes;
    };
    int m_fd;
    std::size_t m_used = 0;
    std::vector<Mapping> m_mappings;
    std::string m_error;
};

} // namespace procscope::session
