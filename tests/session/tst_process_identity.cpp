// SPDX-License-Identifier: GPL-3.0-or-later
// The rules of who a process is, each decided once in core/session and used by the window,
// the exports and the command line: its name, the capture helper, the kernel threads' root,
// search, each process's events, and rates resampled for a chart.

#include "support/session_builder.h"

#include "session/capture_loader.h"
#include "session/process_event_index.h"
#include "session/process_identity.h"

#include <QTest>

using namespace procscope;
using namespace procscope::session;

class TestProcessIdentity : public QObject {
    Q_OBJECT

private slots:
    void namesComeFromTheProgramTheProcessRuns()
    {
        Session session;
        testing::SessionBuilder build(session);
        build.snapshot(100, 1, "bash");
        build.fork(100, 101); // a subshell: runs bash until it execs
        build.fork(100, 102);
        build.exec(102);
        build.described(102, "/usr/lib/gcc/x86_64-linux-gnu/12/collect2-long-name", { "collect2" }, "collect2-long-n");
        build.fork(100, 103);
        build.exec(103);
        build.described(103, "/usr/bin/make", { "make" }, "make");
        const Lineage& lineage = session.lineage();
        QCOMPARE(processName(session, lineage.node(lineage.find(100))), std::string("bash"));
        QCOMPARE(processName(session, lineage.node(lineage.find(101))), std::string("bash"));
        // The kernel keeps 15 bytes of a name: the program's file name completes it.
        QCOMPARE(processName(session, lineage.node(lineage.find(102))), std::string("collect2-long-name"));
        QCOMPARE(processName(session, lineage.node(lineage.find(103))), std::string("make"));
        // The subshell runs what bash was running when it forked (read from /proc at the start).
        QCOMPARE(session.strings().view(programExec(lineage, lineage.node(lineage.find(101)))->exe), std::string_view("/usr/bin/bash"));
        QCOMPARE(session.strings().view(programExec(lineage, lineage.node(lineage.find(103)))->exe), std::string_view("/usr/bin/make"));
    }

    void theHelperIsTheProcessItsHeaderNamesAndNoLaterOne()
    {
        Session session;
        testing::SessionBuilder build(session, 500);
        build.snapshot(500, 1, "");
        const Lineage& lineage = session.lineage();
        const NodeId helper = lineage.find(500);
        QVERIFY(helper != kNoNode);
        QCOMPARE(captureHelper(session), helper);
        QVERIFY(isCaptureHelper(session, lineage.node(helper)));
        QCOMPARE(processName(session, lineage.node(helper)), std::string("procscope-helper"));
        // It exits; a later process given the same pid is someone else.
        build.exit(500, 500, 0);
        build.fork(1, 500);
        const NodeId reused = lineage.find(500);
        QVERIFY(reused != helper);
        QVERIFY(!isCaptureHelper(session, lineage.node(reused)));
        Session none;
        testing::SessionBuilder plain(none);
        plain.snapshot(500, 1, "sshd");
        QCOMPARE(captureHelper(none), kNoNode);
    }

    void theKernelThreadsRootIsKthreadd()
    {
        Session session;
        testing::SessionBuilder build(session);
        build.snapshot(2, 0, "kthreadd");
        build.snapshot(3, 2, "rcu_gp");
        QCOMPARE(kernelThreadsRoot(session), session.lineage().find(2));
        QVERIFY(!isKernelThreadsRoot(session.lineage().node(session.lineage().find(3))));
        Session other; // a pid 2 with a parent (a container's) is an ordinary process
        testing::SessionBuilder otherBuild(other);
        otherBuild.snapshot(1, 0, "init");
        otherBuild.snapshot(2, 1, "sh");
        QCOMPARE(kernelThreadsRoot(other), kNoNode);
    }

    void searchFindsPidNameCommandLineAndExecutable()
    {
        Session session;
        testing::SessionBuilder build(session);
        build.snapshot(100, 1, "bash");
        build.fork(100, 4242);
        build.exec(4242);
        build.described(4242, "/usr/bin/gcc-12", { "gcc", "-O2", "main.c" }, "gcc");
        const NodeId gcc = session.lineage().find(4242);
        const NodeId bash = session.lineage().find(100);
        QVERIFY(processMatchesSearch(session, gcc, "4242"));
        QVERIFY(!processMatchesSearch(session, gcc, "424"));
        QVERIFY(processMatchesSearch(session, gcc, "GCC"));
        QVERIFY(processMatchesSearch(session, gcc, "-o2 main.c")); // a space matches between arguments
        QVERIFY(processMatchesSearch(session, gcc, "gcc-12"));
        QVERIFY(!processMatchesSearch(session, bash, "main.c"));
        QVERIFY(!processMatchesSearch(session, gcc, ""));
    }

    void eachProcessesEventsAreIndexedAsTheyArrive()
    {
        Session session;
        QVERIFY(!loadCapture(PROCSCOPE_SAMPLE_CAPTURE, session).ioError);
        ProcessEventIndex index;
        index.catchUp(session);
        QCOMPARE(index.indexedRows(), session.events().size());
        std::size_t indexed = 0;
        for (NodeId node = 0; node < session.lineage().size(); ++node) {
            std::vector<std::size_t> expected;
            for (std::size_t row = 0; row < session.events().size(); ++row) {
                if (session.events()[row].node == node)
                    expected.push_back(row);
            }
            std::vector<std::size_t> found;
            index.forEach(node, [&](std::size_t row) {
                found.push_back(row);
                return true;
            });
            QCOMPARE(found, expected);
            indexed += found.size();
        }
        std::size_t aboutAProcess = 0;
        for (std::size_t row = 0; row < session.events().size(); ++row)
            aboutAProcess += session.events()[row].node != kNoNode ? 1 : 0;
        QCOMPARE(indexed, aboutAProcess);
        QVERIFY(indexed >= 39);

        // Live: later rows join the chains they belong to.
        Session live;
        testing::SessionBuilder build(live);
        build.snapshot(100, 1, "bash");
        ProcessEventIndex growing;
        build.fork(100, 101);
        growing.catchUp(live);
        build.exec(101);
        build.exit(101, 101, 0);
        growing.catchUp(live);
        std::vector<std::size_t> rows;
        growing.forEach(live.lineage().find(101), [&](std::size_t row) {
            rows.push_back(row);
            return true;
        });
        QCOMPARE(rows.size(), std::size_t(3));
        QCOMPARE(live.events()[rows[1]].kind, EventKind::Exec);
        QCOMPARE(live.events()[rows[2]].kind, EventKind::Exit);
    }

    void ratesAreResampledToTheChartsPoints()
    {
        Rates rates;
        rates.setOrigin(0);
        for (std::uint64_t b = 0; b < 1000; ++b)
            rates.add(EventKind::Fork, b * Rates::kBucketNs + 1);
        const Rates::Resampled all = rates.resample(0, 300);
        QCOMPARE(all.group, std::size_t(4)); // 1000 buckets into at most 300 points
        QCOMPARE(all.points.size(), std::size_t(250));
        QCOMPARE(all.points.front()[std::size_t(EventKind::Fork)], 4u);
        QCOMPARE(all.seconds(0), 0.4);
        const Rates::Resampled window = rates.resample(100, 300); // the last 10 s
        QCOMPARE(window.first, std::size_t(900));
        QCOMPARE(window.group, std::size_t(1));
        QCOMPARE(window.points.size(), std::size_t(100));
        const Rates::Resampled uneven = rates.resample(0, 3);
        QCOMPARE(uneven.points.size(), std::size_t(3));
        QCOMPARE(uneven.points.back()[std::size_t(EventKind::Fork)], 332u); // the last point holds what is left
        QCOMPARE(uneven.seconds(2), 33.2);
    }
};

QTEST_GUILESS_MAIN(TestProcessIdentity)
#include "tst_process_identity.moc"
