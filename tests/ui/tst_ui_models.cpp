// SPDX-License-Identifier: GPL-3.0-or-later
// The window's models over hand-built streams, each with a QAbstractItemModelTester attached
// before any data arrives: inserts in batches, updates, exits, pid reuse, a placeholder parent
// filled in later (a move), a hostile parent cycle, kind toggles, the tree filter, and clear.

#include "support/session_builder.h"

#include "capture/records.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "models/display_text.h"
#include "models/event_table_model.h"
#include "models/process_table_model.h"
#include "models/process_tree_filter.h"
#include "models/row_runs.h"
#include "models/process_tree_model.h"
#include "views/details_pane.h"
#include "views/filter_expressions.h"
#include "views/event_table_view.h"
#include "views/process_tree_view.h"
#include "views/item_actions.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QMenu>
#include <QTableView>
#include <QTreeView>
#include <QSignalSpy>
#include "support/tree_search.h"

#include <QTest>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;
using namespace procscope::ui;

namespace {

constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

// The tree as text: "name[pid](child,child)" depth first, for comparing shapes.
QString shape(const QAbstractItemModel& model, const QModelIndex& parent = {})
{
    QStringList parts;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        QString part = index.data().toString() + u"["_qs + model.index(row, ProcessTreeModel::Pid, parent).data().toString() + u"]"_qs;
        const QString children = shape(model, index);
        if (!children.isEmpty())
            part += u"("_qs + children + u")"_qs;
        parts << part;
    }
    return parts.join(u',');
}

// Counts what the tree filter is asked to filter.
struct CountingTreeFilter : ProcessTreeFilter {
    mutable int accepted = 0;
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        ++accepted;
        return ProcessTreeFilter::filterAcceptsRow(row, parent);
    }
};

struct TreeFixture {
    Session session;
    ProcessTreeModel model;
    QAbstractItemModelTester tester { &model, kFatal };
    std::unique_ptr<SessionBuilder> build;
    TreeFixture()
    {
        model.setSession(&session); // attached before any data, as in a live capture
        build = std::make_unique<SessionBuilder>(session);
    }
};

} // namespace

class TestUiModels : public QObject {
    Q_OBJECT

private slots:
    // A child that has not exec'd shows the program its parent ran when it forked it: a script's
    // `$(...)` subshell keeps the script's command line after the script execs something else.
    void forkedChildShowsTheProgramItWasForkedFrom()
    {
        session::Session session;
        testing::SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.fork(1, 10);
        build.advance(1000);
        build.exec(10);
        build.described(10, "/usr/bin/bash", { "bash", "build.sh" }, "bash");
        build.advance(1000);
        build.fork(10, 11); // X=$(date): a subshell of the script
        build.advance(1000);
        build.exec(10); // exec real-program
        build.described(10, "/usr/bin/real-program-with-a-long-name", { "real-program-with-a-long-name", "--run" }, "real-program-wi");
        build.advance(1000);
        build.fork(10, 12); // forked by the new program
        build.fork(12, 13); // and its child, two forks down
        const auto& lineage = session.lineage();
        QCOMPARE(ui::commandLineText(session, lineage.find(11)), u"bash build.sh"_qs);
        QCOMPARE(ui::commandLineText(session, lineage.find(10)), u"real-program-with-a-long-name --run"_qs);
        QCOMPARE(ui::commandLineText(session, lineage.find(13)), u"real-program-with-a-long-name --run"_qs);
        QCOMPARE(ui::processNameText(session, lineage.node(lineage.find(10))), u"real-program-with-a-long-name"_qs);
        QCOMPARE(ui::processNameText(session, lineage.node(lineage.find(12))), u"real-program-with-a-long-name"_qs);
        QCOMPARE(ui::processNameText(session, lineage.node(lineage.find(11))), u"bash"_qs);
        // The details pane lists both programs 10 ran, an argument a line (a long one with a
        // hyphen is never split in two), and names the child's inherited command line.
        ui::DetailsPane pane;
        pane.setSession(&session);
        pane.showNode(lineage.find(10));
        const QString text = pane.toPlainText();
        QVERIFY2(text.contains(u"Programs run (exec history)"_qs), qPrintable(text));
        QVERIFY2(text.contains(u"bash\nbuild.sh"_qs), qPrintable(text));
        QVERIFY2(text.contains(u"real-program-with-a-long-name\n--run"_qs), qPrintable(text));
        pane.showNode(lineage.find(12));
        QVERIFY2(!pane.toPlainText().contains(u"Programs run"_qs), "a process that never exec'd has no exec history");
        // A child of a process only seen later (a placeholder) is not given a program.
        build.fork(500, 501);
        QCOMPARE(ui::commandLineText(session, lineage.find(501)), QString());
        QCOMPARE(ui::commandLineText(session, lineage.find(500)), u"(not seen starting)"_qs);
    }

    void treeNestsChildrenUnderTheirParent()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(100, 1, "bash", 1000);
        f.model.flush();
        f.build->fork(100, 200);
        f.build->exec(200);
        f.build->described(200, "/usr/bin/make", { "make", "-j2", "all targets" }, "make");
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1](bash[100](make[200]))"_qs);
        const QModelIndex make = findPid(f.model, 200);
        QCOMPARE(make.siblingAtColumn(ProcessTreeModel::CommandLine).data().toString(), u"make -j2 'all targets'"_qs);
        QCOMPARE(make.siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"running"_qs);
        QVERIFY(!findPid(f.model, 100).siblingAtColumn(ProcessTreeModel::User).data().toString().isEmpty());
    }

    // What each process cost, in its own columns and its ancestors' totals, updated live by
    // dataChanged (the tester checks every signal) and sorted by value, not by text.
    void costColumnsFollowFiguresAsTheyCome()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "make");
        f.build->fork(1, 100);
        f.build->fork(100, 200);
        f.build->fork(1, 300);
        f.model.flush();
        QCOMPARE(findPid(f.model, 200).siblingAtColumn(ProcessTreeModel::Cpu).data().toString(), QString());
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        capture::TaskCostRecord cost;
        cost.flags = capture::cost_flags::kGroupEnded;
        cost.figures.pid = cost.figures.tgid = 200;
        cost.figures.userNs = 1'500'000'000;
        cost.figures.maxRssBytes = 300u << 20;
        cost.figures.writeBytes = 8192;
        f.session.apply(cost);
        cost.figures.pid = cost.figures.tgid = 300;
        cost.figures.userNs = 9'000'000;
        cost.figures.maxRssBytes = 2u << 20;
        f.session.apply(cost);
        f.model.flush();
        QVERIFY(changed.count() >= 3); // 200, and its ancestors' totals
        const QModelIndex cc1 = findPid(f.model, 200);
        QCOMPARE(cc1.siblingAtColumn(ProcessTreeModel::Cpu).data().toString(), u"1.50 s"_qs);
        QCOMPARE(cc1.siblingAtColumn(ProcessTreeModel::Memory).data().toString(), u"300 MiB"_qs);
        QCOMPARE(cc1.siblingAtColumn(ProcessTreeModel::Written).data().toString(), u"8.00 KiB"_qs);
        QCOMPARE(findPid(f.model, 100).siblingAtColumn(ProcessTreeModel::Cpu).data().toString(), QString()); // none of its own
        QCOMPARE(findPid(f.model, 100).siblingAtColumn(ProcessTreeModel::TreeCpu).data().toString(), u"1.50 s"_qs);
        QCOMPARE(findPid(f.model, 1).siblingAtColumn(ProcessTreeModel::TreeCpu).data().toString(), u"1.51 s"_qs);
        QCOMPARE(cc1.siblingAtColumn(ProcessTreeModel::Cpu).data(Qt::TextAlignmentRole).value<Qt::Alignment>() & Qt::AlignRight, Qt::AlignRight);
        // "9.00 ms" sorts below "1.50 s" by value, though not as text.
        QVERIFY(findPid(f.model, 300).siblingAtColumn(ProcessTreeModel::Cpu).data(ItemRole::SortKeyRole).toULongLong()
            < cc1.siblingAtColumn(ProcessTreeModel::Cpu).data(ItemRole::SortKeyRole).toULongLong());
        QVERIFY(f.model.headerData(ProcessTreeModel::TreeCpu, Qt::Horizontal, Qt::ToolTipRole).toString().contains(u"tree.cpu_time"_qs));
        // "Apply as Filter" on a cost cell: this process and every costlier one.
        QCOMPARE(filterExpressionFor(f.session, f.session.lineage().find(200), CellKind::CostCpu), u"cpu_time >= 1.50s"_qs);
        QCOMPARE(filterExpressionFor(f.session, f.session.lineage().find(100), CellKind::CostTreeCpu), u"tree.cpu_time >= 1.50s"_qs);
        QCOMPARE(filterExpressionFor(f.session, f.session.lineage().find(100), CellKind::CostCpu), u"pid == 100"_qs); // no figures of its own
    }

    void oneInsertPerParentPerBatch()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(100, 1, "make");
        f.model.flush();
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        for (std::uint32_t child = 201; child <= 210; ++child)
            f.build->fork(100, child);
        f.build->fork(1, 300);
        f.model.flush();
        QCOMPARE(inserted.count(), 2); // one for make's ten children, one for systemd's child
        const QModelIndex make = findPid(f.model, 100);
        bool sawTen = false;
        for (const auto& args : inserted) {
            if (args[0].value<QModelIndex>() == make) {
                QCOMPARE(args[1].toInt(), 0);
                QCOMPARE(args[2].toInt(), 9);
                sawTen = true;
            }
        }
        QVERIFY(sawTen);
        QCOMPARE(f.model.rowCount(make), 10);
    }

    // A process that starts and ends between two updates is inserted as it is then: no change
    // signal follows for it (in a storm those signals cost more than the insertions).
    void aProcessBornAndGoneInOneUpdateIsInsertedAsItEnded()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 40);
        f.model.flush();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.build->fork(1, 60);
        f.build->exit(60, 60, 2 << 8);
        f.build->exit(40, 40, 0);
        f.model.flush();
        QCOMPARE(changed.count(), 1); // 40's, which was shown before
        QCOMPARE(changed.front().front().toModelIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 40u);
        QCOMPARE(findPid(f.model, 60).siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"exited 2"_qs);
    }

    void exitBecomesATombstoneWithItsStatus()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 50);
        f.build->fork(1, 51);
        f.build->fork(1, 52);
        f.model.flush();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.build->exit(50, 50, 3 << 8);
        f.build->exit(51, 51, 11 | 0x80); // SIGSEGV, core dumped
        f.build->exit(52, 52, 0);
        f.model.flush();
        // Three neighbours under one parent: one signal for their rows, not one each.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.front()[0].toModelIndex().row(), 0);
        QCOMPARE(changed.front()[1].toModelIndex().row(), 2);
        QCOMPARE(changed.front()[1].toModelIndex().parent(), findPid(f.model, 1));
        QCOMPARE(findPid(f.model, 50).siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"exited 3"_qs);
        QCOMPARE(findPid(f.model, 51).siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"killed by SIGSEGV (core dumped)"_qs);
        QCOMPARE(findPid(f.model, 52).siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"exited 0"_qs);
        QCOMPARE(findPid(f.model, 50).data(ItemRole::OutcomeRole).toInt(), int(ProcessOutcome::Failed));
        QCOMPARE(findPid(f.model, 51).data(ItemRole::OutcomeRole).toInt(), int(ProcessOutcome::Killed));
        QCOMPARE(findPid(f.model, 52).data(ItemRole::OutcomeRole).toInt(), int(ProcessOutcome::Succeeded));
        QVERIFY(!findPid(f.model, 52).siblingAtColumn(ProcessTreeModel::Duration).data().toString().isEmpty());
        // Tombstones stay in the tree.
        QCOMPARE(f.model.rowCount(findPid(f.model, 1)), 3);
    }

    // A storm ends thousands of processes between two updates: the tree and the process table
    // announce them in runs of rows per parent, and a row far from the others on its own.
    void changesAreAnnouncedInRunsOfRows()
    {
        TreeFixture f;
        ProcessTableModel table;
        QAbstractItemModelTester tableTester(&table, kFatal);
        table.setSession(&f.session);
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(100, 1, "make");
        for (std::uint32_t child = 1000; child < 1300; ++child)
            f.build->fork(100, child);
        f.build->fork(1, 5000);
        f.model.flush();
        table.flush();
        QSignalSpy treeChanged(&f.model, &QAbstractItemModel::dataChanged);
        QSignalSpy tableChanged(&table, &QAbstractItemModel::dataChanged);
        for (std::uint32_t child = 1000; child < 1300; ++child) {
            if (child != 1150) // one still runs: the run goes on over it
                f.build->exit(child, child, 0);
        }
        f.build->exit(5000, 5000, 0);
        f.model.flush();
        table.flush();
        const auto span = [](const QList<QVariant>& args) {
            return std::pair(args[0].toModelIndex().row(), args[1].toModelIndex().row());
        };
        QCOMPARE(treeChanged.count(), 2); // make's 300 children, and systemd's child 5000
        QList<std::pair<int, int>> treeSpans;
        for (const auto& args : treeChanged)
            treeSpans << span(args);
        QVERIFY(treeSpans.contains(std::pair(0, 299)));
        QVERIFY(treeSpans.contains(std::pair(1, 1))); // 5000 under systemd, after make
        // The table's rows are the processes in the order they became known: 1000..1299 are
        // rows 2..301 and 5000 is row 302, within the gap: one run.
        QCOMPARE(tableChanged.count(), 1);
        QCOMPARE(span(tableChanged.front()), std::pair(2, 302));
        QCOMPARE(findPid(f.model, 1299).siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"exited 0"_qs);
    }

    void rowRunsMergeNeighboursAndKeepDistantRowsApart()
    {
        // Sorted: 3, 3, 4, 5, 4+gap | 4+2*gap+1, 40 | 200.
        const auto runs = rowRuns({ 40, 3, 5, 3, 4, 4 + kRowRunGap, 200, 4 + 2 * kRowRunGap + 1 });
        QCOMPARE(runs.size(), 3u);
        QCOMPARE(runs[0].first, 3);
        QCOMPARE(runs[0].last, 4 + kRowRunGap); // within the gap of 5
        QCOMPARE(runs[1].first, 4 + 2 * kRowRunGap + 1); // one row more than the gap away
        QCOMPARE(runs[1].last, 40);
        QCOMPARE(runs[2].first, 200);
        QCOMPARE(runs[2].last, 200);
        QVERIFY(rowRuns({}).empty());
    }

    void changedNodesAreTakenOnceEach()
    {
        ChangedNodes changed;
        for (int round = 0; round < 3; ++round) {
            for (NodeId node = 0; node < 100'000; ++node)
                changed.add(100'000 - node);
        }
        auto taken = changed.take();
        QCOMPARE(taken.size(), 100'000u);
        QCOMPARE(taken.front(), 100'000u); // in the order they first changed
        std::sort(taken.begin(), taken.end());
        QVERIFY(std::adjacent_find(taken.begin(), taken.end()) == taken.end());
        QVERIFY(changed.take().empty());
        changed.add(7); // marks were cleared with the take
        QCOMPARE(changed.take(), std::vector<NodeId> { 7 });
    }

    // A parent of thousands opens folded: its name says how many it holds, kept up to date.
    void aCrowdedParentSaysHowManyChildrenItHas()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(100, 1, "make");
        const auto few = ProcessTreeModel::kChildCountShownFrom - 1;
        for (std::uint32_t child = 0; child < few; ++child)
            f.build->fork(100, 1000 + child);
        f.model.flush();
        QCOMPARE(findPid(f.model, 100).data().toString(), u"make"_qs);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.build->fork(100, 1000 + few);
        f.build->fork(100, 1001 + few);
        f.model.flush();
        const QModelIndex make = findPid(f.model, 100);
        QCOMPARE(make.data().toString(), u"make (%1 children)"_qs.arg(QLocale().toString(qulonglong(few + 2))));
        QVERIFY(std::any_of(changed.begin(), changed.end(), [&](const QList<QVariant>& args) { return args[0].toModelIndex() == make; }));
        QCOMPARE(findPid(f.model, 1000).data().toString(), u"make"_qs); // a child runs make too
    }

    void childrenStayUnderAParentThatExited()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 10);
        f.build->fork(10, 11);
        f.build->exit(10, 10, 0);
        f.model.flush();
        f.build->fork(11, 12);
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1](systemd[10](systemd[11](systemd[12])))"_qs);
    }

    void reusedPidIsANewRow()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 300);
        f.build->exit(300, 300, 0);
        f.model.flush();
        f.build->fork(1, 300);
        f.model.flush();
        const QModelIndex init = findPid(f.model, 1);
        QCOMPARE(f.model.rowCount(init), 2);
        QCOMPARE(init.model()->index(0, ProcessTreeModel::Status, init).data().toString(), u"exited 0"_qs);
        QCOMPARE(init.model()->index(1, ProcessTreeModel::Status, init).data().toString(), u"running"_qs);
    }

    void placeholderParentMovesWhenItsParentIsLearned()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(600, 601); // 600 is not known yet: a placeholder root for now
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1],(unknown)[600]((unknown)[601])"_qs);
        QSignalSpy moved(&f.model, &QAbstractItemModel::rowsMoved);
        f.build->snapshot(600, 1, "cron");
        f.model.flush();
        QCOMPARE(moved.count(), 1);
        // 601 was forked by cron and has not exec'd: it runs cron's program, and is named so.
        QCOMPARE(shape(f.model), u"systemd[1](cron[600](cron[601]))"_qs);
    }

    void snapshotChildBeforeItsParent()
    {
        TreeFixture f;
        // /proc order is by pid, so a child can be described before its parent (a higher pid).
        f.build->snapshot(50, 900, "worker");
        f.build->snapshot(900, 1, "supervisor");
        f.build->snapshot(1, 0, "systemd");
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1](supervisor[900](worker[50]))"_qs);
    }

    void hostileParentCycleDoesNotHang()
    {
        TreeFixture f;
        f.build->snapshot(700, 701, "a");
        f.build->snapshot(701, 700, "b");
        f.model.flush();
        QVERIFY(findPid(f.model, 700).isValid());
        QVERIFY(findPid(f.model, 701).isValid());
        ProcessTreeModel rebuilt;
        QAbstractItemModelTester tester(&rebuilt, kFatal);
        rebuilt.setSession(&f.session);
        QVERIFY(findPid(rebuilt, 700).isValid());
        QVERIFY(findPid(rebuilt, 701).isValid());
        rebuilt.setSession(nullptr);
    }

    void liveTreeEqualsOneBuiltFromTheWholeSession()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(2, 0, "kthreadd");
        for (std::uint32_t i = 0; i < 40; ++i) {
            f.build->fork(1 + (i % 3 == 0 ? 0 : 99), 1000 + i);
            if (i % 4 == 0)
                f.model.flush();
            if (i % 5 == 0)
                f.build->exit(1000 + i, 1000 + i, i % 2 ? 0 : 256);
        }
        f.build->snapshot(100, 1, "late");
        f.model.flush();
        ProcessTreeModel whole;
        whole.setSession(&f.session);
        QCOMPARE(shape(f.model), shape(whole));
        whole.setSession(nullptr);
    }

    void clearEmptiesTheTree()
    {
        TreeFixture f;
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 2);
        f.model.flush();
        QVERIFY(f.model.rowCount() > 0);
        f.model.setSession(nullptr);
        QCOMPARE(f.model.rowCount(), 0);
        f.build->fork(1, 3); // the session goes on; the model no longer listens
        f.model.flush();
        QCOMPARE(f.model.rowCount(), 0);
    }

    // The capture's own helper and what it starts are left out of the tree (unless asked for),
    // whether they were there before or come while the capture runs.
    void theTreeLeavesOutTheHelperAndItsChildren()
    {
        TreeFixture f;
        capture::HeaderRecord header;
        header.monotonicNs = 1'000'000'000;
        header.helperPid = 4242;
        f.session.apply(header);
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(4242, 1, "procscope-helpe");
        f.build->fork(4242, 4243);
        f.build->fork(1, 77);
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1](systemd[77])"_qs);
        f.build->fork(4243, 4244); // live: a grandchild of the helper
        f.build->exit(4243, 4243, 0);
        f.build->fork(1, 78);
        f.model.flush();
        QCOMPARE(shape(f.model), u"systemd[1](systemd[77],systemd[78])"_qs);
        f.model.setHideHelper(false);
        QCOMPARE(shape(f.model), u"systemd[1](procscope-helpe[4242](procscope-helpe[4243](procscope-helpe[4244])),systemd[77],systemd[78])"_qs);
        f.build->fork(4242, 4245);
        f.model.flush();
        QVERIFY(findPid(f.model, 4245).isValid());
        f.model.setHideHelper(true);
        QCOMPARE(shape(f.model), u"systemd[1](systemd[77],systemd[78])"_qs);
        QVERIFY(!f.model.indexOf(f.session.lineage().find(4245)).isValid());
    }

    // The view asks every row it lays out whether it has children: answered without filtering
    // a crowded parent's children one by one, and still right where it can be told cheaply.
    void hasChildrenIsAnsweredWithoutFilteringEveryChild()
    {
        TreeFixture f;
        capture::HeaderRecord header;
        header.monotonicNs = 1'000'000'000;
        header.helperPid = 4242;
        f.session.apply(header);
        DisplayFilterState state;
        state.setSession(&f.session);
        ProcessTreeFilter filter;
        QAbstractItemModelTester proxyTester(&filter, kFatal);
        filter.setSourceModel(&f.model);
        filter.setSession(&f.session);
        filter.setDisplayFilter(&state);
        f.build->snapshot(1, 0, "systemd");
        f.build->snapshot(50, 1, "bash");
        f.build->snapshot(4242, 50, "procscope-helpe"); // bash's only child: hidden
        f.build->snapshot(60, 1, "make");
        const std::uint32_t crowd = ProcessTreeFilter::kExactChildren + 500;
        for (std::uint32_t child = 0; child < crowd; ++child)
            f.build->fork(60, 10'000 + child);
        f.build->exec(10'000 + crowd - 1); // the last of make's children runs something
        f.model.flush();
        state.catchUp();
        const auto rowOf = [&](std::uint32_t pid) { return filter.mapFromSource(f.model.indexOf(f.session.lineage().find(pid))); };
        QVERIFY(filter.hasChildren(rowOf(1)));
        QVERIFY(!filter.hasChildren(rowOf(50))); // its only child is the helper
        QVERIFY(filter.hasChildren(rowOf(60)));
        f.model.setHideHelper(false);
        QVERIFY(filter.hasChildren(rowOf(50)));
        f.model.setHideHelper(true);

        // And it is quick: a crowded parent's children are not filtered to draw its arrow.
        CountingTreeFilter counting;
        counting.setSourceModel(&f.model);
        counting.setSession(&f.session);
        counting.setDisplayFilter(&state);
        const QModelIndex crowded = counting.mapFromSource(f.model.indexOf(f.session.lineage().find(60)));
        counting.accepted = 0;
        QVERIFY(counting.hasChildren(crowded));
        QVERIFY2(counting.accepted < 10, qPrintable(QString::number(counting.accepted)));

        // A display filter: exact for a parent of few children, from the filter's marks for a
        // crowded one. Either way, as the rows shown say.
        const auto applyFilter = [&](const char* text) {
            auto compiled = DisplayFilter::compile(text);
            QSignalSpy applied(&state, &DisplayFilterState::applied);
            state.apply(std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled))), QString::fromUtf8(text));
            QVERIFY(!applied.isEmpty() || applied.wait(5000));
            filter.refilter();
        };
        applyFilter("type == exec");
        QVERIFY(filter.hasChildren(rowOf(60)));
        QCOMPARE(filter.rowCount(rowOf(60)), 1);
        f.build->exec(60); // make's own exec: make matches, none of its children does
        f.build->exec(50);
        f.build->exec(4242); // matches, but hidden with the helper
        f.model.flush();
        state.catchUp();
        applyFilter("pid == 60 or pid == 50 or pid == 4242");
        QVERIFY(rowOf(60).isValid());
        QVERIFY(!filter.hasChildren(rowOf(60))); // a crowded parent with no matching child
        QCOMPARE(filter.rowCount(rowOf(60)), 0);
        QVERIFY(!filter.hasChildren(rowOf(50))); // exact: its matching child is the helper
        QCOMPARE(filter.rowCount(rowOf(50)), 0);
        QVERIFY(filter.hasChildren(rowOf(1)));
        // A new result is not taken for the rows' until they follow it.
        auto compiled = DisplayFilter::compile("type == exec");
        QSignalSpy applied(&state, &DisplayFilterState::applied);
        state.apply(std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled))), u"type == exec"_qs);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        QCOMPARE(filter.hasChildren(rowOf(60)), filter.rowCount(rowOf(60)) > 0);
        filter.refilter();
        QVERIFY(filter.hasChildren(rowOf(60)));
        QCOMPARE(filter.rowCount(rowOf(60)), 1);
        counting.refilter();
        const QModelIndex matching = counting.mapFromSource(f.model.indexOf(f.session.lineage().find(60)));
        counting.accepted = 0;
        QVERIFY(counting.hasChildren(matching)); // from the marks: a descendant matched
        QVERIFY2(counting.accepted < 10, qPrintable(QString::number(counting.accepted)));
    }

    void filterHidesExitedProcessesAfterAWhileButKeepsLineage()
    {
        TreeFixture f;
        ProcessTreeFilter filter;
        QAbstractItemModelTester proxyTester(&filter, kFatal);
        filter.setSourceModel(&f.model);
        filter.setSession(&f.session);
        f.build->snapshot(1, 0, "systemd");
        f.build->fork(1, 10); // exits, but its child lives on
        f.build->fork(10, 11);
        f.build->fork(1, 20); // exits, no children
        f.build->exit(10, 10, 0);
        f.build->exit(20, 20, 0);
        f.model.flush();
        filter.setHideExitedAfterSeconds(5);
        filter.setNow(f.build->now() + 1'000'000'000ULL);
        QCOMPARE(shape(filter), u"systemd[1](systemd[10](systemd[11]),systemd[20])"_qs);
        filter.setNow(f.build->now() + 6'000'000'000ULL);
        QCOMPARE(shape(filter), u"systemd[1](systemd[10](systemd[11]))"_qs);
        filter.setHideExitedAfterSeconds(0);
        QCOMPARE(shape(filter), u"systemd[1](systemd[10](systemd[11]),systemd[20])"_qs);
    }

    void eventTableAppendsEachBatchOnce()
    {
        Session session;
        EventTableModel model;
        QAbstractItemModelTester tester(&model, kFatal);
        model.setSession(&session);
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.fork(1, 5);
        build.exec(5);
        build.described(5, "/bin/false", { "false" }, "false");
        build.exit(5, 5, 1 << 8);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.flush();
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, EventTableModel::Type).data().toString(), u"fork"_qs);
        QCOMPARE(model.index(1, EventTableModel::Details).data().toString(), u"false"_qs);
        QCOMPARE(model.index(2, EventTableModel::Details).data().toString(), u"exited 1"_qs);
        QCOMPARE(model.index(2, EventTableModel::Process).data().toString(), u"false"_qs);
        QCOMPARE(model.index(2, EventTableModel::Pid).data().toUInt(), 5u);
        model.flush(); // nothing new: no signal
        QCOMPARE(inserted.count(), 1);
    }

    void eventTableKindToggles()
    {
        Session session;
        EventTableModel model;
        QAbstractItemModelTester tester(&model, kFatal);
        model.setSession(&session);
        SessionBuilder build(session);
        for (std::uint32_t pid = 10; pid < 20; ++pid) {
            build.fork(1, pid);
            build.exit(pid, pid, 0);
        }
        model.flush();
        QCOMPARE(model.rowCount(), 20);
        model.setKindMask(1u << static_cast<unsigned>(EventKind::Exit));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.storeRow(0), std::size_t { 1 });
        QCOMPARE(model.rowOfStoreRow(3), 1);
        QCOMPARE(model.rowOfStoreRow(2), -1);
        build.fork(1, 30);
        build.exit(30, 30, 0);
        model.flush(); // only the exit passes the toggles
        QCOMPARE(model.rowCount(), 11);
        QCOMPARE(model.index(10, EventTableModel::Pid).data().toUInt(), 30u);
        model.setKindMask(EventTableModel::kAllKinds);
        QCOMPARE(model.rowCount(), 22);
        model.setSession(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // Two hosts' batches arrive one after the other, each covering the same moments: the table
    // lists their events in the order they happened, inserting late ones where they belong.
    void eventTableOfSeveralHostsIsInTimeOrder()
    {
        Session session;
        EventTableModel model;
        QAbstractItemModelTester tester(&model, kFatal);
        model.setSession(&session);
        const auto onHost = [&](std::uint16_t index) { session.apply(capture::HostRecord { index, index ? "build1" : "desk", {} }); };
        onHost(0);
        SessionBuilder desk(session);
        onHost(1);
        SessionBuilder build1(session);
        const auto inTimeOrder = [&] {
            for (int row = 1; row < model.rowCount(); ++row) {
                const auto& previous = session.events()[model.storeRow(row - 1)];
                const auto& current = session.events()[model.storeRow(row)];
                if (previous.timestampNs > current.timestampNs
                    || (previous.timestampNs == current.timestampNs && model.storeRow(row - 1) > model.storeRow(row)))
                    return false; // by time, then as stored
                if (model.rowOfStoreRow(model.storeRow(row)) != row)
                    return false;
            }
            return true;
        };
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy moved(&model, &QAbstractItemModel::layoutChanged);
        // A few late rows: each announced where it goes.
        onHost(0);
        for (std::uint32_t pid = 10; pid < 14; ++pid)
            desk.fork(1, pid);
        model.flush();
        QVERIFY(model.timeOrdered());
        QCOMPARE(model.rowCount(), 4);
        onHost(1);
        for (std::uint32_t pid = 10; pid < 14; ++pid)
            build1.fork(1, pid); // the same moments as desk's, stored after them
        inserted.clear();
        model.flush();
        QCOMPARE(model.rowCount(), 8);
        QCOMPARE(inserted.count(), 4); // one run after each of desk's rows
        QVERIFY(inTimeOrder());
        for (int row = 0; row < 8; ++row)
            QCOMPARE(model.index(row, EventTableModel::Host).data().toString(), row % 2 ? u"build1"_qs : u"desk"_qs);
        // Many late rows scattered: one insert at the end, then one move where they belong,
        // which a selected row follows.
        onHost(0);
        for (std::uint32_t pid = 100; pid < 140; ++pid)
            desk.fork(1, pid);
        model.flush();
        const QPersistentModelIndex selected = model.index(47, 0); // desk's last: it moves
        const std::size_t selectedRow = model.storeRow(47);
        onHost(1);
        for (std::uint32_t pid = 100; pid < 140; ++pid)
            build1.fork(1, pid);
        inserted.clear();
        model.flush();
        QCOMPARE(model.rowCount(), 88);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(moved.count(), 1);
        QVERIFY(inTimeOrder());
        QCOMPARE(selected.row(), 86);
        QCOMPARE(model.storeRow(selected.row()), selectedRow);
        // Hidden types keep the order, and so do rows that come while they are hidden.
        model.setKindMask(1u << static_cast<unsigned>(EventKind::Exit));
        QCOMPARE(model.rowCount(), 0);
        onHost(1);
        build1.advance(2'000'000);
        build1.exit(100, 100, 0);
        onHost(0);
        desk.exit(100, 100, 0); // stored after build1's, happened before it
        model.flush();
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, EventTableModel::Host).data().toString(), u"desk"_qs);
        QVERIFY(inTimeOrder());
        // Many late rows while types are hidden: merged where they belong, the selection kept.
        onHost(0);
        desk.advance(build1.now() - desk.now()); // the two hosts' next events at the same moments
        for (std::uint32_t pid = 200; pid < 240; ++pid)
            desk.exit(pid, pid, 0);
        model.flush();
        const QPersistentModelIndex lastOfDesk = model.index(model.rowCount() - 1, 0);
        const std::size_t lastOfDeskRow = model.storeRow(model.rowCount() - 1);
        onHost(1);
        for (std::uint32_t pid = 200; pid < 240; ++pid)
            build1.exit(pid, pid, 0); // each at the moment of one of desk's: they interleave
        inserted.clear();
        moved.clear();
        model.flush();
        QCOMPARE(model.rowCount(), 82);
        QCOMPARE(moved.count(), 1);
        QVERIFY(inTimeOrder());
        QCOMPARE(model.storeRow(lastOfDesk.row()), lastOfDeskRow);
        model.setKindMask(EventTableModel::kAllKinds);
        QCOMPARE(model.rowCount(), 170);
        QVERIFY(inTimeOrder());
        // Grouped by host: desk's events, then build1's, each in time order; new ones join
        // their host's group.
        const auto groupedByHost = [&] {
            for (int row = 1; row < model.rowCount(); ++row) {
                const auto& previous = session.events()[model.storeRow(row - 1)];
                const auto& current = session.events()[model.storeRow(row)];
                if (previous.host > current.host || (previous.host == current.host && previous.timestampNs > current.timestampNs))
                    return false;
                if (model.rowOfStoreRow(model.storeRow(row)) != row)
                    return false;
            }
            return true;
        };
        model.setGroupByHost(true);
        QCOMPARE(model.rowCount(), 170);
        QVERIFY(groupedByHost());
        QCOMPARE(model.index(0, EventTableModel::Host).data().toString(), u"desk"_qs);
        QCOMPARE(model.index(169, EventTableModel::Host).data().toString(), u"build1"_qs);
        onHost(0);
        desk.fork(1, 300);
        onHost(1);
        build1.fork(1, 300);
        model.flush();
        QCOMPARE(model.rowCount(), 172);
        QVERIFY(groupedByHost());
        QVERIFY(!inTimeOrder());
        model.setGroupByHost(false);
        QVERIFY(inTimeOrder());
    }

    // The Host column: shown when a capture of several hosts comes, hidden for one host even when
    // a saved header state showed it, and left hidden within a capture once the user hid it.
    void theHostColumnFollowsTheCapture()
    {
        const auto sessionOf = [](int hosts) {
            auto session = std::make_unique<Session>();
            for (int index = 0; index < hosts; ++index) {
                session->apply(capture::HostRecord { std::uint16_t(index), index ? "build1" : "desk", {} });
                SessionBuilder build(*session);
                build.fork(1, 10);
            }
            return session;
        };
        CaptureDocument document;
        EventTableView view(&document);
        QHeaderView* header = view.table()->horizontalHeader();
        QVERIFY(header->isSectionHidden(EventTableModel::Host));
        document.replace(sessionOf(2), {});
        document.flush();
        QVERIFY(!header->isSectionHidden(EventTableModel::Host));
        QCOMPARE(header->visualIndex(EventTableModel::Host), 1);
        // A click on the Host heading groups each host's events; on the Time heading, by time.
        emit header->sectionClicked(EventTableModel::Host);
        QVERIFY(document.eventModel()->groupedByHost());
        QCOMPARE(header->sortIndicatorSection(), int(EventTableModel::Host));
        emit header->sectionClicked(EventTableModel::Time);
        QVERIFY(!document.eventModel()->groupedByHost());
        header->setSectionHidden(EventTableModel::Host, true); // the user hides it
        document.flush();
        QVERIFY(header->isSectionHidden(EventTableModel::Host));
        header->setSectionHidden(EventTableModel::Host, false); // as a restored header state could
        document.replace(sessionOf(1), {});
        document.flush();
        QVERIFY(header->isSectionHidden(EventTableModel::Host));
    }

    // A staged update brings the models along one at a time, changed() once at the end; flush()
    // in the middle of one finishes it with everything there is by then.
    void aStagedFlushUpdatesOneModelAtATime()
    {
        auto owned = std::make_unique<Session>();
        Session& session = *owned;
        CaptureDocument document;
        document.replace(std::move(owned), {});
        SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.fork(1, 10);
        QSignalSpy changed(&document, &CaptureDocument::changed);
        QVERIFY(!document.flushStep());
        QVERIFY(document.flushInProgress());
        QVERIFY(document.treeModel()->rowCount() > 0); // the tree first
        QCOMPARE(document.eventModel()->rowCount(), 0);
        QVERIFY(!document.flushStep());
        QCOMPARE(document.eventModel()->rowCount(), 1);
        QCOMPARE(changed.count(), 0);
        QVERIFY(document.flushStep());
        QCOMPARE(changed.count(), 1);
        QVERIFY(!document.flushInProgress());
        // Interrupted by a whole update: it ends with every model caught up.
        QVERIFY(!document.flushStep());
        build.fork(1, 11);
        document.flush();
        QVERIFY(!document.flushInProgress());
        QCOMPARE(document.eventModel()->rowCount(), 2);
        QVERIFY(findPid(*document.treeModel(), 11).isValid());
    }

    // A host's row in the tree: its menu filters to the host's events.
    void aHostRowOffersItsFilter()
    {
        auto session = std::make_unique<Session>();
        for (std::uint16_t index : { 0, 1 }) {
            session->apply(capture::HostRecord { index, index ? "build1" : "desk", {} });
            SessionBuilder build(*session);
            build.fork(1, 10);
        }
        CaptureDocument document;
        document.replace(std::move(session), {});
        document.flush();
        const QModelIndex build1 = document.treeModel()->index(1, 0);
        QCOMPARE(build1.data(HostRole).toInt(), 1);
        QCOMPARE(build1.data().toString(), u"build1"_qs);
        QMenu menu;
        addItemActions(menu, document, build1, true);
        QStringList actions;
        for (const QAction* action : menu.actions())
            actions << action->text();
        QVERIFY2(actions.contains(u"&Apply as Filter: host == \"build1\""_qs), qPrintable(actions.join(u", "_qs)));
        QVERIFY(!actions.contains(u"Go to Pa&rent"_qs)); // nothing that needs a process
    }

    // Hosts' rows stay open when a display filter brings the tree's filter in, as processes do.
    void hostRowsStayOpenWhenTheTreeFilterComesIn()
    {
        auto session = std::make_unique<Session>();
        for (std::uint16_t index : { 0, 1 }) {
            session->apply(capture::HostRecord { index, index ? "build1" : "desk", {} });
            SessionBuilder build(*session);
            build.snapshot(1, 0, "systemd");
            build.fork(1, 10);
        }
        CaptureDocument document;
        document.replace(std::move(session), {});
        document.flush();
        ProcessTreeView view(&document);
        view.openAsNew();
        QTreeView* tree = view.tree();
        QVERIFY(!view.showsThroughProxy());
        QVERIFY(tree->isExpanded(tree->model()->index(0, 0)));
        QVERIFY(tree->isExpanded(tree->model()->index(1, 0)));
        auto compiled = DisplayFilter::compile("pid == 10");
        QSignalSpy applied(document.displayFilter(), &DisplayFilterState::applied);
        document.displayFilter()->apply(std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled))), u"pid == 10"_qs);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        QVERIFY(view.showsThroughProxy());
        QCOMPARE(tree->model()->rowCount(), 2);
        QVERIFY(tree->isExpanded(tree->model()->index(0, 0)));
        QVERIFY(tree->isExpanded(tree->model()->index(1, 0)));
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
