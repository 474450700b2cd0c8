// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/stream_reader.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace procscope::ui {

StreamReader::StreamReader(int fd, QObject* parent)
    : QThread(parent)
    , m_fd(fd)
{
    m_decoder.setMaxMajorVersion(capture::kMajorVersion); // a helper's stream is one host's
    if (::pipe2(m_wake, O_CLOEXEC | O_NONBLOCK) != 0)
        m_wake[0] = m_wake[1] = -1;
}

StreamReader::~StreamReader()
{
    abort();
    wait();
    for (const Sink& sink : m_sinks) {
        if (sink.fd >= 0)
            ::close(sink.fd);
    }
    for (const int fd : { m_fd, m_wake[0], m_wake[1] }) {
        if (fd >= 0)
            ::close(fd);
    }
}

void StreamReader::addSink(int fd, const QString& name)
{
    m_sinks.push_back({ fd, name, capture::FreeSpaceGuard(fd), nullptr, 0, nullptr });
}

void StreamReader::addSink(
    std::shared_ptr<capture::HostMultiplexer> file, std::uint16_t host, const QString& name)
{
    m_sinks.push_back({ -1, name, capture::FreeSpaceGuard(-1), std::move(file), host, nullptr });
}

void StreamReader::addSink(std::shared_ptr<capture::RingWriter> ring, const QString& name)
{
    m_sinks.push_back({ -1, name, capture::FreeSpaceGuard(-1), nullptr, 0, std::move(ring) });
}

bool StreamReader::writeRaw(Sink& sink, const std::byte* data, std::size_t size)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(sink.fd, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::vector<capture::Record> StreamReader::takeRecords()
{
    return m_queue.take();
}

std::size_t StreamReader::pendingRecords() const
{
    return m_queue.size();
}

void StreamReader::closeInput()
{
    ::shutdown(m_fd, SHUT_WR);
}

void StreamReader::abort()
{
    if (m_wake[1] >= 0) {
        const char byte = 'x';
        [[maybe_unused]] const auto written = ::write(m_wake[1], &byte, 1);
    }
}

QString StreamReader::decodeError() const
{
    QMutexLocker lock(&m_mutex);
    return m_error;
}

void StreamReader::sinkWriteFailed(Sink& sink, const QString& name, int error)
{
    sink.failed = true;
    emit sinkFailed(tr("Writing %1 failed (%2); the capture goes on in the window.")
                        .arg(name, QString::fromLocal8Bit(std::strerror(error))));
}

void StreamReader::writeRing(Sink& sink, const std::byte* data, std::size_t size)
{
    if (!sink.ring->write(std::span(data, size))) {
        sinkWriteFailed(sink, QString::fromStdString(sink.ring->failedPath()), sink.ring->error());
        return;
    }
    if (sink.ring->nearlyFull() && !sink.low) {
        sink.low = true;
        emit diskNearlyFull(diskFullMessage(
            sink.ring->freeBytes(), QString::fromStdString(sink.ring->currentFile())));
    }
}

void StreamReader::writeSinks(const std::byte* data, std::size_t size)
{
    for (Sink& sink : m_sinks) {
        if (sink.failed)
            continue;
        if (sink.ring) {
            writeRing(sink, data, size);
            continue;
        }
        if (sink.hosts) {
            const bool written = sink.hosts->write(sink.host, std::span(data, size));
            if (sink.hosts->error() != 0) {
                sinkWriteFailed(sink, sink.name, sink.hosts->error());
                continue;
            }
            if (!written && !sink.low) {
                sink.low = true;
                emit diskNearlyFull(diskFullMessage(sink.hosts->freeBytes(), sink.name));
            }
            continue;
        }
        if (!writeRaw(sink, data, size)) {
            sinkWriteFailed(sink, sink.name, errno);
            continue;
        }
        if (!sink.low && !sink.space.wrote(size)) {
            sink.low = true;
            emit diskNearlyFull(diskFullMessage(sink.space.freeBytes(), sink.name));
        }
    }
}

QString StreamReader::diskFullMessage(std::uint64_t freeBytes, const QString& name)
{
    return tr("The capture stopped because only %1 MiB are left on the disk holding %2. Everything "
              "captured until then "
              "is kept; free some space, or write the capture to another disk, to capture more.")
        .arg(double(freeBytes) / (1024.0 * 1024.0), 0, 'f', 1)
        .arg(name);
}

void StreamReader::run()
{
    std::vector<std::byte> buffer(256 * 1024);
    std::vector<capture::Record> batch;
    bool decoding = true;
    while (true) {
        pollfd fds[2] = { { m_fd, POLLIN, 0 }, { m_wake[0], POLLIN, 0 } };
        if (::poll(fds, m_wake[0] >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[1].revents)
            break;
        const ssize_t n = ::read(m_fd, buffer.data(), buffer.size());
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break; // end of stream (or the helper's end went away)
        m_bytes += static_cast<std::uint64_t>(n);
        writeSinks(buffer.data(), static_cast<std::size_t>(n));
        if (!decoding)
            continue;
        m_decoder.feed(std::span<const std::byte>(buffer).first(static_cast<std::size_t>(n)));
        capture::Record record;
        for (auto step = m_decoder.next(record); step != capture::StreamDecoder::Step::NeedMore;
             step = m_decoder.next(record)) {
            if (step == capture::StreamDecoder::Step::GotRecord) {
                batch.push_back(std::move(record));
            } else if (step == capture::StreamDecoder::Step::Failed) {
                decoding = false;
                {
                    QMutexLocker lock(&m_mutex);
                    if (const auto& error = m_decoder.lastError())
                        m_error = QString::fromStdString(error->message());
                }
                emit decodeFailed();
                break;
            }
        }
        m_sawTrailer = m_decoder.sawTrailer();
        m_decodedAny = m_decodedAny || !batch.empty();
        if (!batch.empty() && m_queue.push(batch))
            emit recordsReady();
    }
    for (const Sink& sink : m_sinks) {
        if (sink.ring)
            sink.ring->sync();
        else if (sink.hosts)
            sink.hosts->sync();
        else
            ::fsync(sink.fd);
    }
    const auto end = decoding ? m_decoder.finish() : m_decoder.lastError();
    QMutexLocker lock(&m_mutex);
    if (end && !(end->kind == capture::DecodeErrorKind::EmptyStream))
        m_error = QString::fromStdString(end->message());
}

} // namespace procscope::ui
