// SPDX-License-Identifier: GPL-3.0-or-later
// Timeline lanes for known trees: a parent's lane precedes its children's, no two bars of a
// lane overlap, lanes are reused once free, and live updates place only what is new.

#include "support/session_builder.h"

#include "capture/records.h"
#include "session/timeline_layout.h"

#include <QTest>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

namespace {

// Every invariant the view relies on. A bool for QVERIFY at the call (a QVERIFY in here would
// only return from this function, and the test would go on); the first broken one is logged.
bool invariantsHold(const Session& session, const TimelineLayout& layout)
{
    const Lineage& lineage = session.lineage();
    for (NodeId id = 0; id < lineage.size(); ++id) {
        if (layout.laneOf(id) == TimelineLayout::kNoLane) {
            qWarning("node %u (pid %u) has no lane", id, lineage.node(id).pid);
            return false;
        }
        const NodeId parent = lineage.node(id).parent;
        if (parent != kNoNode && layout.laneOf(parent) >= layout.laneOf(id)) {
            qWarning("node %u (pid %u) is in lane %u, not below its parent's lane %u", id, lineage.node(id).pid, layout.laneOf(id), layout.laneOf(parent));
            return false;
        }
    }
    for (std::size_t l = 0; l < layout.laneCount(); ++l) {
        std::uint64_t previousEnd = 0;
        for (const auto& [start, bar] : layout.lane(l)) {
            if (start < previousEnd) {
                qWarning("two bars overlap in lane %zu: one starts at %llu, the one before ends at %llu", l, static_cast<unsigned long long>(start), static_cast<unsigned long long>(previousEnd));
                return false;
            }
            previousEnd = bar.endNs;
        }
    }
    return true;
}

} // namespace

class TestTimelineLayout : public QObject {
    Q_OBJECT

private slots:
    void knownTree()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.fork(1, 10); // make
        build.fork(10, 11); // cc, then as, one after the other
        build.exit(11, 11, 0);
        build.fork(10, 12);
        build.exit(12, 12, 0);
        build.fork(10, 13); // overlaps 14
        build.fork(10, 14);
        build.exit(13, 13, 0);
        build.exit(14, 14, 0);
        TimelineLayout layout;
        // The check can fail: nothing is placed yet.
        QTest::ignoreMessage(QtWarningMsg, "node 0 (pid 1) has no lane");
        QVERIFY(!invariantsHold(session, layout));
        layout.update(session.lineage(), 1'000'000'000);
        QVERIFY(invariantsHold(session, layout));
        const auto lane = [&](std::uint32_t pid) { return layout.laneOf(session.lineage().find(pid)); };
        QCOMPARE(lane(1), 0u);
        QCOMPARE(lane(10), 1u);
        QCOMPARE(lane(11), 2u); // right below its parent
        QCOMPARE(lane(12), 2u); // 11 had ended: the lane is reused
        QCOMPARE(lane(13), 2u);
        QCOMPARE(lane(14), 3u); // 13 still runs: the next lane
        QCOMPARE(layout.laneCount(), std::size_t { 4 });
    }

    void parentKnownAfterItsChild()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(50, 900, "worker"); // 900 is only a placeholder when 50 arrives
        build.snapshot(900, 1, "supervisor");
        build.snapshot(1, 0, "systemd");
        TimelineLayout layout;
        layout.update(session.lineage(), 1'000'000'000);
        QVERIFY(invariantsHold(session, layout));
    }

    void kernelThreadsCanBeLeftOut()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.snapshot(2, 0, "kthreadd");
        build.snapshot(30, 2, "kworker/0:1");
        build.snapshot(31, 2, "ksoftirqd/0");
        build.fork(1, 40);
        build.fork(2, 41); // a kernel thread started during the capture
        build.fork(40, 42); // the user's processes keep their lanes
        TimelineLayout layout;
        layout.setSkipKernelThreads(true);
        layout.update(session.lineage(), 1'000'000'000);
        const auto lane = [&](std::uint32_t pid) { return layout.laneOf(session.lineage().find(pid)); };
        for (const std::uint32_t pid : { 2u, 30u, 31u, 41u })
            QCOMPARE(lane(pid), TimelineLayout::kNoLane);
        QCOMPARE(lane(1), 0u);
        QCOMPARE(lane(40), 1u);
        QCOMPARE(lane(42), 2u);
        QCOMPARE(layout.laneCount(), std::size_t { 3 });
        // A skipped root takes its descendants with it.
        TimelineLayout withoutHelper;
        withoutHelper.setSkippedRoots({ session.lineage().find(40) });
        withoutHelper.update(session.lineage(), 1'000'000'000);
        QCOMPARE(withoutHelper.laneOf(session.lineage().find(40)), TimelineLayout::kNoLane);
        QCOMPARE(withoutHelper.laneOf(session.lineage().find(42)), TimelineLayout::kNoLane);
        QVERIFY(withoutHelper.laneOf(session.lineage().find(41)) != TimelineLayout::kNoLane);
        // Without the option, all of them are laid out.
        TimelineLayout all;
        all.update(session.lineage(), 1'000'000'000);
        QVERIFY(invariantsHold(session, all));
        QVERIFY(all.laneOf(session.lineage().find(41)) != TimelineLayout::kNoLane);
    }

    void aBudgetSpreadsTheWorkAndGivesTheSameLanes()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        for (std::uint32_t pid = 10; pid < 400; ++pid) {
            build.fork(pid % 7 == 0 || pid == 10 ? 1 : pid - 1, pid);
            if (pid % 3)
                build.exit(pid, pid, 0);
        }
        TimelineLayout whole;
        QVERIFY(whole.update(session.lineage(), 1'000'000'000));
        TimelineLayout sliced;
        int calls = 0;
        while (!sliced.update(session.lineage(), 1'000'000'000, 50)) {
            ++calls;
            QVERIFY(sliced.placedCount() < session.lineage().size());
        }
        QVERIFY(calls >= 6); // 391 processes, about 50 a call
        QVERIFY(invariantsHold(session, sliced));
        for (NodeId id = 0; id < session.lineage().size(); ++id)
            QCOMPARE(sliced.laneOf(id), whole.laneOf(id));
    }

    void liveUpdatesPlaceWhatIsNew()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        TimelineLayout layout;
        layout.update(session.lineage(), 1'000'000'000);
        build.fork(1, 20);
        layout.update(session.lineage(), 1'000'000'000);
        const std::uint32_t before = layout.laneOf(session.lineage().find(20));
        build.exit(20, 20, 0);
        for (std::uint32_t pid = 21; pid < 60; ++pid) {
            build.fork(pid % 3 == 0 ? 1 : pid - 1, pid);
            if (pid % 2)
                build.exit(pid, pid, 0);
            layout.update(session.lineage(), 1'000'000'000);
            QVERIFY(invariantsHold(session, layout));
        }
        QCOMPARE(layout.laneOf(session.lineage().find(20)), before); // placed bars never move
        // The bar of 20 was shortened when it exited: a later sibling reused its lane.
        bool reused = false;
        for (const auto& [start, bar] : layout.lane(before))
            reused = reused || (bar.node != session.lineage().find(20) && start > layout.startOf(session.lineage().find(20)));
        QVERIFY(reused);
    }

    // A second host joins a live capture: its band opens below the first, which gains its
    // header lane (every lane of it moves down one); bars never share a band, and the
    // invariants hold after each update, whichever host's processes come first.
    void aHostJoiningLiveOpensItsOwnBand()
    {
        Session session;
        const auto onHost = [&](std::uint16_t index) { session.apply(capture::HostRecord { index, index ? "build1" : "desk", {} }); };
        onHost(1); // the second host speaks first
        SessionBuilder build1(session);
        build1.snapshot(1, 0, "init");
        build1.fork(1, 30);
        TimelineLayout layout;
        layout.update(session.lineage(), 1'000'000'000);
        QVERIFY(invariantsHold(session, layout));
        QCOMPARE(layout.headerOf(0), -1); // one band: no header
        const std::uint32_t alone = layout.laneOf(session.lineage().find(30, 1));
        onHost(0);
        SessionBuilder desk(session);
        desk.snapshot(1, 0, "systemd");
        for (std::uint32_t pid = 10; pid < 15; ++pid)
            desk.fork(1, pid);
        layout.update(session.lineage(), 1'000'000'000);
        QVERIFY(invariantsHold(session, layout));
        QCOMPARE(layout.headerOf(0), 0); // desk's band comes first, host order
        const std::uint32_t deskLast = layout.laneOf(session.lineage().find(14, 0));
        std::size_t second = 0;
        for (std::size_t l = 0; l < layout.laneCount(); ++l)
            second = layout.headerOf(l) == 1 ? l : second;
        QVERIFY(second > deskLast);
        QCOMPARE(layout.laneOf(session.lineage().find(30, 1)), std::uint32_t(second + 1 + alone));
        QVERIFY(layout.lane(second).empty());
    }
};

QTEST_MAIN(TestTimelineLayout)
#include "tst_timeline_layout.moc"
