// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/decoder.h"
#include "capture/free_space_guard.h"
#include "capture/host_multiplexer.h"
#include "capture/record_queue.h"
#include "capture/ring_writer.h"

#include <QMutex>
#include <QString>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace procscope::ui {

// The ingestion worker of a live capture: a thread that reads the helper's stream, copies the
// bytes as they arrive to its sinks (the recovery file, the --write file) and decodes them into
// records that the UI thread takes in batches (takeRecords) at its own pace.
class StreamReader : public QThread
{
    Q_OBJECT
public:
    // Takes ownership of `fd` (the GUI's end of the socket, or any readable descriptor).
    explicit StreamReader(int fd, QObject* parent = nullptr);
    ~StreamReader() override;

    // Before start(): a descriptor the raw bytes are written to (owned from now on).
    void addSink(int fd, const QString& name);
    // Before start(): a file of several hosts the bytes go to as host `host`'s.
    void addSink(
        std::shared_ptr<capture::HostMultiplexer> file, std::uint16_t host, const QString& name);

    // Before start(): a ring of files (named after `name`) the bytes go to.
    void addSink(std::shared_ptr<capture::RingWriter> ring, const QString& name);

    std::vector<capture::Record> takeRecords();
    std::size_t pendingRecords() const;
    std::uint64_t bytesRead() const { return m_bytes.load(); }
    bool sawTrailer() const { return m_sawTrailer.load(); }
    bool decodedAny() const { return m_decodedAny.load(); }

    // Half-closes the socket: the helper reads end of file, stops, and sends its trailer.
    void closeInput();
    // Stops reading at once (the window is going away).
    void abort();

    // After the thread ended: why decoding stopped, when not at a clean end.
    QString decodeError() const;

signals:
    void recordsReady(); // the first record of a new batch is waiting
    void sinkFailed(const QString& message);
    // A sink's disk is nearly full: the capture should stop while its closing record still fits.
    void diskNearlyFull(const QString& message);
    // The stream cannot be decoded (decodeError() says why); its bytes still go to the sinks.
    void decodeFailed();

protected:
    void run() override;

private:
    void writeSinks(const std::byte* data, std::size_t size);

    struct Sink
    {
        int fd; // -1 for a file of several hosts
        QString name;
        capture::FreeSpaceGuard space;
        std::shared_ptr<capture::HostMultiplexer> hosts;
        std::uint16_t host = 0;
        std::shared_ptr<capture::RingWriter> ring;
        bool failed = false;
        bool low = false;
    };
    static bool writeRaw(Sink& sink, const std::byte* data, std::size_t size);
    void writeRing(Sink& sink, const std::byte* data, std::size_t size);
    void sinkWriteFailed(Sink& sink, const QString& name, int error);
    static QString diskFullMessage(std::uint64_t freeBytes, const QString& name);
    int m_fd;
    int m_wake[2] = { -1, -1 };
    std::vector<Sink> m_sinks;
    capture::StreamDecoder m_decoder;
    mutable QMutex m_mutex;
    RecordQueue m_queue; // unbounded: the socket is read whatever the UI thread does
    QString m_error;
    std::atomic<std::uint64_t> m_bytes { 0 };
    std::atomic<bool> m_sawTrailer { false };
    std::atomic<bool> m_decodedAny { false };
};

} // namespace procscope::ui
