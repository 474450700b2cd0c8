// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/capture_loader.h"

#include "capture/ring_files.h"
#include "protocol/error.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace procscope::session {

CaptureIngest::CaptureIngest(Session& session)
    : CaptureIngest([&session](capture::Record& record) { session.apply(record); },
        [&session](const capture::DecodeError& error) { session.noteDamagedRecord(error); })
{
}

CaptureIngest::CaptureIngest(RecordSink onRecord, DamageSink onDamaged)
    : m_onRecord(std::move(onRecord))
    , m_onDamaged(std::move(onDamaged))
    , m_hosts(m_onRecord, [this](const capture::DecodeError& error) { damaged(error); })
{
}

void CaptureIngest::damaged(const capture::DecodeError& error)
{
    m_onDamaged(error);
    if (m_result.skipped.size() < DamageTally::kKeptErrors)
        m_result.skipped.push_back(error);
}

bool CaptureIngest::feed(std::span<const std::byte> bytes)
{
    m_decoder.feed(bytes);
    m_result.bytes += bytes.size();
    for (auto step = m_decoder.next(m_record); step != capture::StreamDecoder::Step::NeedMore; step = m_decoder.next(m_record)) {
        if (step == capture::StreamDecoder::Step::GotRecord) {
            if (const auto* header = std::get_if<capture::HeaderRecord>(&m_record)) {
                if (!m_firstHeader) {
                    m_firstHeader = *header;
                } else if (!m_nextFileName.empty() && (header->bootId != m_firstHeader->bootId || header->helperPid != m_firstHeader->helperPid || header->monotonicNs != m_firstHeader->monotonicNs || header->realtimeNs != m_firstHeader->realtimeNs)) {
                    m_result.ioError = m_nextFileName + " is a file of another capture, so it and the files after it were not read";
                    return false;
                }
            }
            if (m_decoder.majorVersion() == capture::kMultiHostMajorVersion)
                m_hosts.apply(m_record);
            else
                m_onRecord(m_record);
        } else if (step == capture::StreamDecoder::Step::Skipped) {
            if (m_decoder.lastError() && m_decoder.corruptSkipped() > m_corruptSeen) {
                m_corruptSeen = m_decoder.corruptSkipped();
                damaged(*m_decoder.lastError());
            }
        } else {
            return false;
        }
    }
    return true;
}

void CaptureIngest::startNextFile(const std::string& name)
{
    if (auto end = m_decoder.finish())
        damaged(*end); // the file before was cut short: what it held is kept
    m_decoder = capture::StreamDecoder();
    m_corruptSeen = 0;
    m_nextFileName = name;
}

LoadResult CaptureIngest::finish()
{
    m_result.damage = m_decoder.finish();
    if (m_decoder.majorVersion() == capture::kMultiHostMajorVersion)
        m_hosts.finish();
    m_result.unknownRecords = m_decoder.unknownSkipped() + m_hosts.unknownSkipped();
    return std::move(m_result);
}

LoadResult loadCapture(std::span<const std::byte> bytes, Session& session)
{
    CaptureIngest ingest(session);
    ingest.feed(bytes);
    return ingest.finish();
}

LoadResult loadCapture(const std::string& path, Session& session, const LoadProgress& progress)
{
    CaptureIngest ingest(session);
    return readCapture(path, ingest, progress);
}

LoadResult readCapture(const std::string& path, CaptureIngest& ingest, const LoadProgress& progress)
{
    std::vector<std::string> files = capture::ringFiles(path);
    if (files.empty())
        files.push_back(path);
    // Sizes first, for the progress; the files are then opened one at a time (a ring kept by
    // age may have thousands).
    std::uint64_t size = 0;
    for (const std::string& file : files) {
        struct stat info {};
        size += ::stat(file.c_str(), &info) == 0 ? static_cast<std::uint64_t>(info.st_size) : 0;
    }
    std::optional<std::string> ioError;
    std::vector<std::byte> chunk(1 << 20);
    std::uint64_t read = 0;
    bool first = true;
    for (std::size_t f = 0; f < files.size() && !ioError; ++f) {
        const int fd = ::open(files[f].c_str(), O_RDONLY | O_CLOEXEC);
        // A ring still being written discards its oldest files: one gone since the listing is
        // counted as discarded by the RingFile records of those after it.
        if (fd < 0 && errno == ENOENT && files.size() > 1)
            continue;
        if (fd < 0) {
            ioError = protocol::Error::os(errno, ("opening " + files[f]).c_str()).message();
            break;
        }
        if (!std::exchange(first, false))
            ingest.startNextFile(files[f]);
        bool going = true;
        while (true) {
            const ssize_t n = ::read(fd, chunk.data(), chunk.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                ioError = protocol::Error::os(errno, ("reading " + files[f]).c_str()).message();
                break;
            }
            if (n == 0)
                break;
            read += static_cast<std::uint64_t>(n);
            if (!ingest.feed(std::span<const std::byte>(chunk).first(static_cast<std::size_t>(n)))
                || (progress && !progress(read, size))) {
                going = false;
                break;
            }
        }
        ::close(fd);
        if (!going)
            break;
    }
    LoadResult result = ingest.finish();
    if (ioError)
        result.ioError = std::move(ioError);
    return result;
}

} // namespace procscope::session
