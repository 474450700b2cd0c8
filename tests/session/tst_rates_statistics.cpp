// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/session_builder.h"

#include "session/statistics.h"

#include <QTest>
#include <limits>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

class TestRatesStatistics : public QObject {
    Q_OBJECT

private slots:
    void bucketsAndRanges()
    {
        Rates rates;
        rates.setOrigin(1'000'000'000);
        rates.add(EventKind::Fork, 1'000'000'000); // bucket 0
        rates.add(EventKind::Fork, 1'099'999'999); // bucket 0
        rates.add(EventKind::Exit, 1'100'000'000); // bucket 1
        rates.add(EventKind::Exec, 1'550'000'000); // bucket 5
        rates.add(EventKind::Fork, 999'990'000); // before the origin (another CPU's clock): bucket 0
        QCOMPARE(rates.bucketCount(), 6u);
        QCOMPARE(rates.bucket(0)[std::size_t(EventKind::Fork)], 3u);
        QCOMPARE(rates.bucket(1)[std::size_t(EventKind::Exit)], 1u);
        QCOMPARE(rates.bucket(3)[std::size_t(EventKind::Fork)], 0u);
        const auto all = rates.total(1'000'000'000, 2'000'000'000);
        QCOMPARE(all[std::size_t(EventKind::Fork)], 3u);
        QCOMPARE(all[std::size_t(EventKind::Exec)], 1u);
        const auto middle = rates.total(1'100'000'000, 1'500'000'000); // buckets 1..4
        QCOMPARE(middle[std::size_t(EventKind::Exit)], 1u);
        QCOMPARE(middle[std::size_t(EventKind::Exec)], 0u);
        QCOMPARE(rates.total(5, 5)[std::size_t(EventKind::Fork)], 0u);
    }

    // A damaged timestamp must not size the table: beyond the span it is counted, not bucketed;
    // within the span only the page it falls in is allocated, and the buckets between read as zero.
    void farTimestampsAreCountedNotAllocated()
    {
        Rates rates;
        rates.setOrigin(1'000'000'000);
        QVERIFY(rates.add(EventKind::Fork, 1'000'000'000));
        QVERIFY(!rates.add(EventKind::Fork, std::numeric_limits<std::uint64_t>::max()));
        QVERIFY(!rates.add(EventKind::Exit, 1'000'000'000 + Rates::kMaxSpanNs + 1));
        QCOMPARE(rates.bucketCount(), 1u);
        QCOMPARE(rates.outOfRange(), 2u);

        const std::uint64_t thirtyDays = 30 * kNsPerDay;
        QVERIFY(rates.add(EventKind::Exec, 1'000'000'000 + thirtyDays));
        QCOMPARE(rates.bucketCount(), std::size_t(thirtyDays / Rates::kBucketNs + 1));
        QCOMPARE(rates.bucket(rates.bucketCount() - 1)[std::size_t(EventKind::Exec)], 1u);
        QCOMPARE(rates.bucket(rates.bucketCount() / 2)[std::size_t(EventKind::Exec)], 0u);
        QCOMPARE(rates.bucket(rates.bucketCount() + 1000)[std::size_t(EventKind::Exec)], 0u); // past the end: zero
        const auto all = rates.total(0, std::numeric_limits<std::uint64_t>::max());
        QCOMPARE(all[std::size_t(EventKind::Fork)], 1u);
        QCOMPARE(all[std::size_t(EventKind::Exec)], 1u);
        QCOMPARE(all[std::size_t(EventKind::Exit)], 0u);
    }

    void farBeforeTheOriginIsOutOfRange()
    {
        Rates rates;
        rates.setOrigin(Rates::kMaxSpanNs + 5'000'000'000);
        QVERIFY(rates.add(EventKind::Fork, Rates::kMaxSpanNs + 4'000'000'000)); // a second early: bucket 0
        QVERIFY(!rates.add(EventKind::Fork, 1'000'000'000));
        QCOMPARE(rates.outOfRange(), 1u);
        QCOMPARE(rates.bucket(0)[std::size_t(EventKind::Fork)], 1u);
    }

    void statisticsOfAKnownSession()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(1, 0, "init");
        build.snapshot(100, 1, "make");
        for (std::uint32_t child = 200; child < 205; ++child) {
            build.fork(100, child);
            build.exec(child);
            build.described(child, "/usr/bin/cc", { "cc" }, "cc");
        }
        build.fork(1, 300);
        build.exec(300);
        build.described(300, "/usr/bin/sleep", { "sleep" }, "sleep");
        build.exit(200, 200, 0, 17, 100);
        build.exit(201, 201, 0x200, 17, 100); // exit 2
        build.exit(202, 202, 9, 17, 100); // SIGKILL
        build.exit(203, 203, 0x8b, 17, 100); // SIGSEGV, core
        build.advance(2'000'000'000);
        build.exit(300, 300, 15, 17, 1); // SIGTERM, after 2 s: not short-lived
        session.apply(capture::LossRecord { capture::LossReason::SequenceGap, 0, 7, build.now() });
        session.apply(capture::LossRecord { capture::LossReason::OutputBuffer, protocol::kNoCpu, 2, build.now() });

        const Statistics stats = computeStatistics(session);
        QCOMPARE(stats.eventsByKind[std::size_t(EventKind::Fork)], 6u);
        QCOMPARE(stats.eventsByKind[std::size_t(EventKind::Exec)], 6u);
        QCOMPARE(stats.eventsByKind[std::size_t(EventKind::Exit)], 5u);
        QCOMPARE(stats.eventsByKind[std::size_t(EventKind::Loss)], 2u);
        QCOMPARE(stats.processesSeen, 8u);
        QCOMPARE(stats.processesStarted, 6u);
        QCOMPARE(stats.processesExited, 5u);
        QCOMPARE(stats.shortLived, 4u);
        QCOMPARE(stats.nonzeroExits, 1u);
        QCOMPARE(stats.killedBySignal, (std::map<int, std::uint64_t> { { 9, 1 }, { 11, 1 }, { 15, 1 } }));
        QCOMPARE(stats.coreDumps, 1u);
        QCOMPARE(stats.topCommands.at(0), (std::pair<std::string, std::uint64_t> { "cc", 5 }));
        QCOMPARE(stats.topCommands.at(1), (std::pair<std::string, std::uint64_t> { "sleep", 1 }));
        QCOMPARE(session.lineage().node(stats.topParents.at(0).first).pid, 100u);
        QCOMPARE(stats.topParents.at(0).second, 5u);
        QCOMPARE(stats.losses[std::size_t(capture::LossReason::SequenceGap) - 1], 7u);
        QCOMPARE(stats.losses[std::size_t(capture::LossReason::OutputBuffer) - 1], 2u);
        QCOMPARE(session.totalLost(), 9u);
    }
};

QTEST_APPLESS_MAIN(TestRatesStatistics)
#include "tst_rates_statistics.moc"
