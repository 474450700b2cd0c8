// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/output_buffer.h"

#include <QTest>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace procscope;
using namespace procscope::helper;

namespace {

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe()
    {
        int fds[2];
        if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
            read = fds[0];
            write = fds[1];
        }
    }
    ~Pipe()
    {
        if (read >= 0)
            ::close(read);
        if (write >= 0)
            ::close(write);
    }
    QByteArray drain() const
    {
        QByteArray all;
        char chunk[65536];
        ssize_t n;
        while ((n = ::read(read, chunk, sizeof chunk)) > 0)
            all.append(chunk, n);
        return all;
    }
};

std::vector<std::byte> bytes(std::size_t size, char fill)
{
    return std::vector<std::byte>(size, std::byte(fill));
}

} // namespace

class TestOutputBuffer : public QObject {
    Q_OBJECT

private slots:
    void writesInOrder()
    {
        Pipe pipe;
        OutputBuffer buffer(pipe.write, 1 << 16);
        QVERIFY(buffer.append(bytes(10, 'a')));
        QVERIFY(buffer.append(bytes(5, 'b')));
        QCOMPARE(buffer.size(), 15u);
        QVERIFY(buffer.flush());
        QVERIFY(buffer.empty());
        QCOMPARE(pipe.drain(), QByteArray(10, 'a') + QByteArray(5, 'b'));
        QCOMPARE(buffer.bytesWritten(), 15u);
    }

    // A consumer that stops reading must not block the writer: records are refused instead.
    void refusesWhenFullNeverBlocks()
    {
        Pipe pipe;
        ::fcntl(pipe.write, F_SETPIPE_SZ, 4096);
        OutputBuffer buffer(pipe.write, 1 << 16);
        std::size_t accepted = 0;
        std::size_t refused = 0;
        for (int i = 0; i < 10000; ++i) {
            if (buffer.append(bytes(100, char('a' + i % 26))))
                ++accepted;
            else
                ++refused;
            QVERIFY(buffer.flush()); // returns at once on EAGAIN
        }
        QVERIFY(refused > 0);
        QVERIFY(accepted * 100 <= (1u << 16) + 4096 + 100);
        // The reserve still takes a record the accounting needs.
        QVERIFY(!buffer.append(bytes(100, 'x')));
        QVERIFY(buffer.append(bytes(100, 'L'), true));
        // Once the reader catches up, everything accepted arrives intact and in order.
        QByteArray received;
        while (!buffer.empty()) {
            received += pipe.drain();
            QVERIFY(buffer.flush());
        }
        received += pipe.drain();
        QCOMPARE(qsizetype(received.size()), qsizetype(accepted * 100 + 100));
        QVERIFY(received.endsWith(QByteArray(100, 'L')));
    }

    void closedReaderIsConnectionClosed()
    {
        ::signal(SIGPIPE, SIG_IGN);
        Pipe pipe;
        ::close(pipe.read);
        pipe.read = -1;
        OutputBuffer buffer(pipe.write, 1 << 16);
        QVERIFY(buffer.append(bytes(10, 'a')));
        const auto status = buffer.flush();
        QVERIFY(!status);
        QCOMPARE(status.error().kind(), protocol::ErrorKind::ConnectionClosed);
    }

    void drainTimesOutOnAStalledReader()
    {
        Pipe pipe;
        ::fcntl(pipe.write, F_SETPIPE_SZ, 4096);
        OutputBuffer buffer(pipe.write, 1 << 16);
        QVERIFY(buffer.append(bytes(20000, 'a')));
        const auto status = buffer.drain(100);
        QVERIFY(!status);
        QCOMPARE(status.error().osError(), ETIMEDOUT);
    }
};

QTEST_APPLESS_MAIN(TestOutputBuffer)
#include "tst_output_buffer.moc"
