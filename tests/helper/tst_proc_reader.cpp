// SPDX-License-Identifier: GPL-3.0-or-later
// ProcReader against the real /proc, and against a hand-made one for the odd cases.

#include "support/test_files.h"
#include "helper/proc_reader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::helper;

namespace {

using testing::writeFile;

} // namespace

class TestProcReader : public QObject {
    Q_OBJECT

private slots:
    void readsItself()
    {
        ProcReader reader;
        const auto self = std::uint32_t(::getpid());
        const ProcessRecord p = reader.read(self, ProcessSource::Snapshot);
        QCOMPARE(p.pid, self);
        QCOMPARE(p.tgid, self);
        QCOMPARE(p.ppid, std::uint32_t(::getppid()));
        QCOMPARE(p.ruid, std::uint32_t(::getuid()));
        QCOMPARE(p.euid, std::uint32_t(::geteuid()));
        QCOMPARE(p.egid, std::uint32_t(::getegid()));
        QCOMPARE(QString::fromStdString(p.comm), u"tst_proc_reader"_qs);
        QVERIFY(QString::fromStdString(p.exe).endsWith(u"/tst_proc_reader"_qs));
        QCOMPARE(QString::fromStdString(p.cwd), QDir::currentPath());
        QVERIFY(!p.argv.empty());
        QVERIFY(QString::fromStdString(p.argv[0]).endsWith(u"tst_proc_reader"_qs));
        const std::uint16_t all = readable::kComm | readable::kArgv | readable::kExe | readable::kCwd
            | readable::kIds | readable::kStartTime | readable::kPpid;
        QCOMPARE(p.readable, all);
        // Started before now, and not long before (this test has been running for seconds).
        QVERIFY(p.startNs <= p.observedNs);
        QVERIFY(p.observedNs - p.startNs < 600ull * 1'000'000'000);
    }

    void goneProcessIsNotInvented()
    {
        ProcReader reader;
        const ProcessRecord p = reader.read(4194304 + 17, ProcessSource::Exec, 55); // beyond pid_max
        QCOMPARE(p.readable, std::uint16_t(0));
        QVERIFY(p.comm.empty());
        QVERIFY(p.exe.empty());
        QVERIFY(p.argv.empty());
        QCOMPARE(p.eventTimestampNs, 55u);
        QCOMPARE(p.source, ProcessSource::Exec);
    }

    void listsRunningProcesses()
    {
        ProcReader reader;
        const auto pids = reader.listProcesses();
        QVERIFY(std::find(pids.begin(), pids.end(), 1u) != pids.end());
        QVERIFY(std::find(pids.begin(), pids.end(), std::uint32_t(::getpid())) != pids.end());
    }

    // A hand-made /proc: a comm with spaces and ')' in stat, NULs inside the cmdline, an empty
    // argument, and no exe link.
    void oddContents()
    {
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString dir = root.filePath(u"42"_qs);
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + u"/status"_qs, "Name:\tweird\nTgid:\t40\nPPid:\t7\nUid:\t1000\t1001\t1001\t1001\nGid:\t100\t101\t101\t101\n");
        writeFile(dir + u"/comm"_qs, "a) b (c\n");
        QByteArray stat = "42 (a) b (c) S 7";
        for (int field = 5; field <= 21; ++field)
            stat += " 0";
        stat += " 12345 0 0\n"; // field 22: starttime in ticks
        writeFile(dir + u"/stat"_qs, stat);
        writeFile(dir + u"/cmdline"_qs, QByteArray("prog\0--x\0\0last", 15));
        ProcReader reader(root.path().toStdString());
        const ProcessRecord p = reader.read(42, ProcessSource::Snapshot);
        QCOMPARE(p.tgid, 40u);
        QCOMPARE(p.ppid, 7u);
        QCOMPARE(p.ruid, 1000u);
        QCOMPARE(p.euid, 1001u);
        QCOMPARE(p.rgid, 100u);
        QCOMPARE(p.egid, 101u);
        QCOMPARE(p.comm, std::string("a) b (c"));
        QCOMPARE(p.argv, (std::vector<std::string> { "prog", "--x", "", "last" }));
        QVERIFY(p.readable & readable::kStartTime);
        QVERIFY(!(p.readable & readable::kExe));
        QVERIFY(!(p.readable & readable::kCwd));
        QVERIFY(!(p.readable & readable::kArgvTruncated));
        QCOMPARE(reader.listProcesses(), (std::vector<std::uint32_t> { 42 }));
    }

    // Exec enrichment takes the comm from status, where the kernel escapes '\\' and newlines.
    void execCommFromStatus()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(u"77"_qs);
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + u"/status"_qs, "Name:\ta\\nb\\\\c d\nTgid:\t77\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
        ProcReader reader(root.path().toStdString());
        const ProcessRecord p = reader.read(77, ProcessSource::Exec, 5);
        QCOMPARE(p.comm, std::string("a\nb\\c d"));
        QVERIFY(p.readable & readable::kComm);
        QVERIFY(!(p.readable & readable::kStartTime)); // known from the fork event instead
    }

    // Why an exec's argv is missing: /proc/PID gone, or an empty command line (memory released).
    void argvMissingSaysWhy()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(u"31"_qs);
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + u"/cmdline"_qs, QByteArray());
        writeFile(dir + u"/status"_qs, "Name:\ttrue\nTgid:\t31\nPPid:\t1\nUid:\t5\t5\t5\t5\nGid:\t6\t6\t6\t6\n");
        ProcReader reader(root.path().toStdString());
        ArgvMissing missing = ArgvMissing::No;
        ProcessRecord p = reader.readArgv(31, 7, missing);
        QCOMPARE(missing, ArgvMissing::Exiting);
        QVERIFY(!(p.readable & readable::kArgv));
        reader.readRest(p, missing);
        QCOMPARE(p.comm, std::string("true")); // a zombie's status is still there
        QCOMPARE(p.ruid, 5u);
        QVERIFY(!(p.readable & (readable::kExe | readable::kCwd | readable::kExitedBeforeRead))); // the enricher decides that
        // The snapshot takes an empty command line for what it is (kernel threads have none).
        QVERIFY(reader.read(31, ProcessSource::Snapshot).readable & readable::kArgv);

        reader.readArgv(32, 7, missing);
        QCOMPARE(missing, ArgvMissing::Gone);
        writeFile(dir + u"/cmdline"_qs, QByteArray("true\0x", 6));
        p = reader.readArgv(31, 7, missing);
        QCOMPARE(missing, ArgvMissing::No);
        QCOMPARE(p.argv, (std::vector<std::string> { "true", "x" }));
    }

    void longCommandLineIsCutAndMarked()
    {
        QTemporaryDir root;
        const QString dir = root.filePath(u"9"_qs);
        QVERIFY(QDir().mkpath(dir));
        QByteArray cmdline;
        while (std::size_t(cmdline.size()) <= kMaxArgvBytes)
            cmdline += QByteArray(99, 'a') + '\0';
        writeFile(dir + u"/cmdline"_qs, cmdline);
        ProcReader reader(root.path().toStdString());
        const ProcessRecord p = reader.read(9, ProcessSource::Exec);
        QVERIFY(p.readable & readable::kArgv);
        QVERIFY(p.readable & readable::kArgvTruncated);
        std::size_t total = 0;
        for (const auto& arg : p.argv)
            total += arg.size() + 1;
        QVERIFY(total <= kMaxArgvBytes + 1);
    }
};

QTEST_APPLESS_MAIN(TestProcReader)
#include "tst_proc_reader.moc"
