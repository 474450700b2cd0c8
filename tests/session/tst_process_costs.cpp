// SPDX-License-Identifier: GPL-3.0-or-later
// What each process cost: threads added up into their process, subtree totals kept up to date
// as figures and parents arrive, damage counted, and the same names and values in the display
// filter and the exports.

#include "session/cost_fields.h"
#include "session/display_filter.h"
#include "session/exporters.h"
#include "session/summary.h"
#include "support/session_builder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <algorithm>
#include <set>
#include <sstream>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

namespace {

constexpr std::uint64_t kMs = 1'000'000;
constexpr std::uint64_t kMiB = 1 << 20;

capture::TaskCostRecord figures(std::uint32_t pid, std::uint32_t tgid, std::uint64_t cpuNs, std::uint64_t rss, bool groupEnded = true,
    std::uint16_t flags = 0)
{
    capture::TaskCostRecord r;
    r.flags = std::uint16_t(flags | (groupEnded ? capture::cost_flags::kGroupEnded : 0));
    r.figures.pid = pid;
    r.figures.tgid = tgid;
    r.figures.userNs = cpuNs * 3 / 4;
    r.figures.systemNs = cpuNs - r.figures.userNs;
    r.figures.maxRssBytes = rss;
    r.figures.readBytes = 4096;
    r.figures.writeBytes = 2 * 4096;
    r.figures.minorFaults = 10;
    r.figures.groupEnded = groupEnded;
    return r;
}

std::vector<std::size_t> matching(const Session& session, const std::string& expression)
{
    auto compiled = DisplayFilter::compile(expression);
    if (!std::holds_alternative<DisplayFilter>(compiled))
        return { SIZE_MAX };
    std::vector<std::size_t> rows;
    for (std::size_t row = 0; row < session.events().size(); ++row) {
        if (std::get<DisplayFilter>(compiled).matches(session, row))
            rows.push_back(row);
    }
    return rows;
}

std::string errorOf(const std::string& expression)
{
    auto compiled = DisplayFilter::compile(expression);
    const auto* error = std::get_if<FilterError>(&compiled);
    return error ? error->message : std::string();
}

// make (1) -> cc (100, with thread 101) -> cc1 (200); ls (300) beside cc.
struct Build {
    Session session;
    SessionBuilder b { session };
    Build()
    {
        b.snapshot(1, 0, "make");
        b.fork(1, 100);
        b.fork(100, 101, 100); // a thread
        b.fork(100, 200);
        b.fork(1, 300);
    }
    NodeId node(std::uint32_t pid) const { return session.lineage().find(pid); }
};

} // namespace

class TestProcessCosts : public QObject {
    Q_OBJECT

private slots:
    void threadsAddUpIntoTheirProcess()
    {
        Build f;
        QVERIFY(!f.session.costs().any());
        f.session.apply(figures(101, 100, 10 * kMs, 5 * kMiB, false));
        const ProcessCost* cc = f.session.costs().own(f.node(100));
        QVERIFY(cc);
        QVERIFY(!cc->complete);
        f.session.apply(figures(100, 100, 20 * kMs, 6 * kMiB));
        QCOMPARE(cc->cpuNs(), 30 * kMs);
        QCOMPARE(cc->maxRssBytes, 6 * kMiB); // shared by the threads: the largest, not the sum
        QCOMPARE(cc->writeBytes, 4 * 4096u);
        QCOMPARE(cc->tasks, 2);
        QVERIFY(cc->complete);
        QCOMPARE(f.session.costs().own(f.node(200)), nullptr);
    }

    void subtreesAreKeptUpToDate()
    {
        Build f;
        f.session.apply(figures(200, 200, 50 * kMs, 30 * kMiB));
        QCOMPARE(f.session.costs().subtree(f.node(1)).cpuNs, 50 * kMs);
        QCOMPARE(f.session.costs().subtree(f.node(100)).cpuNs, 50 * kMs);
        f.session.apply(figures(100, 100, 20 * kMs, 6 * kMiB));
        f.session.apply(figures(300, 300, 1 * kMs, 2 * kMiB));
        f.session.apply(figures(1, 1, 4 * kMs, 3 * kMiB, true, capture::cost_flags::kRunning));
        const SubtreeCost root = f.session.costs().subtree(f.node(1));
        QCOMPARE(root.cpuNs, 75 * kMs);
        QCOMPARE(root.maxRssBytes, 41 * kMiB);
        QCOMPARE(root.writeBytes, 4 * 8192u);
        QCOMPARE(f.session.costs().subtree(f.node(100)).cpuNs, 70 * kMs);
        QCOMPARE(f.session.costs().subtree(f.node(300)).cpuNs, 1 * kMs);
    }

    // A process that learns its parent late brings what its subtree cost along.
    void aLateParentGetsTheSubtree()
    {
        Session session;
        SessionBuilder b(session);
        b.snapshot(1, 0, "init");
        b.exec(600); // never seen forked: a node without a parent
        b.fork(600, 601);
        session.apply(figures(601, 601, 7 * kMs, kMiB));
        QCOMPARE(session.costs().subtree(session.lineage().find(1)).cpuNs, 0u);
        b.snapshot(600, 1, "late"); // now its parent is known
        QCOMPARE(session.costs().subtree(session.lineage().find(1)).cpuNs, 7 * kMs);
    }

    // The helper reads figures in batches: a process that lived less than a batch may have its
    // figures in the stream before its fork. They wait for it.
    void figuresBeforeTheirFork()
    {
        Build f;
        f.session.apply(figures(400, 400, 3 * kMs, kMiB));
        QCOMPARE(f.session.costs().tally().unknownProcess, 1u);
        f.b.fork(1, 400);
        QCOMPARE(f.session.costs().tally().unknownProcess, 0u);
        QVERIFY(f.session.costs().own(f.node(400)));
        QCOMPARE(f.session.costs().subtree(f.node(1)).cpuNs, 3 * kMs);
    }

    // A pid is reused: figures of the earlier process (never seen) must not land on the later one.
    void figuresOfAnEarlierProcessWithTheSamePid()
    {
        Session session;
        SessionBuilder b(session);
        b.snapshot(1, 0, "init");
        auto daemon = figures(500, 500, 3600'000 * kMs, 50 * kMiB); // an hour of CPU, taken now
        daemon.timestampNs = b.now();
        session.apply(daemon);
        b.advance(2'000'000'000);
        b.fork(1, 500); // a new, short process takes the pid
        const NodeId fresh = session.lineage().find(500);
        QCOMPARE(session.costs().own(fresh), nullptr);
        QCOMPARE(session.costs().tally().unknownProcess, 1u);
        auto own = figures(500, 500, 2 * kMs, kMiB);
        own.timestampNs = b.now() + 1000;
        session.apply(own);
        QCOMPARE(session.costs().own(fresh)->cpuNs(), 2 * kMs);
        QCOMPARE(session.costs().tally().duplicated, 0u);
        // A process running at the stop that the capture never saw is not the capture's: left out
        // without counting as damage.
        session.apply(figures(777, 777, kMs, kMiB, true, capture::cost_flags::kRunning));
        QCOMPARE(session.costs().tally().unknownProcess, 1u);
    }

    void damageIsCounted()
    {
        Build f;
        f.session.apply(figures(100, 100, 20 * kMs, 6 * kMiB));
        f.session.apply(figures(100, 100, 20 * kMs, 6 * kMiB)); // the same again
        f.session.apply(figures(100, 100, 5 * kMs, kMiB, true, capture::cost_flags::kRunning));
        f.session.apply(figures(9999, 9999, 1 * kMs, kMiB)); // never seen
        const CostTally tally = f.session.costs().tally();
        QCOMPARE(tally.records, 4u);
        QCOMPARE(tally.duplicated, 2u);
        QCOMPARE(tally.unknownProcess, 1u);
        QCOMPARE(f.session.costs().own(f.node(100))->cpuNs(), 20 * kMs);
        QCOMPARE(f.session.costs().subtree(f.node(1)).cpuNs, 20 * kMs);
        const std::string summary = summarize(f.session);
        QVERIFY2(summary.find("cost damage: 1 figures for processes not in the capture, 2 duplicated figures") != std::string::npos, summary.c_str());
    }

    // At the stop, a running process's figures (from /proc, the whole process) replace what its
    // ended threads added.
    void runningFiguresReplaceThreadSums()
    {
        Build f;
        f.session.apply(figures(101, 100, 10 * kMs, 5 * kMiB, false));
        f.session.apply(figures(100, 100, 40 * kMs, 9 * kMiB, false, capture::cost_flags::kRunning));
        const ProcessCost* cc = f.session.costs().own(f.node(100));
        QVERIFY(cc->running);
        QCOMPARE(cc->cpuNs(), 40 * kMs);
        QCOMPARE(f.session.costs().subtree(f.node(1)).cpuNs, 40 * kMs);
    }

    void quantities_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("unit");
        QTest::addColumn<qint64>("value"); // -1: refused
        const int ns = int(CostUnit::Nanoseconds), bytes = int(CostUnit::Bytes), count = int(CostUnit::Count);
        QTest::newRow("bare ns") << u"1500"_qs << ns << qint64(1500);
        QTest::newRow("1.5s") << u"1.5s"_qs << ns << qint64(1'500'000'000);
        QTest::newRow("200ms") << u"200ms"_qs << ns << qint64(200'000'000);
        QTest::newRow("40us") << u"40us"_qs << ns << qint64(40'000);
        QTest::newRow("2min") << u"2min"_qs << ns << qint64(120'000'000'000);
        QTest::newRow("1h") << u"1h"_qs << ns << qint64(3'600'000'000'000);
        QTest::newRow("100MiB") << u"100MiB"_qs << bytes << qint64(100 * kMiB);
        QTest::newRow("2G") << u"2G"_qs << bytes << qint64(2LL << 30);
        QTest::newRow("1.5KiB") << u"1.5KiB"_qs << bytes << qint64(1536);
        QTest::newRow("10MB") << u"10MB"_qs << bytes << qint64(10'000'000);
        QTest::newRow("12k") << u"12k"_qs << count << qint64(12'000);
        QTest::newRow("bytes for time") << u"10MiB"_qs << ns << qint64(-1);
        QTest::newRow("time for bytes") << u"1s"_qs << bytes << qint64(-1);
        QTest::newRow("unknown unit") << u"1.5x"_qs << ns << qint64(-1);
        QTest::newRow("two points") << u"1.2.3s"_qs << ns << qint64(-1);
        QTest::newRow("no digits") << u"s"_qs << ns << qint64(-1);
        QTest::newRow("beyond 63 bits") << u"99999999999h"_qs << ns << qint64(-1);
        QTest::newRow("huge bare") << u"99999999999999999999"_qs << bytes << qint64(-1);
    }

    void quantities()
    {
        QFETCH(QString, text);
        QFETCH(int, unit);
        QFETCH(qint64, value);
        const auto parsed = parseQuantity(text.toStdString(), CostUnit(unit));
        QCOMPARE(parsed.has_value(), value >= 0);
        if (parsed)
            QCOMPARE(qint64(*parsed), value);
    }

    // What "Apply as Filter" writes for a cost cell reads back as at most the value, so the
    // process itself is selected by `field >= quantity`.
    void filterQuantitiesRoundDown_data()
    {
        QTest::addColumn<qulonglong>("value");
        QTest::addColumn<int>("unit");
        QTest::addColumn<QString>("text");
        QTest::newRow("1.6749 s") << qulonglong(1'674'900'000) << int(CostUnit::Nanoseconds) << u"1.67s"_qs;
        QTest::newRow("999 ms") << qulonglong(999'999'999) << int(CostUnit::Nanoseconds) << u"999.99ms"_qs;
        QTest::newRow("840 us") << qulonglong(840'123) << int(CostUnit::Nanoseconds) << u"840.12us"_qs;
        QTest::newRow("17 ns") << qulonglong(17) << int(CostUnit::Nanoseconds) << u"17ns"_qs;
        QTest::newRow("203.13 MiB") << qulonglong(213'000'000) << int(CostUnit::Bytes) << u"203.13MiB"_qs;
        QTest::newRow("4 KiB") << qulonglong(4096) << int(CostUnit::Bytes) << u"4.00KiB"_qs;
        QTest::newRow("3 GiB") << qulonglong(3ull << 30) << int(CostUnit::Bytes) << u"3.00GiB"_qs;
        QTest::newRow("100 B") << qulonglong(100) << int(CostUnit::Bytes) << u"100B"_qs;
    }

    void filterQuantitiesRoundDown()
    {
        QFETCH(qulonglong, value);
        QFETCH(int, unit);
        QFETCH(QString, text);
        const std::string written = filterQuantity(value, CostUnit(unit));
        QCOMPARE(QString::fromStdString(written), text);
        const auto back = parseQuantity(written, CostUnit(unit));
        QVERIFY(back);
        QVERIFY2(std::uint64_t(*back) <= value, written.c_str());
        QVERIFY(double(value - std::uint64_t(*back)) <= 0.01 * double(value) + 1);
    }

    void formats()
    {
        QCOMPARE(formatQuantity(0, CostUnit::Nanoseconds), std::string("0 s"));
        QCOMPARE(formatQuantity(0, CostUnit::Count), std::string("0"));
        QCOMPARE(formatQuantity(850'000, CostUnit::Nanoseconds), std::string("850 \u00b5s"));
        QCOMPARE(formatQuantity(1'234'000'000, CostUnit::Nanoseconds), std::string("1.23 s"));
        QCOMPARE(formatQuantity(312 * kMiB, CostUnit::Bytes), std::string("312 MiB"));
        QCOMPARE(formatQuantity(1234567, CostUnit::Count), std::string("1,234,567"));
    }

    void filterFields()
    {
        Build f;
        f.b.exit(200, 200, 0, 17, 100);
        f.b.exit(100, 100, 0, 17, 1);
        f.b.exit(300, 300, 0, 17, 1);
        f.session.apply(figures(200, 200, 1500 * kMs, 120 * kMiB));
        f.session.apply(figures(100, 100, 20 * kMs, 6 * kMiB));
        f.session.apply(figures(300, 300, 1 * kMs, 2 * kMiB));
        const auto pidsOf = [&](const std::string& expression) {
            std::set<std::uint32_t> pids;
            for (const std::size_t row : matching(f.session, expression))
                pids.insert(row == SIZE_MAX ? 0 : f.session.lineage().node(f.session.events()[row].node).pid);
            return pids;
        };
        QCOMPARE(pidsOf("cpu_time > 1.5s"), (std::set<std::uint32_t> {}));
        QCOMPARE(pidsOf("cpu_time >= 1.5s"), (std::set<std::uint32_t> { 200 }));
        QCOMPARE(pidsOf("max_rss > 100MiB"), (std::set<std::uint32_t> { 200 }));
        // (make, pid 1, has no events of its own here: forks are its children's rows.)
        QCOMPARE(pidsOf("tree.cpu_time > 1s"), (std::set<std::uint32_t> { 100, 200 }));
        QCOMPARE(pidsOf("tree.cpu_time > 1s and not cpu_time > 1s"), (std::set<std::uint32_t> { 100 }));
        QCOMPARE(pidsOf("parent.max_rss > 5MiB"), (std::set<std::uint32_t> { 200 }));
        QCOMPARE(pidsOf("write_bytes == 8KiB and minor_faults == 10"), (std::set<std::uint32_t> { 100, 200, 300 }));
        QCOMPARE(pidsOf("cpu_time"), (std::set<std::uint32_t> { 100, 200, 300 })); // present and non-zero
    }

    void filterErrorsNameTheUnit()
    {
        QCOMPARE(errorOf("cpu_time > 1.5x"), std::string("cpu_time is a time such as 1.5s, 200ms or 40us (a bare number is nanoseconds), not '1.5x'"));
        QCOMPARE(errorOf("max_rss > 1s"), std::string("max_rss is a size such as 100MiB, 4KiB or 2G (a bare number is bytes), not '1s'"));
        QCOMPARE(errorOf("tree.pid == 3"), std::string("no total with descendants for 'pid' (known: cpu_time, max_rss, read_bytes, write_bytes)"));
        QCOMPARE(errorOf("tree.max_rss > 1s"), std::string("tree.max_rss is a size such as 100MiB, 4KiB or 2G (a bare number is bytes), not '1s'").substr(5));
        QVERIFY(errorOf("cpu_time contains \"1\"").find("is a number") != std::string::npos);
    }

    // A process's exit line carries its figures under the filter's names, with the values the
    // filter compares: each `name == value` selects that exit (and, these being a process's
    // fields, the other events of processes with that value).
    void exportsUseTheFiltersNamesAndValues()
    {
        Build f;
        f.b.exit(200, 200, 0, 17, 100);
        auto record = figures(200, 200, 1500 * kMs, 120 * kMiB);
        record.figures.elapsedNs = 3 * kMs, record.figures.maxVmBytes = 300 * kMiB, record.figures.readChars = 77;
        record.figures.writeChars = 78, record.figures.majorFaults = 2, record.figures.voluntarySwitches = 5;
        record.figures.involuntarySwitches = 6, record.figures.cpuDelayNs = 7, record.figures.blkioDelayNs = 8;
        record.figures.swapinDelayNs = 9, record.figures.reclaimDelayNs = 10;
        f.session.apply(record);
        std::ostringstream out;
        exportJsonl(f.session, out, [&](std::size_t row) { return f.session.events()[row].kind == EventKind::Exit; });
        const QJsonObject line = QJsonDocument::fromJson(QByteArray::fromStdString(out.str())).object();
        QCOMPARE(line.value(u"event"_qs).toString(), u"exit"_qs);
        std::size_t checked = 0;
        const std::size_t exitRow = f.session.events().size() - 1;
        const auto check = [&](const char* name) {
            const QJsonValue value = line.value(QString::fromLatin1(name));
            QVERIFY2(value.isDouble(), name);
            const std::string expression = std::string(name) + " == " + std::to_string(qint64(value.toDouble()));
            const auto rows = matching(f.session, expression);
            QVERIFY2(std::find(rows.begin(), rows.end(), exitRow) != rows.end(), expression.c_str());
            ++checked;
        };
        for (const CostField& field : costFields())
            check(field.name);
        for (const SubtreeField& field : subtreeFields())
            check(field.name);
        QCOMPARE(checked, costFields().size() + subtreeFields().size());
        QCOMPARE(qint64(line.value(u"cpu_time"_qs).toDouble()), qint64(1500 * kMs));
        QCOMPARE(qint64(line.value(u"reclaim_delay"_qs).toDouble()), qint64(10));
    }

    void memoryPerProcess()
    {
        // Kept for every process once any figures came: small on purpose (the session's budget).
        QVERIFY(sizeof(ProcessCost) <= 128);
        QCOMPARE(sizeof(SubtreeCost), 32u);
        Session session;
        SessionBuilder b(session);
        b.snapshot(1, 0, "init");
        const std::size_t before = session.memoryBytes();
        session.apply(figures(1, 1, kMs, kMiB));
        QCOMPARE(session.memoryBytes() - before, sizeof(ProcessCost) + sizeof(SubtreeCost));
    }
};

QTEST_GUILESS_MAIN(TestProcessCosts)
#include "tst_process_costs.moc"
