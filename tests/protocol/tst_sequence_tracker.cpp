// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/constants.h"
#include "protocol/sequence_tracker.h"

#include <QTest>

using namespace procscope::protocol;

using Observation = QList<QPair<quint32, quint32>>; // cpu, seq

class TestSequenceTracker : public QObject {
    Q_OBJECT

private slots:
    void gaps_data()
    {
        QTest::addColumn<Observation>("observations");
        QTest::addColumn<quint64>("lost");
        QTest::addColumn<quint64>("gaps");
        QTest::addColumn<quint64>("outOfOrder");
        QTest::newRow("nothing") << Observation {} << 0ull << 0ull << 0ull;
        QTest::newRow("first seq starts the count") << Observation { { 0, 500 } } << 0ull << 0ull << 0ull;
        QTest::newRow("consecutive") << Observation { { 0, 1 }, { 0, 2 }, { 0, 3 } } << 0ull << 0ull << 0ull;
        QTest::newRow("one lost") << Observation { { 0, 1 }, { 0, 3 } } << 1ull << 1ull << 0ull;
        QTest::newRow("five lost") << Observation { { 0, 10 }, { 0, 16 } } << 5ull << 1ull << 0ull;
        QTest::newRow("two gaps") << Observation { { 0, 1 }, { 0, 3 }, { 0, 4 }, { 0, 10 } } << 6ull << 2ull << 0ull;
        QTest::newRow("cpus counted separately") << Observation { { 0, 1 }, { 1, 100 }, { 0, 2 }, { 1, 101 } } << 0ull << 0ull << 0ull;
        QTest::newRow("gap on one cpu only") << Observation { { 0, 1 }, { 1, 100 }, { 0, 2 }, { 1, 110 } } << 9ull << 1ull << 0ull;
        QTest::newRow("wraparound without loss") << Observation { { 0, 0xFFFFFFFE }, { 0, 0xFFFFFFFF }, { 0, 0 }, { 0, 1 } } << 0ull << 0ull << 0ull;
        QTest::newRow("wraparound with loss") << Observation { { 0, 0xFFFFFFFE }, { 0, 1 } } << 2ull << 1ull << 0ull;
        QTest::newRow("loss ending exactly at wrap") << Observation { { 0, 0xFFFFFFFD }, { 0, 0 } } << 2ull << 1ull << 0ull;
        QTest::newRow("repeat is not loss") << Observation { { 0, 5 }, { 0, 5 } } << 0ull << 0ull << 1ull;
        QTest::newRow("backwards is not loss") << Observation { { 0, 5 }, { 0, 2 }, { 0, 3 } } << 0ull << 0ull << 1ull;
        QTest::newRow("old-kernel ack cpu ignored") << Observation { { 0, 1 }, { kNoCpu, 77 }, { 0, 2 } } << 0ull << 0ull << 0ull;
        QTest::newRow("absurd cpu ignored") << Observation { { 70000, 1 }, { 70000, 9 } } << 0ull << 0ull << 0ull;
        QTest::newRow("high cpu number") << Observation { { 4095, 1 }, { 4095, 4 } } << 2ull << 1ull << 0ull;
        QTest::newRow("half the space is loss") << Observation { { 0, 0 }, { 0, 0x80000001 } } << 0x80000000ull << 1ull << 0ull;
    }

    void gaps()
    {
        QFETCH(Observation, observations);
        QFETCH(quint64, lost);
        QFETCH(quint64, gaps);
        QFETCH(quint64, outOfOrder);
        SequenceTracker tracker;
        for (const auto& [cpu, seq] : observations)
            (void)tracker.observe(cpu, seq);
        QCOMPARE(tracker.totalLost(), lost);
        QCOMPARE(tracker.gapCount(), gaps);
        QCOMPARE(tracker.outOfOrder(), outOfOrder);
    }

    void gapDetails()
    {
        SequenceTracker tracker;
        QVERIFY(!tracker.observe(1, 41));
        const auto gap = tracker.observe(1, 45);
        QVERIFY(gap);
        QCOMPARE(gap->cpu, 1u);
        QCOMPARE(gap->expected, 42u);
        QCOMPARE(gap->received, 45u);
        QCOMPARE(gap->lost, 3ull);
        QVERIFY(!tracker.observe(1, 46));
    }

    void resetForgetsEverything()
    {
        SequenceTracker tracker;
        (void)tracker.observe(0, 1);
        (void)tracker.observe(0, 5);
        QCOMPARE(tracker.totalLost(), 3ull);
        tracker.reset();
        QCOMPARE(tracker.totalLost(), 0ull);
        QVERIFY(!tracker.observe(0, 100)); // first again after reset
    }
};

QTEST_APPLESS_MAIN(TestSequenceTracker)
#include "tst_sequence_tracker.moc"
