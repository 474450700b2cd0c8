// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/ring_writer.h"

#include "capture/decoder.h"
#include "capture/encoder.h"
#include "capture/record_header.h"
#include "capture/ring_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>

namespace procscope::capture {

namespace {

std::uint64_t bootTimeNow()
{
    timespec now {};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    return std::uint64_t(now.tv_sec) * 1'000'000'000u + std::uint64_t(now.tv_nsec);
}

std::uint64_t realtimeNowNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return std::uint64_t(now.tv_sec) * 1'000'000'000u + std::uint64_t(now.tv_nsec);
}

} // namespace

std::unique_ptr<RingWriter> RingWriter::create(
    const std::string& base, RingLimits limits, std::string* error, Clock clock, WallClock wallClock)
{
    std::unique_ptr<RingWriter> writer(new RingWriter(base, limits, std::move(clock), std::move(wallClock)));
    writer->m_earlierRing = ringFilesOf(base);
    if (!writer->startFile()) {
        if (error)
            *error = writer->m_failedPath + ": " + std::strerror(writer->m_errno);
        return nullptr;
    }
    return writer;
}

RingWriter::RingWriter(std::string base, RingLimits limits, Clock clock, WallClock wallClock)
    : m_base(std::move(base))
    , m_limits(limits)
    , m_clock(clock ? std::move(clock) : Clock(bootTimeNow))
    , m_wallClock(wallClock ? std::move(wallClock) : WallClock([] { return static_cast<std::int64_t>(std::time(nullptr)); }))
{
}

RingWriter::~RingWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
    // Nothing ever came (the helper did not start): the empty first file is not a capture.
    if (!m_haveHeader && m_files.size() == 1 && m_files.back().bytes == 0)
        ::unlink(m_files.back().path.c_str());
}

bool RingWriter::runningHere(std::uint32_t tgid)
{
    const std::string path = "/proc/" + std::to_string(tgid);
    return ::access(path.c_str(), F_OK) == 0;
}

std::uint64_t RingWriter::currentFileLimit() const
{
    // At least as much capture as opening, so a file is never mostly its opening; but never
    // more than the whole ring, unless even half a share after the opening is.
    const std::uint64_t wanted = std::max(fileLimit(), m_openingBytes + std::max(fileLimit() / 2, m_openingBytes));
    if (m_limits.maxBytes == 0)
        return wanted;
    return std::min(wanted, std::max(m_limits.maxBytes, m_openingBytes + fileLimit() / 2));
}

std::uint64_t RingWriter::fileLimit() const
{
    if (m_limits.maxBytes == 0)
        return kMaxFileBytes;
    return std::clamp(m_limits.maxBytes / kFilesPerLimit, kMinFileBytes, kMaxFileBytes);
}

bool RingWriter::fail(int error, const std::string& path)
{
    m_errno = error ? error : EIO;
    m_failedPath = path;
    return false;
}

bool RingWriter::writeOut(std::span<const std::byte> bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(n < 0 ? errno : ENOSPC, m_files.back().path);
        done += static_cast<std::size_t>(n);
    }
    m_files.back().bytes += bytes.size();
    m_keptBytes += bytes.size();
    if (!m_nearlyFull && !m_space.wrote(bytes.size()))
        m_nearlyFull = true;
    return true;
}

bool RingWriter::startFile()
{
    const std::uint64_t now = m_clock();
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
        m_files.back().endedNs = now;
    }
    const std::string path = ringFilePath(m_base, m_nextNumber, m_wallClock());
    m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return fail(errno, path);
    m_files.push_back({ path, 0, m_live.events(), 0 });
    ++m_keptFiles;
    m_space = FreeSpaceGuard(m_fd);
    m_fileStartedNs = now;
    const std::uint32_t number = m_nextNumber++;
    std::vector<std::byte> opening;
    if (m_haveHeader) {
        if (m_stillRunning)
            m_live.forgetGone(m_stillRunning);
        opening = m_opening;
        RingFileRecord ring;
        ring.number = number;
        ring.realtimeNs = realtimeNowNs();
        ring.eventsBefore = m_live.events();
        ring.kindsBefore = m_live.eventsByKind();
        appendRecord(ring, opening);
        for (const ProcessRecord& process : m_live.snapshot())
            appendRecord(process, opening);
    }
    m_openingBytes = opening.size();
    discardOld(now); // first: the disk never holds the new opening and the files it replaces
    return opening.empty() || writeOut(opening);
}

void RingWriter::discardOld(std::uint64_t nowNs)
{
    std::uint64_t closedBytes = 0;
    for (std::size_t i = 0; i + 1 < m_files.size(); ++i)
        closedBytes += m_files[i].bytes;
    while (m_files.size() > 1) {
        const File& oldest = m_files.front();
        const bool tooMuch = m_limits.maxBytes != 0 && closedBytes + currentFileLimit() > m_limits.maxBytes;
        const bool tooOld = m_limits.keepNs != 0 && nowNs > oldest.endedNs && nowNs - oldest.endedNs > m_limits.keepNs;
        if (!tooMuch && !tooOld)
            break;
        ::unlink(oldest.path.c_str());
        m_discardedEvents += m_files[1].eventsBefore - oldest.eventsBefore;
        ++m_discardedFiles;
        closedBytes -= oldest.bytes;
        m_keptBytes -= oldest.bytes;
        --m_keptFiles;
        m_files.pop_front();
    }
}

bool RingWriter::rotationDue(std::uint64_t nowNs, std::uint64_t unwrittenBytes) const
{
    const File& current = m_files.back();
    // A file holds at least one event after its opening, so an opening larger than the
    // limit (thousands of running processes in a small ring) cannot start file after file.
    if (m_live.events() == current.eventsBefore)
        return false;
    if (current.bytes + unwrittenBytes >= currentFileLimit())
        return true;
    return m_limits.keepNs != 0 && nowNs - m_fileStartedNs >= m_limits.keepNs / kFilesPerLimit;
}

bool RingWriter::write(std::span<const std::byte> bytes)
{
    if (m_errno != 0)
        return false;
    if (m_framingLost)
        return writeOut(bytes);
    m_pending.insert(m_pending.end(), bytes.begin(), bytes.end());
    return takeRecords(m_clock());
}

bool RingWriter::takeRecords(std::uint64_t nowNs)
{
    const std::span<const std::byte> pending(m_pending);
    std::size_t at = 0;
    std::size_t unwritten = 0; // the first byte not yet written
    const auto done = [&] {
        const bool ok = writeOut(pending.subspan(unwritten, at - unwritten));
        m_pending.erase(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(at));
        return ok;
    };
    if (m_opening.empty()) {
        if (pending.size() < kPreambleSize)
            return true;
        m_opening.assign(pending.begin(), pending.begin() + kPreambleSize);
        at = unwritten = kPreambleSize; // written with the header
        // The files hold RingFile records: they say so in their minor version.
        const auto minor = static_cast<std::uint16_t>(std::to_integer<unsigned>(m_opening[10]) | std::to_integer<unsigned>(m_opening[11]) << 8);
        if (minor < kRingMinorVersion) {
            m_opening[10] = std::byte { kRingMinorVersion & 0xFF };
            m_opening[11] = std::byte { kRingMinorVersion >> 8 };
        }
        if (!std::equal(kMagic.begin(), kMagic.end(), pending.begin())) {
            m_framingLost = true; // not a capture: kept as it came
            at = pending.size();
            unwritten = 0;
            return done();
        }
    }
    while (pending.size() - at >= kRecordHeaderSize) {
        const auto header = readRecordHeader(pending.subspan(at));
        if (!header) {
            m_framingLost = true;
            at = pending.size();
            return done();
        }
        const std::size_t size = kRecordHeaderSize + header->length;
        if (pending.size() - at < size)
            break;
        const auto record = pending.subspan(at, size);
        const auto kind = static_cast<RecordKind>(header->kind);
        if (!m_haveHeader) {
            // The stream's header: copied into every file, and the first file's RingFile after it.
            m_opening.insert(m_opening.end(), record.begin(), record.end());
            m_haveHeader = true;
            for (const std::string& old : m_earlierRing) { // the capture started: it replaces them
                if (old != m_files.back().path)
                    ::unlink(old.c_str());
            }
            m_earlierRing.clear();
            std::vector<std::byte> opening = m_opening;
            appendRecord(RingFileRecord { 1, realtimeNowNs(), 0, {} }, opening);
            at += size;
            unwritten = at;
            if (!writeOut(opening))
                return false;
            continue;
        }
        // Only before an event: a run of process descriptions (the helper's start-up snapshot)
        // is never cut, so a reader passing over a file's opening passes over nothing else.
        if (kind == RecordKind::KernelEvent && rotationDue(nowNs, at - unwritten)) {
            if (!done() || !startFile())
                return false;
            return takeRecords(nowNs); // m_pending now starts at this record
        }
        if (kind == RecordKind::KernelEvent || kind == RecordKind::Process) {
            std::string detail;
            if (auto decoded = decodeRecordBody(kind, record.subspan(kRecordHeaderSize), detail))
                m_live.note(*decoded);
        }
        at += size;
    }
    return done();
}

void RingWriter::sync()
{
    if (m_fd >= 0)
        ::fsync(m_fd);
}

std::vector<std::string> RingWriter::keptFiles() const
{
    std::vector<std::string> paths;
    for (const File& file : m_files)
        paths.push_back(file.path);
    return paths;
}

} // namespace procscope::capture
