// SPDX-License-Identifier: GPL-3.0-or-later
// The process tree from hand-built streams, one case per item of the kernel's semantics:
// threads, exec from a non-leader thread, a leader exiting before its threads, orphans reaped
// by init, pid reuse, unknown parents, exec twice, comm from a thread.

#include "session/running_count.h"
#include "support/session_builder.h"

#include <QTest>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

namespace {

struct Fixture {
    Session session;
    SessionBuilder build { session };
    const Lineage& lineage() const { return session.lineage(); }
    const ProcessNode& node(std::uint32_t pid) const { return lineage().node(lineage().find(pid)); }
    std::string name(std::uint32_t pid) const { return std::string(session.strings().view(node(pid).name)); }
    std::vector<const ExecInfo*> execs(std::uint32_t pid) const { return lineage().execsOf(lineage().find(pid)); }
    const CommChange& lastComm(std::uint32_t pid) const { return *lineage().commsOf(lineage().find(pid)).back(); }
    std::vector<std::string> argv(const ExecInfo& exec) const
    {
        std::vector<std::string> out;
        for (std::string_view arg : argvOf(session.strings(), exec))
            out.emplace_back(arg);
        return out;
    }
    std::vector<std::uint32_t> childPids(std::uint32_t pid) const
    {
        std::vector<std::uint32_t> out;
        for (NodeId child : lineage().childrenOf(lineage().find(pid)))
            out.push_back(lineage().node(child).pid);
        return out;
    }
};

// Counts notifications, the way the Qt models will consume them.
struct Recorder : LineageListener {
    int added = 0;
    int changes = 0;
    std::vector<std::pair<NodeId, NodeId>> links;
    void nodeAdded(NodeId) override { ++added; }
    void nodeChanged(NodeId) override { ++changes; }
    void childAdded(NodeId parent, NodeId child) override { links.emplace_back(parent, child); }
};

} // namespace

class TestLineage : public QObject {
    Q_OBJECT

private slots:
    void snapshotOfAProcessForkedDuringTheScanCompletesIt()
    {
        Fixture f;
        f.build.snapshot(1, 0, "systemd");
        f.build.snapshot(50, 1, "bash");
        f.build.fork(50, 60); // forked after the capture began; the scan reaches /proc/60 later
        f.build.snapshot(60, 50, "make");
        QCOMPARE(f.childPids(50), std::vector<std::uint32_t> { 60 });
        QCOMPARE(f.lineage().size(), std::size_t { 3 });
        QCOMPARE(f.name(60), std::string("make"));
        QVERIFY(!f.node(60).fromSnapshot);
        QVERIFY(f.node(60).startNs > 500); // the fork's time, not the scan's
        QCOMPARE(f.argv(*f.execs(60).back()), std::vector<std::string> { "make" });
        // Once it has exited, a snapshot record with its pid is another process.
        f.build.exit(60, 60, 0);
        f.build.snapshot(60, 1, "late");
        QCOMPARE(f.lineage().size(), std::size_t { 4 });
    }

    void forkExecExit()
    {
        Fixture f;
        f.build.snapshot(1, 0, "init");
        f.build.snapshot(100, 1, "bash", 1000);
        f.build.fork(100, 200);
        QCOMPARE(f.name(200), std::string("bash")); // runs its parent's program until it execs
        QCOMPARE(f.node(200).euid, 1000u); // and with its parent's identity
        f.build.exec(200);
        f.build.described(200, "/usr/bin/make", { "make", "-j2" }, "make");
        f.build.exit(200, 200, 0x200, 17, 100);
        const ProcessNode& make = f.node(200);
        QCOMPARE(f.lineage().node(make.parent).pid, 100u);
        QCOMPARE(f.execs(200).size(), 1u);
        QCOMPARE(f.argv(*f.execs(200)[0]), (std::vector<std::string> { "make", "-j2" }));
        QCOMPARE(f.session.strings().view(f.execs(200)[0]->exe), std::string_view("/usr/bin/make"));
        QCOMPARE(f.name(200), std::string("make"));
        QVERIFY(!make.running());
        QCOMPARE(make.exitStatus.value_or(0), 0x200u);
        QCOMPARE(make.reaperPid, 100u);
        QCOMPARE(f.childPids(100), (std::vector<std::uint32_t> { 200 }));
        QCOMPARE(f.childPids(1), (std::vector<std::uint32_t> { 100 }));
        QCOMPARE(f.lineage().size(), 3u);
    }

    void threadsAreNotNodes()
    {
        Fixture f;
        f.build.snapshot(100, 1, "server");
        f.build.fork(100, 101, 100); // thread 101 of process 100
        f.build.fork(100, 102, 100);
        QCOMPARE(f.node(100).liveThreads, 3u);
        QCOMPARE(f.node(100).threadsSeen, 2u);
        f.build.exit(101, 100, 0, -1, 0); // thread exit: signal -1, parent 0/0
        QCOMPARE(f.node(100).liveThreads, 2u);
        QVERIFY(f.node(100).running());
        QCOMPARE(f.lineage().find(101), kNoNode);
        QVERIFY(f.childPids(100).empty());
    }

    // exec from a non-leader thread: EXIT(leader), EXIT(thread), EXEC(leader pid), later EXIT.
    void execFromNonLeaderThread()
    {
        Fixture f;
        f.build.snapshot(300, 1, "java");
        f.build.fork(300, 301, 300);
        f.build.exit(300, 300, 0, 17, 1); // the old leader goes
        f.build.exit(301, 300, 0, -1, 0);
        QVERIFY(!f.node(300).running()); // it looks final here...
        f.build.exec(300); // ...but the exec'ing thread took over pid 300
        f.build.described(300, "/usr/bin/true", { "true" }, "true");
        QVERIFY(f.node(300).running());
        QVERIFY(!f.node(300).exitStatus);
        QCOMPARE(f.node(300).liveThreads, 1u);
        f.build.exit(300, 300, 0x100, 17, 1);
        QVERIFY(!f.node(300).running());
        QCOMPARE(f.node(300).exitStatus.value_or(0), 0x100u);
        QCOMPARE(f.lineage().size(), 2u); // 300 and the placeholder for its parent 1
        QCOMPARE(f.execs(300).size(), 2u); // the snapshot's program, then true
    }

    void leaderExitsBeforeItsThreads()
    {
        Fixture f;
        f.build.snapshot(400, 1, "app");
        f.build.fork(400, 401, 400);
        f.build.fork(400, 402, 400);
        f.build.exit(400, 400, 0x500, 17, 1);
        f.build.exit(401, 400, 0x500, -1, 0);
        f.build.exit(402, 400, 0x500, -1, 0);
        const ProcessNode& app = f.node(400);
        QVERIFY(!app.running());
        QCOMPARE(app.exitStatus.value_or(0), 0x500u);
        QCOMPARE(app.threadsSeen, 2u);
        QCOMPARE(f.lineage().size(), 2u);
    }

    void orphanReapedByInit()
    {
        Fixture f;
        f.build.snapshot(1, 0, "init");
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        f.build.exit(100, 100, 0, 17, 1);
        f.build.exit(200, 200, 0, 17, 1); // reaped by init now
        QCOMPARE(f.lineage().node(f.node(200).parent).pid, 100u); // forked by 100, kept
        QCOMPARE(f.node(200).reaperPid, 1u);
        QVERIFY(!f.node(100).running());
        QCOMPARE(f.childPids(100), (std::vector<std::uint32_t> { 200 }));
    }

    void pidReuseMakesANewNode()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        f.build.exit(200, 200, 0, 17, 100);
        const NodeId first = f.lineage().find(200);
        f.build.fork(100, 200);
        const NodeId second = f.lineage().find(200);
        QVERIFY(first != second);
        QVERIFY(!f.lineage().node(first).running());
        QVERIFY(f.lineage().node(second).running());
        QCOMPARE(f.childPids(100), (std::vector<std::uint32_t> { 200, 200 }));
    }

    void pidReuseAfterAMissedExit()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        const NodeId first = f.lineage().find(200);
        f.build.fork(100, 200); // its exit was lost: the new fork ends the old lifetime
        QVERIFY(!f.lineage().node(first).running());
        QVERIFY(!f.lineage().node(first).exitStatus); // not invented
        QVERIFY(f.lineage().find(200) != first);
    }

    void unknownParentGetsAPlaceholder()
    {
        Fixture f;
        f.build.fork(555, 600); // 555 forked before the capture and missed by the snapshot
        const ProcessNode& parent = f.node(555);
        QVERIFY(parent.placeholder);
        QCOMPARE(parent.startNs, 0u);
        QCOMPARE(f.childPids(555), (std::vector<std::uint32_t> { 600 }));
        f.build.exec(555); // later information fills it in
        f.build.described(555, "/usr/sbin/cron", { "cron", "-f" }, "cron");
        QCOMPARE(f.name(555), std::string("cron"));
        QCOMPARE(f.argv(*f.execs(555).back()), (std::vector<std::string> { "cron", "-f" }));
        f.build.snapshot(555, 1, "cron"); // a snapshot record fills the same node
        QVERIFY(!f.node(555).placeholder);
        QCOMPARE(f.lineage().node(f.node(555).parent).pid, 1u);
    }

    // Snapshot records that name each other as parents (a damaged file, or pids reused while
    // /proc was scanned) must not make a cycle: walks up the tree have to end.
    void snapshotParentCycleIsRefused()
    {
        Fixture f;
        f.build.snapshot(10, 11, "a");
        f.build.snapshot(11, 12, "b");
        f.build.snapshot(12, 10, "c"); // would close the loop 10 -> 11 -> 12 -> 10
        QCOMPARE(f.lineage().node(f.node(10).parent).pid, 11u);
        QCOMPARE(f.lineage().node(f.node(11).parent).pid, 12u);
        QCOMPARE(f.node(12).parent, kNoNode);
        QCOMPARE(f.node(12).parentPid, 10u); // what the record said is kept
        f.build.snapshot(20, 20, "self"); // its own parent
        QCOMPARE(f.node(20).parent, kNoNode);
    }

    void execTwice()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        f.build.exec(200);
        f.build.described(200, "/bin/sh", { "sh", "-c", "exec env" }, "sh");
        f.build.exec(200);
        f.build.described(200, "/usr/bin/env", { "env" }, "env");
        const auto execs = f.execs(200);
        QCOMPARE(execs.size(), 2u);
        QCOMPARE(f.argv(*execs[0]), (std::vector<std::string> { "sh", "-c", "exec env" }));
        QCOMPARE(f.argv(*execs[1]), (std::vector<std::string> { "env" }));
        QVERIFY(execs[0]->timestampNs < execs[1]->timestampNs);
        QCOMPARE(f.name(200), std::string("env"));
        // The event rows point at their exec.
        std::vector<const ExecInfo*> pointed;
        for (const auto& row : f.session.events()) {
            if (row.kind == EventKind::Exec)
                pointed.push_back(&f.lineage().exec(row.a));
        }
        QCOMPARE(pointed, execs);
    }

    // A description that arrives after a later exec still fills the exec it was read for.
    void describedOutOfOrder()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        f.build.exec(200);
        const std::uint64_t first = f.build.now();
        f.build.exec(200);
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = 200;
        p.eventTimestampNs = first;
        p.exe = "/bin/first";
        p.readable = capture::readable::kExe;
        f.session.apply(p);
        const auto execs = f.execs(200);
        QCOMPARE(execs.size(), 2u);
        QCOMPARE(f.session.strings().view(execs[0]->exe), std::string_view("/bin/first"));
        QCOMPARE(execs[1]->exe, 0u);
    }

    // The helper found the process gone: the description follows its exit and says so.
    void exitedBeforeItCouldBeRead()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sh");
        f.build.fork(100, 200);
        f.build.exec(200);
        const std::uint64_t execNs = f.build.now();
        f.build.advance(399'000);
        f.build.exit(200, 200, 0, 17, 100); // 400 us after the exec (each event adds 1 us)
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = 200;
        p.eventTimestampNs = execNs;
        p.comm = "true";
        p.readable = capture::readable::kComm | capture::readable::kIds | capture::readable::kExitedBeforeRead;
        f.session.apply(p);
        const auto execs = f.execs(200);
        QCOMPARE(execs.size(), 1u);
        QVERIFY(execs[0]->exitedBeforeRead);
        QVERIFY(execs[0]->described);
        QCOMPARE(execs[0]->argc, 0u);
        const NodeId node = f.lineage().find(200);
        const std::uint32_t execId = f.lineage().node(node).lastExec;
        QCOMPARE(exitedAfterNs(f.lineage().node(node), execId, *execs[0]), std::optional<std::uint64_t>(400'000));
        QCOMPARE(f.name(200), std::string("true"));

        // A described exec with its argv: no flag, no duration.
        f.build.fork(100, 300);
        f.build.exec(300);
        f.build.described(300, "/bin/true", { "true" }, "true");
        f.build.exit(300, 300, 0, 17, 100);
        const NodeId other = f.lineage().find(300);
        QVERIFY(!f.execs(300)[0]->exitedBeforeRead);
        QCOMPARE(exitedAfterNs(f.lineage().node(other), f.lineage().node(other).lastExec, *f.execs(300)[0]), std::nullopt);
    }

    void commFromAThread()
    {
        Fixture f;
        f.build.snapshot(100, 1, "firefox");
        f.build.fork(100, 105, 100);
        f.build.comm(105, 100, "DOM Worker");
        QCOMPARE(f.name(100), std::string("firefox")); // the process keeps the leader's name
        QCOMPARE(f.lastComm(100).tid, 105u);
        QCOMPARE(f.session.strings().view(f.lastComm(100).comm), std::string_view("DOM Worker"));
        f.build.comm(100, 100, "renamed");
        QCOMPARE(f.name(100), std::string("renamed"));
    }

    void credentialsSessionsTracingCores()
    {
        Fixture f;
        f.build.snapshot(100, 1, "sshd");
        f.build.uid(100, 1000, 1000);
        f.build.sid(100);
        f.build.ptrace(100, 900);
        QCOMPARE(f.node(100).ruid, 1000u);
        QVERIFY(f.node(100).sessionLeader);
        QCOMPARE(f.node(100).tracerTgid, 900u);
        f.build.ptrace(100, 0); // detach
        QCOMPARE(f.node(100).tracerTgid, 0u);
        f.build.coredump(100);
        f.build.exit(100, 100, 0x86, 17, 1);
        QVERIFY(f.node(100).coreDumped);
        QCOMPARE(f.node(100).exitStatus.value_or(0), 0x86u);
    }

    void notifications()
    {
        Session session;
        Recorder recorder;
        session.lineage().addListener(&recorder);
        SessionBuilder build(session);
        build.snapshot(100, 1, "sh"); // adds 100, then placeholder 1, links them
        build.fork(100, 200);
        build.exit(200, 200, 0, 17, 100);
        QCOMPARE(recorder.added, 3);
        QCOMPARE(recorder.links.size(), 2u);
        QCOMPARE(session.lineage().node(recorder.links[1].first).pid, 100u);
        QCOMPARE(session.lineage().node(recorder.links[1].second).pid, 200u);
        QVERIFY(recorder.changes >= 2);
    }

    // The status bar's count, kept as the lineage changes, must agree with counting every node
    // afresh at each step, through the cases where a process comes back or is not yet known.
    void runningCountFollowsEveryChange()
    {
        Fixture f;
        f.build.snapshot(1, 0, "systemd"); // counted before the count starts
        const RunningCount running(f.session.lineage());
        const auto counted = [&] {
            std::size_t n = 0;
            for (NodeId id = 0; id < f.lineage().size(); ++id)
                n += f.lineage().node(id).running() && !f.lineage().node(id).placeholder ? 1 : 0;
            return n;
        };
        QCOMPARE(running.count(), 1u);
        f.build.snapshot(50, 1, "bash");
        f.build.fork(50, 60);
        f.build.fork(50, 61);
        QCOMPARE(running.count(), 4u);
        f.build.exit(60, 60, 0, 17, 50);
        QCOMPARE(running.count(), 3u);
        f.build.exec(777); // a process never seen: a placeholder, not counted
        QCOMPARE(running.count(), counted());
        f.build.fork(61, 70, 61); // a thread of 61
        f.build.exit(61, 61, 0, 17, 50); // the leader exits first...
        QCOMPARE(running.count(), counted());
        f.build.exec(61); // ...and a thread's exec brings the process back
        QCOMPARE(running.count(), counted());
        f.build.fork(50, 60); // pid 60 again: a new process
        QCOMPARE(running.count(), counted());
        f.build.fork(1, 61); // 61 reused although its exit was missed: the old one ended
        QCOMPARE(running.count(), counted());
        QCOMPARE(running.count(), 4u); // systemd, bash, the new 60, the new 61; 777 unknown
    }
};

QTEST_APPLESS_MAIN(TestLineage)
#include "tst_lineage.moc"
