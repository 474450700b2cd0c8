// SPDX-License-Identifier: GPL-3.0-or-later
// The guard that keeps a capture from filling its disk: its reserve, and on a small tmpfs of
// its own, that it says "stop" while there is still room, before any write fails.

#include "support/small_disk.h"

#include "capture/free_space_guard.h"

#include <QTest>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

using namespace procscope;
using capture::FreeSpaceGuard;

class TestFreeSpaceGuard : public QObject {
    Q_OBJECT

private slots:
    void theReserveGrowsWithTheDiskWithinBounds()
    {
        constexpr std::uint64_t kMiB = 1024 * 1024;
        QCOMPARE(FreeSpaceGuard::reserveFor(4 * kMiB), kMiB);
        QCOMPARE(FreeSpaceGuard::reserveFor(1000 * kMiB), 20 * kMiB);
        QCOMPARE(FreeSpaceGuard::reserveFor(std::uint64_t(4) << 40), 256 * kMiB);
    }

    void saysStopBeforeTheDiskIsFull()
    {
        testing::SmallDisk disk(4096);
        if (!disk.mounted())
            QSKIP(qPrintable(disk.problem()));
        const int fd = ::open(QFile::encodeName(disk.filePath(u"capture.pscap"_qs)).constData(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        QVERIFY(fd >= 0);
        FreeSpaceGuard guard(fd);
        const std::vector<char> block(16 * 1024, 'x');
        std::size_t written = 0;
        bool roomLeft = true;
        while (roomLeft && written < 8 * 1024 * 1024) {
            const ssize_t n = ::write(fd, block.data(), block.size());
            QVERIFY2(n == ssize_t(block.size()), "a write failed before the guard said stop");
            written += block.size();
            roomLeft = guard.wrote(block.size());
        }
        QVERIFY(!roomLeft);
        QVERIFY(guard.freeBytes() < guard.reserveBytes());
        QCOMPARE(guard.reserveBytes(), std::uint64_t(1024 * 1024));
        // It said so within one check of crossing the reserve: the reserve is mostly still there.
        QVERIFY2(guard.freeBytes() + 2 * FreeSpaceGuard::kCheckEvery >= guard.reserveBytes(), qPrintable(QString::number(guard.freeBytes())));
        QVERIFY(written > 2 * 1024 * 1024);
        // And it stays said.
        QVERIFY(!guard.wrote(1));
        ::close(fd);
    }

    void aPipeHasNoDiskToFill()
    {
        int fds[2];
        QVERIFY(::pipe(fds) == 0);
        FreeSpaceGuard guard(fds[1]);
        QVERIFY(guard.wrote(1 << 20));
        ::close(fds[0]);
        ::close(fds[1]);
    }
};

QTEST_GUILESS_MAIN(TestFreeSpaceGuard)
#include "tst_free_space_guard.moc"
