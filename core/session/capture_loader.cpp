// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/capture_loader.h"

#include "protocol/error.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
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
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        LoadResult result;
        result.ioError = protocol::Error::os(errno, ("opening " + path).c_str()).message();
        return result;
    }
    struct stat info {};
    const std::uint64_t size = ::fstat(fd, &info) == 0 ? static_cast<std::uint64_t>(info.st_size) : 0;
    std::optional<std::string> ioError;
    std::vector<std::byte> chunk(1 << 20);
    std::uint64_t read = 0;
    while (true) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ioError = protocol::Error::os(errno, ("reading " + path).c_str()).message();
            break;
        }
        if (n == 0)
            break;
        read += static_cast<std::uint64_t>(n);
        if (!ingest.feed(std::span<const std::byte>(chunk).first(static_cast<std::size_t>(n))))
            break;
        if (progress && !progress(read, size))
            break;
    }
    ::close(fd);
    LoadResult result = ingest.finish();
    result.ioError = std::move(ioError);
    return result;
}

} // namespace procscope::session
