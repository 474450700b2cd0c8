// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/capture_loader.h"

#include "protocol/error.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace procscope::session {

LoadResult loadCapture(const std::string& path, Session& session, const std::function<bool(std::uint64_t, std::uint64_t)>& progress)
{
    LoadResult result;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        result.ioError = protocol::Error::os(errno, ("opening " + path).c_str()).message();
        return result;
    }
    struct stat info {};
    const std::uint64_t size = ::fstat(fd, &info) == 0 ? static_cast<std::uint64_t>(info.st_size) : 0;
    capture::StreamDecoder decoder;
    std::vector<std::byte> chunk(1 << 20);
    capture::Record record;
    bool failed = false;
    std::uint64_t corruptSeen = 0;
    while (!failed) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            result.ioError = protocol::Error::os(errno, ("reading " + path).c_str()).message();
            break;
        }
        if (n == 0)
            break;
        result.bytes += static_cast<std::uint64_t>(n);
        decoder.feed(std::span<const std::byte>(chunk).first(static_cast<std::size_t>(n)));
        for (auto step = decoder.next(record); step != capture::StreamDecoder::Step::NeedMore; step = decoder.next(record)) {
            if (step == capture::StreamDecoder::Step::GotRecord) {
                session.apply(record);
            } else if (step == capture::StreamDecoder::Step::Skipped) {
                if (decoder.lastError() && decoder.corruptSkipped() > corruptSeen) {
                    corruptSeen = decoder.corruptSkipped();
                    session.noteDamagedRecord(*decoder.lastError());
                    if (result.skipped.size() < DamageTally::kKeptErrors)
                        result.skipped.push_back(*decoder.lastError());
                }
            } else {
                failed = true;
                break;
            }
        }
        if (progress && !progress(result.bytes, size))
            break;
    }
    ::close(fd);
    result.damage = decoder.finish();
    result.unknownRecords = decoder.unknownSkipped();
    return result;
}

} // namespace procscope::session
