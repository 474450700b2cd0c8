// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/free_space_guard.h"
#include "capture/live_processes.h"
#include "capture/records.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace procscope::capture {

// How much a ring capture keeps: the newest files up to a size, or of an age (or both).
struct RingLimits
{
    std::uint64_t maxBytes = 0; // the files together stay at most this large (0: any size)
    std::uint64_t keepNs = 0; // files whose last event is older than this are discarded (0: any age)
    bool any() const { return maxBytes != 0 || keepNs != 0; }
};

// Writes a capture stream (version 2, as a helper sends it) as a ring of files, as dumpcap
// writes ring buffers: the stream is cut at record boundaries into files of an eighth of the
// limit each (ring_files.h names them), and the oldest files are deleted as new ones start,
// so the disk holds the newest part of the capture within the limit. Each file is a capture of
// its own that readers open alone or with the others as one: it begins with the stream's
// preamble and header, a RingFile record (what the earlier files held), and snapshot records
// of the processes running at that moment (LiveProcesses). The events of deleted files are
// counted (discardedEvents), never taken for loss.
class RingWriter
{
public:
    static constexpr std::uint64_t kFilesPerLimit = 8;
    static constexpr std::uint64_t kMinFileBytes = 64 * 1024;
    // A file is started at least this often when only an age limits the ring.
    static constexpr std::uint64_t kMaxFileBytes = std::uint64_t(256) << 20;
    using Clock = std::function<std::uint64_t()>; // monotonic ns; CLOCK_MONOTONIC by default
    using WallClock = std::function<std::int64_t()>; // Unix seconds, for file names
    // Whether a process (by tgid) is still running: asked as each file starts, so processes
    // whose exit was never seen (lost, or exits not captured) leave the snapshots.
    using StillRunning = std::function<bool(std::uint32_t)>;

    // Creates the first file; nullptr with `error` set when it cannot. The files of an earlier
    // ring at `base` are deleted once the stream's header arrives (a new capture replaces an
    // old one, as a plain capture file is replaced; one that never started replaces nothing).
    // `clock` defaults to CLOCK_BOOTTIME (time asleep counts toward an age limit).
    static std::unique_ptr<RingWriter> create(const std::string& base, RingLimits limits,
        std::string* error, Clock clock = {}, WallClock wallClock = {});
    // This machine's processes, from /proc (for a capture of this machine).
    static bool runningHere(std::uint32_t tgid);
    void setStillRunning(StillRunning stillRunning) { m_stillRunning = std::move(stillRunning); }
    ~RingWriter();
    RingWriter(const RingWriter&) = delete;
    RingWriter& operator=(const RingWriter&) = delete;

    // The next bytes of the stream. False once writing failed (error(), failedPath()); after
    // that nothing more is written.
    bool write(std::span<const std::byte> bytes);
    // Flushes the current file to the disk.
    void sync();
    int error() const { return m_errno; }
    const std::string& failedPath() const { return m_failedPath; }
    // True once the disk holding the files has less free space than a capture's reserve.
    bool nearlyFull() const { return m_nearlyFull; }
    std::uint64_t freeBytes() const { return m_space.freeBytes(); }
    // The stream could not be cut at record boundaries (it is damaged): everything goes on
    // into the current file, which then grows past the limit.
    bool framingLost() const { return m_framingLost; }

    // These four may be read from another thread while the writer's thread writes.
    std::uint64_t discardedEvents() const { return m_discardedEvents.load(); }
    std::uint64_t discardedFiles() const { return m_discardedFiles.load(); }
    std::uint64_t keptBytes() const { return m_keptBytes.load(); }
    std::uint64_t keptFileCount() const { return m_keptFiles.load(); }
    // Only from the writer's thread (or when it is not writing):
    std::vector<std::string> keptFiles() const;
    const std::string& currentFile() const { return m_files.back().path; }
    const std::string& base() const { return m_base; }
    const RingLimits& limits() const { return m_limits; }

private:
    struct File
    {
        std::string path;
        std::uint64_t bytes = 0;
        std::uint64_t eventsBefore = 0; // of the ring, when it started
        std::uint64_t endedNs = 0; // monotonic, when the next one started
    };
    RingWriter(std::string base, RingLimits limits, Clock clock, WallClock wallClock);
    bool startFile();
    bool writeOut(std::span<const std::byte> bytes);
    bool takeRecords(std::uint64_t nowNs);
    bool rotationDue(std::uint64_t nowNs, std::uint64_t unwrittenBytes) const;
    void discardOld(std::uint64_t nowNs);
    std::uint64_t fileLimit() const;
    // What the file being written may grow to: its share of the limit, or more when its
    // opening (the running processes) takes much of that share.
    std::uint64_t currentFileLimit() const;
    bool fail(int error, const std::string& path);

    std::string m_base;
    RingLimits m_limits;
    Clock m_clock;
    WallClock m_wallClock;
    int m_fd = -1;
    std::deque<File> m_files; // kept, oldest first; the last is being written
    std::uint32_t m_nextNumber = 1;
    std::vector<std::byte> m_pending; // bytes not yet cut into whole records
    std::vector<std::byte> m_opening; // preamble and header record, copied into every file
    bool m_haveHeader = false;
    LiveProcesses m_live;
    Record m_record;
    std::uint64_t m_fileStartedNs = 0;
    std::uint64_t m_openingBytes = 0; // of the file being written
    std::vector<std::string> m_earlierRing; // deleted once the header arrives
    StillRunning m_stillRunning;
    std::atomic<std::uint64_t> m_discardedEvents { 0 };
    std::atomic<std::uint64_t> m_discardedFiles { 0 };
    std::atomic<std::uint64_t> m_keptBytes { 0 };
    std::atomic<std::uint64_t> m_keptFiles { 0 };
    FreeSpaceGuard m_space { -1 };
    bool m_nearlyFull = false;
    bool m_framingLost = false;
    int m_errno = 0;
    std::string m_failedPath;
};

} // namespace procscope::capture
