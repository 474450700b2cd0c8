// SPDX-License-Identifier: GPL-3.0-or-later
// ExecEnricher against a hand-made /proc: descriptions in stream order, and a process found
// exiting or gone described after its exit event, with readable::kExitedBeforeRead.

#include "support/test_files.h"
#include "helper/exec_enricher.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::helper;

namespace {

using testing::writeFile;

// 40 runs with argv "prog a"; 41 is exiting (empty command line, status still there); 42 is gone.
struct FakeProc {
    QTemporaryDir root;
    FakeProc()
    {
        QDir().mkpath(root.filePath(u"40"_qs));
        QDir().mkpath(root.filePath(u"41"_qs));
        writeFile(root.filePath(u"40/cmdline"_qs), QByteArray("prog\0a", 7));
        writeFile(root.filePath(u"41/cmdline"_qs), QByteArray());
        writeFile(root.filePath(u"41/status"_qs), "Name:\ttrue\nTgid:\t41\nPPid:\t1\n");
    }
    std::string path() const { return root.path().toStdString(); }
};

std::vector<std::uint32_t> pids(const std::vector<ProcessRecord>& records)
{
    std::vector<std::uint32_t> out;
    for (const auto& r : records)
        out.push_back(r.pid);
    return out;
}

} // namespace

class TestExecEnricher : public QObject {
    Q_OBJECT

private slots:
    void goneProcessWaitsForItsExit()
    {
        FakeProc proc;
        ProcReader reader(proc.path());
        ExecEnricher enricher(reader);
        enricher.execWritten(40, 100);
        enricher.execWritten(41, 200);
        enricher.execWritten(42, 300);
        enricher.exitWritten(41, 150); // an earlier process with that pid: not this exec's exit
        QCOMPARE(pids(enricher.takeReady()), (std::vector<std::uint32_t> { 40 }));
        enricher.exitWritten(41, 600);
        auto ready = enricher.takeReady();
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 41 }));
        QVERIFY(ready[0].readable & readable::kExitedBeforeRead);
        QVERIFY(!(ready[0].readable & readable::kArgv));
        QCOMPARE(ready[0].comm, std::string("true"));
        QCOMPARE(ready[0].eventTimestampNs, 200u);
        enricher.exitWritten(42, 700);
        ready = enricher.takeReady();
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 42 }));
        QVERIFY(ready[0].readable & readable::kExitedBeforeRead);
        QVERIFY(enricher.takeReady(true).empty());
    }

    void describedAtOnceWhenTheExitIsInTheSameBatch()
    {
        FakeProc proc;
        ProcReader reader(proc.path());
        ExecEnricher enricher(reader);
        enricher.execWritten(40, 100);
        enricher.execWritten(42, 300);
        enricher.exitWritten(42, 301);
        const auto ready = enricher.takeReady();
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 40, 42 }));
        QCOMPARE(ready[0].argv, (std::vector<std::string> { "prog", "a" }));
        QVERIFY(!(ready[0].readable & readable::kExitedBeforeRead));
        QVERIFY(ready[1].readable & readable::kExitedBeforeRead);
    }

    // No exit at the end of the capture: gone is still gone; an empty command line of a process
    // that did not exit is what was read, an empty argv.
    void finalReleasesWhatStillWaits()
    {
        FakeProc proc;
        ProcReader reader(proc.path());
        ExecEnricher enricher(reader);
        enricher.execWritten(41, 200);
        enricher.execWritten(42, 300);
        QVERIFY(enricher.takeReady().empty());
        const auto ready = enricher.takeReady(true);
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 41, 42 }));
        QVERIFY(ready[0].readable & readable::kArgv);
        QVERIFY(ready[0].argv.empty());
        QVERIFY(!(ready[0].readable & readable::kExitedBeforeRead));
        QVERIFY(ready[1].readable & readable::kExitedBeforeRead);
    }

    void withoutExitEventsNothingWaits()
    {
        FakeProc proc;
        ProcReader reader(proc.path());
        ExecEnricher enricher(reader, false);
        enricher.execWritten(41, 200);
        enricher.execWritten(42, 300);
        const auto ready = enricher.takeReady();
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 41, 42 }));
        QVERIFY(ready[0].readable & readable::kArgv);
        QVERIFY(ready[1].readable & readable::kExitedBeforeRead);
    }

    // Read early through the trigger socket: described once, when its exec is written.
    void earlyReadIsUsedOnce()
    {
        FakeProc proc;
        ProcReader reader(proc.path());
        ExecEnricher enricher(reader);
        const ExecEnricher::Exec execs[] = { { 40, 100 }, { 42, 300 } };
        enricher.readEarly(execs);
        // /proc changes afterwards: the early read is what counts.
        writeFile(proc.root.filePath(u"40/cmdline"_qs), QByteArray("later", 6));
        QVERIFY(enricher.takeReady().empty());
        enricher.execWritten(40, 100);
        enricher.execWritten(42, 300);
        enricher.exitWritten(42, 400);
        const auto ready = enricher.takeReady();
        QCOMPARE(pids(ready), (std::vector<std::uint32_t> { 40, 42 }));
        QCOMPARE(ready[0].argv, (std::vector<std::string> { "prog", "a" }));
        QVERIFY(ready[1].readable & readable::kExitedBeforeRead);
        QVERIFY(enricher.takeReady(true).empty());
    }
};

QTEST_APPLESS_MAIN(TestExecEnricher)
#include "tst_exec_enricher.moc"
