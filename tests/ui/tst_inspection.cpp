// SPDX-License-Identifier: GPL-3.0-or-later
// Inspecting a capture: the process table and its filter under QAbstractItemModelTester (live
// and from a file), the display filter bar agreeing row for row with `procscope --export
// --filter`, a bad expression changing nothing, a stale filter result dropped, new events
// tested as they arrive, the details pane of a known process, "apply as filter" expressions,
// and Back / Forward through selections.

#include "support/procscope_run.h"
#include "support/session_builder.h"
#include "support/storm_capture.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/sample_capture.h"
#include "mainwindow/main_window.h"
#include "support/work_result.h"
#include "mainwindow/status_panel.h"
#include "models/event_table_model.h"
#include "models/process_table_filter.h"
#include "models/process_table_model.h"
#include "document/view_options.h"
#include "models/process_tree_model.h"
#include "session/capture_loader.h"
#include "session/exporters.h"
#include "views/details_pane.h"
#include "views/filter_bar.h"
#include "views/filter_expressions.h"
#include "views/process_table_view.h"
#include "views/process_tree_view.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QLabel>
#include <QTabWidget>
#include <QTest>
#include <QTextBrowser>
#include <QTreeView>
#include <fstream>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::ui;

namespace {

constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;

bool openAndWait(MainWindow& window, const QString& path)
{
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(path);
    return opened.wait(30000) && opened.first().first().toBool();
}

bool applyAndWait(MainWindow& window, const QString& expression)
{
    QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
    window.filterBar()->field()->setText(expression);
    QTest::keyClick(window.filterBar()->field(), Qt::Key_Return);
    return !applied.isEmpty() || applied.wait(30000);
}

QStringList fileLines(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return { u"no output"_qs };
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

// What `procscope --export - --filter EXPR FILE` writes, one JSON object per line.
QStringList exportedLines(const QString& capture, const QString& expression)
{
    const auto run = testing::runProcscope({ u"--export"_qs, u"-"_qs, u"--filter"_qs, expression, capture });
    if (run.status != 0)
        return { u"export failed: "_qs + run.err };
    return run.outText().split(u'\n', Qt::SkipEmptyParts);
}

QStringList tableLines(const MainWindow& window)
{
    QStringList lines;
    const auto* model = window.document()->eventModel();
    for (int row = 0; row < model->rowCount(); ++row)
        lines << QString::fromStdString(eventToJson(*window.document()->session(), model->storeRow(row)));
    return lines;
}

} // namespace

class TestInspection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void processTableLive()
    {
        Session session;
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, kFatal);
        ProcessTableFilter proxy;
        QAbstractItemModelTester proxyTester(&proxy, kFatal);
        proxy.setSourceModel(&model);
        model.setSession(&session);
        testing::SessionBuilder build(session);
        build.snapshot(1, 0, "systemd");
        build.fork(1, 40);
        build.exec(40);
        build.described(40, "/usr/bin/make", { "make", "all" }, "make");
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.flush();
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 2);
        const QModelIndex make = model.index(1, 0);
        QCOMPARE(make.data().toString(), u"make"_qs);
        QCOMPARE(make.siblingAtColumn(ProcessTableModel::Ppid).data().toUInt(), 1u);
        QCOMPARE(make.siblingAtColumn(ProcessTableModel::CommandLine).data().toString(), u"make all"_qs);
        QCOMPARE(make.siblingAtColumn(ProcessTableModel::Execs).data().toUInt(), 1u);
        QCOMPARE(model.index(0, ProcessTableModel::Children).data().toUInt(), 1u);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        build.fork(40, 41);
        build.exit(41, 41, 2 << 8);
        build.exit(40, 40, 0);
        model.flush();
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(2, ProcessTableModel::Status).data().toString(), u"exited 2"_qs);
        QCOMPARE(make.siblingAtColumn(ProcessTableModel::Children).data().toUInt(), 1u);
        // Sorted by PID, descending, through the proxy.
        proxy.sort(ProcessTableModel::Pid, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, ProcessTableModel::Pid).data().toUInt(), 41u);
        QCOMPARE(proxy.index(2, ProcessTableModel::Pid).data().toUInt(), 1u);
        build.fork(1, 99);
        model.flush(); // live rows sort in as they come
        QCOMPARE(proxy.index(0, ProcessTableModel::Pid).data().toUInt(), 99u);
        model.setSession(nullptr);
        QCOMPARE(proxy.rowCount(), 0);
    }

    void processTableFromFileWithAFilter()
    {
        Session session;
        QVERIFY(loadCapture(procscope::ui::sampleCapturePath().toStdString(), session).ok());
        ProcessTableModel model;
        QAbstractItemModelTester tester(&model, kFatal);
        DisplayFilterState state;
        ProcessTableFilter proxy;
        QAbstractItemModelTester proxyTester(&proxy, kFatal);
        proxy.setSourceModel(&model);
        proxy.setDisplayFilter(&state);
        model.setSession(&session);
        state.setSession(&session);
        QCOMPARE(model.rowCount(), int(session.lineage().size()));
        auto compiled = DisplayFilter::compile("exit_code != 0");
        QSignalSpy applied(&state, &DisplayFilterState::applied);
        state.apply(std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled))), u"exit_code != 0"_qs);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        proxy.refilter();
        // --summary: "1 non-zero exits" (sh -c "exit 3").
        QCOMPARE(proxy.rowCount(), 1);
        for (int row = 0; row < proxy.rowCount(); ++row)
            QCOMPARE(proxy.index(row, ProcessTableModel::Status).data().toString(), u"exited 3"_qs);
    }

    // The process table shows the model's own rows until a sort or a display filter asks for
    // the proxy (which would otherwise map millions of processes for nothing), and the user's
    // columns, sort and current process survive the change either way.
    void processTableUsesItsProxyOnlyWhenSortedOrFiltered()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        auto* table = window.processView();
        auto* tabs = qobject_cast<QTabWidget*>(table->parentWidget()->parentWidget());
        QVERIFY(tabs);
        tabs->setCurrentWidget(table); // a hidden table follows a filter when it is shown
        QVERIFY(!table->showsThroughProxy());
        QCOMPARE(table->model()->rowCount(), window.document()->processModel()->rowCount());
        table->horizontalHeader()->setSectionHidden(ProcessTableModel::User, true);
        table->horizontalHeader()->resizeSection(ProcessTableModel::Name, 222);

        // Not sorted: a filter brings the proxy, clearing it takes it away; the process stays current.
        const QModelIndex make = table->model()->index(3, 0);
        table->setCurrentIndex(make);
        const NodeId current = table->currentNode();
        QVERIFY(current != kNoNode);
        QVERIFY(applyAndWait(window, u"type == exit or type == exec"_qs));
        QVERIFY(table->showsThroughProxy());
        QVERIFY(applyAndWait(window, QString()));
        QVERIFY(!table->showsThroughProxy());
        QCOMPARE(table->currentNode(), current);

        // A click on a heading sorts, through the proxy.
        QHeaderView* header = table->horizontalHeader();
        const QPoint pidHeading(header->sectionViewportPosition(ProcessTableModel::Pid) + 5, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pidHeading);
        QVERIFY(table->showsThroughProxy());
        QCOMPARE(header->sortIndicatorSection(), int(ProcessTableModel::Pid));
        unsigned previous = 0;
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const unsigned pid = table->model()->index(row, ProcessTableModel::Pid).data().toUInt();
            QVERIFY2(pid >= previous, qPrintable(u"row %1 is out of order"_qs.arg(row)));
            previous = pid;
        }
        QCOMPARE(table->currentNode(), current);
        QVERIFY(header->isSectionHidden(ProcessTableModel::User));
        QCOMPARE(header->sectionSize(ProcessTableModel::Name), 222);
        // Still sorted without a filter: the proxy stays.
        QVERIFY(applyAndWait(window, u"exit_code != 0"_qs));
        QCOMPARE(table->model()->rowCount(), 1);
        QVERIFY(applyAndWait(window, QString()));
        QVERIFY(table->showsThroughProxy());
        QCOMPARE(table->model()->rowCount(), window.document()->processModel()->rowCount());

        // The next start restores the sort along with the columns.
        window.close();
        MainWindow again;
        QVERIFY(openAndWait(again, procscope::ui::sampleCapturePath()));
        ProcessTableView* restored = again.processView();
        QVERIFY(restored->showsThroughProxy());
        QCOMPARE(restored->horizontalHeader()->sortIndicatorSection(), int(ProcessTableModel::Pid));
        QVERIFY(restored->horizontalHeader()->isSectionHidden(ProcessTableModel::User));
        const int last = restored->model()->rowCount() - 1;
        QCOMPARE(restored->model()->index(0, ProcessTableModel::Pid).data().toUInt(), table->model()->index(0, ProcessTableModel::Pid).data().toUInt());
        QCOMPARE(restored->model()->index(last, ProcessTableModel::Pid).data().toUInt(), previous); // the largest
    }

    // The tree too: the model's own rows until a sort, a display filter or hiding exited
    // processes needs the filter; what is open and current stays across the change.
    void processTreeUsesItsFilterOnlyWhenNeeded()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        ProcessTreeView* view = window.treeView();
        QTreeView* tree = view->tree();
        QVERIFY(!view->showsThroughProxy());
        const ProcessTreeModel* model = window.document()->treeModel();
        const NodeId sh = window.document()->session()->lineage().find(22310);
        QVERIFY(sh != kNoNode);
        view->selectNode(sh);
        QVERIFY(tree->isExpanded(view->viewIndex(model->indexOf(sh)).parent()));
        tree->collapse(view->viewIndex(model->indexOf(sh))); // the user's choice, kept below
        const bool shOpen = tree->isExpanded(view->viewIndex(model->indexOf(sh)));

        QHeaderView* header = tree->header();
        const auto selectionModels = tree->findChildren<QItemSelectionModel*>(Qt::FindDirectChildrenOnly).size();
        const QPoint pidHeading(header->sectionViewportPosition(ProcessTreeModel::Pid) + 5, header->height() / 2);
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pidHeading);
        QVERIFY(view->showsThroughProxy());
        QCOMPARE(view->currentNode(), sh);
        QVERIFY(tree->isExpanded(view->viewIndex(model->indexOf(sh)).parent()));
        QCOMPARE(tree->isExpanded(view->viewIndex(model->indexOf(sh))), shOpen);
        const QModelIndex top = tree->model()->index(0, 0);
        for (int row = 1; row < tree->model()->rowCount(top); ++row)
            QVERIFY(tree->model()->index(row - 1, ProcessTreeModel::Pid, top).data().toUInt() <= tree->model()->index(row, ProcessTreeModel::Pid, top).data().toUInt());
        // Descending, then a third click: the order processes became known, the model's own.
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pidHeading);
        QVERIFY(view->showsThroughProxy());
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pidHeading);
        QCOMPARE(header->sortIndicatorSection(), -1);
        QVERIFY(!view->showsThroughProxy());
        QCOMPARE(view->currentNode(), sh);
        QCOMPARE(tree->findChildren<QItemSelectionModel*>(Qt::FindDirectChildrenOnly).size(), selectionModels); // none left behind
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, pidHeading);
        QVERIFY(view->showsThroughProxy());

        // Restarted: the sort comes back with the header.
        window.close();
        MainWindow again;
        QVERIFY(openAndWait(again, procscope::ui::sampleCapturePath()));
        QVERIFY(again.treeView()->showsThroughProxy());
        QCOMPARE(again.treeView()->tree()->header()->sortIndicatorSection(), int(ProcessTreeModel::Pid));
    }

    void processTreeFilterComesAndGoesWithTheDisplayFilter()
    {
        MainWindow window;
        window.resize(1200, 800);
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        ProcessTreeView* view = window.treeView();
        QVERIFY(!view->showsThroughProxy());
        QVERIFY(applyAndWait(window, u"exit_code != 0"_qs));
        QVERIFY(view->showsThroughProxy());
        QVERIFY(applyAndWait(window, QString()));
        QVERIFY(!view->showsThroughProxy());
        window.document()->viewOptions()->setHideExitedSeconds(5);
        QVERIFY(view->showsThroughProxy());
        window.document()->viewOptions()->setHideExitedSeconds(0);
        QVERIFY(!view->showsThroughProxy());
        QCOMPARE(view->tree()->model()->rowCount(), window.document()->treeModel()->rowCount());
    }

    void filterBarAgreesWithExport_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::newRow("exits") << u"type == exit"_qs;
        QTest::newRow("failures") << u"exit_code != 0 or signal"_qs;
        QTest::newRow("argv") << u"argv contains \"samplework\""_qs;
        QTest::newRow("lineage") << u"descendant_of(22310) and type == exec"_qs;
        QTest::newRow("regex") << u"comm ~ \"^(cc|as)$\""_qs;
        QTest::newRow("nothing") << u"pid == 1 and pid == 2"_qs;
    }

    void filterBarAgreesWithExport()
    {
        QFETCH(QString, expression);
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        QVERIFY(applyAndWait(window, expression));
        const QStringList exported = exportedLines(procscope::ui::sampleCapturePath(), expression);
        QCOMPARE(tableLines(window), exported);
        QCOMPARE(window.document()->displayFilter()->matchCount(), std::size_t(exported.size()));
        QVERIFY(window.filterBar()->history().contains(expression));
        // The status bar says how many of the capture's events the table shows.
        QCOMPARE(window.statusPanel()->eventsLabel()->text(), u"%1 of 39 events shown"_qs.arg(exported.size()));
        QVERIFY(applyAndWait(window, QString()));
        QCOMPARE(window.statusPanel()->eventsLabel()->text(), u"39 events"_qs);
    }

    // Exporting only the shown events writes what `--export --filter` writes for the filter.
    void exportOfTheShownEventsAgreesWithTheCommandLine()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const QString expression = u"type == exec and descendant_of(22310)"_qs;
        QVERIFY(applyAndWait(window, expression));
        QTemporaryDir dir;
        const QString shown = dir.filePath(u"shown.jsonl"_qs), all = dir.filePath(u"all.jsonl"_qs);
        QVERIFY(finishedOk(window.workspace()->exportTo(shown, session::ExportFormat::Jsonl, true)));
        QVERIFY(finishedOk(window.workspace()->exportTo(all, session::ExportFormat::Jsonl, false)));
        const QStringList expected = exportedLines(procscope::ui::sampleCapturePath(), expression);
        QVERIFY(expected.size() > 3);
        QCOMPARE(fileLines(shown), expected);
        QCOMPARE(fileLines(all).size(), 39);
    }

    void badExpressionShowsTheErrorAndChangesNothing()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        QVERIFY(applyAndWait(window, u"type == exec"_qs));
        const int rows = window.document()->eventModel()->rowCount();
        QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
        window.filterBar()->field()->setText(u"pid == x"_qs);
        QCOMPARE(window.filterBar()->errorText(), u"column 8: pid is a number, not 'x'"_qs);
        QTest::keyClick(window.filterBar()->field(), Qt::Key_Return);
        QCOMPARE(applied.count(), 0);
        QCOMPARE(window.document()->eventModel()->rowCount(), rows);
        QCOMPARE(window.document()->displayFilter()->text(), u"type == exec"_qs);
        QCOMPARE(window.filterBar()->field()->selectionStart(), 7); // the offending text is marked
        QVERIFY(!window.filterBar()->history().contains(u"pid == x"_qs));
    }

    void staleResultIsDropped()
    {
        // Big enough that one slice cannot finish it.
        const auto bytes = testing::stormCapture(600'000);
        Session session;
        QVERIFY(loadCapture(bytes, session).damage == std::nullopt);
        DisplayFilterState state;
        state.setSession(&session);
        QStringList appliedTexts;
        connect(&state, &DisplayFilterState::applied, this, [&] { appliedTexts << state.text(); });
        const auto compile = [](const char* text) {
            auto compiled = DisplayFilter::compile(text);
            return std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled)));
        };
        state.apply(compile("argv contains \"file7.c\""), u"first"_qs);
        QVERIFY(state.busy());
        state.apply(compile("type == exit"), u"second"_qs);
        QTRY_VERIFY_WITH_TIMEOUT(!state.busy(), 30000);
        QCOMPARE(appliedTexts, QStringList { u"second"_qs });
        QCOMPARE(state.matchCount(), std::size_t { 200'000 });
        QVERIFY(state.lastLongestSliceMs() < 200); // sliced, not one long run
    }

    void newEventsAreTestedAsTheyArrive()
    {
        CaptureDocument document;
        document.startLive();
        auto compiled = DisplayFilter::compile("type == exit and exit_code == 3");
        document.displayFilter()->apply(std::make_shared<DisplayFilter>(std::move(std::get<DisplayFilter>(compiled))), u"exits 3"_qs);
        QVERIFY(document.displayFilter()->active());
        QCOMPARE(document.eventModel()->rowCount(), 0);
        std::vector<capture::Record> batch;
        capture::HeaderRecord header;
        header.monotonicNs = 1'000'000'000;
        batch.push_back(header);
        std::uint32_t seq = 0;
        const auto event = [&](std::uint32_t what, const testing::Bytes& payload) {
            capture::KernelEventRecord record;
            record.seq = seq++;
            record.procEvent = testing::procEvent(what, 0, 1'000'000'000 + seq * 1000, testing::paddedPayload(payload));
            batch.push_back(record);
        };
        event(0x1, testing::words({ 1, 1, 50, 50 }));
        event(0x80000000, testing::words({ 50, 50, 3 << 8, 17, 1, 1 }));
        event(0x1, testing::words({ 1, 1, 51, 51 }));
        event(0x80000000, testing::words({ 51, 51, 0, 17, 1, 1 }));
        QSignalSpy inserted(document.eventModel(), &QAbstractItemModel::rowsInserted);
        document.append(std::move(batch));
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(document.eventModel()->rowCount(), 1);
        QCOMPARE(document.eventModel()->index(0, EventTableModel::Pid).data().toUInt(), 50u);
        QCOMPARE(document.displayFilter()->matchCount(), std::size_t { 1 });
        QVERIFY(document.displayFilter()->nodeMatches(document.session()->lineage().find(50)));
        QVERIFY(!document.displayFilter()->nodeMatches(document.session()->lineage().find(51)));
    }

    void detailsPaneOfAKnownProcess()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const Session& session = *window.document()->session();
        window.selectNode(session.lineage().find(22313)); // cc -c a.c -o a.o, forked by sh[22310]
        const QString text = window.detailsPane()->toPlainText();
        QVERIFY2(text.contains(u"cc [pid 22313]"_qs), qPrintable(text));
        QVERIFY2(text.contains(u"Command line\ncc\n-c\na.c\n-o\na.o\n"_qs), qPrintable(text));
        QVERIFY(text.contains(u"exited 0 after 133.2 ms"_qs));
        // Up to the oldest known ancestor: the shell that started the build, known by its pid.
        QVERIFY2(text.contains(u"Lineage\nbash [22231] \u203a sh [22310] \u203a cc\n"_qs), qPrintable(text));
        QVERIFY(text.contains(u"Children\t2: cc1 [22314], as [22315]"_qs) || text.contains(u"2: cc1 [22314], as [22315]"_qs));
        QVERIFY(text.contains(u"/tmp/samplework"_qs));
        window.selectNode(session.lineage().find(22320));
        QVERIFY(window.detailsPane()->toPlainText().contains(u"exited 3"_qs));
        QVERIFY(window.detailsPane()->toPlainText().contains(u"sh\n-c\nexit 3\n"_qs));
        // A lineage link selects that process.
        QSignalSpy requested(window.detailsPane(), &DetailsPane::nodeRequested);
        emit window.detailsPane()->anchorClicked(QUrl(u"node:%1"_qs.arg(session.lineage().find(22310))));
        QCOMPARE(window.treeView()->tree()->currentIndex().siblingAtColumn(1).data().toUInt(), 22310u);
    }

    void applyAsFilterExpressions()
    {
        Session session;
        QVERIFY(loadCapture(procscope::ui::sampleCapturePath().toStdString(), session).ok());
        const NodeId sh = session.lineage().find(22320);
        QCOMPARE(filterExpressionFor(session, sh, CellKind::Pid), u"pid == 22320"_qs);
        QCOMPARE(filterExpressionFor(session, sh, CellKind::Name), u"comm == \"sh\""_qs);
        QCOMPARE(filterExpressionFor(session, sh, CellKind::CommandLine), u"argv contains \"sh\""_qs);
        QCOMPARE(filterExpressionFor(session, sh, CellKind::Status), u"exit_code == 3"_qs);
        QCOMPARE(filterExpressionFor(session, session.lineage().find(22310), CellKind::Status), u"exit_signal == SIGKILL"_qs);
        QCOMPARE(filterExpressionFor(session, sh, CellKind::User), u"euid == 0"_qs);
        QCOMPARE(filterString("say \"hi\" \\ bye"), u"\"say \\\"hi\\\" \\\\ bye\""_qs);
        // Every one of them compiles and selects the process it came from.
        for (const CellKind kind : { CellKind::Pid, CellKind::Name, CellKind::CommandLine, CellKind::Status }) {
            const QString expression = filterExpressionFor(session, sh, kind);
            auto compiled = DisplayFilter::compile(expression.toStdString());
            QVERIFY2(std::holds_alternative<DisplayFilter>(compiled), qPrintable(expression));
            bool selectsIt = false;
            for (std::size_t row = 0; row < session.events().size(); ++row)
                selectsIt = selectsIt || (session.events()[row].node == sh && std::get<DisplayFilter>(compiled).matches(session, row));
            QVERIFY2(selectsIt, qPrintable(expression));
        }
    }

    void filterReferenceIsBuiltIn()
    {
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_F1);
        auto* text = window.findChild<QTextBrowser*>(u"filterReferenceText"_qs);
        QVERIFY(text);
        QVERIFY(text->toPlainText().contains(u"descendant_of(PID)"_qs));
    }

    void backAndForwardThroughSelections()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const Lineage& lineage = window.document()->session()->lineage();
        for (const std::uint32_t pid : { 22310u, 22313u, 22314u })
            window.selectNode(lineage.find(pid));
        const auto current = [&] { return window.treeView()->tree()->currentIndex().siblingAtColumn(1).data().toUInt(); };
        QCOMPARE(current(), 22314u);
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(current(), 22313u);
        window.goBack();
        QCOMPARE(current(), 22310u);
        QTest::keyClick(&window, Qt::Key_Right, Qt::AltModifier);
        QCOMPARE(current(), 22313u);
        QCOMPARE(window.detailsPane()->node(), lineage.find(22313));
    }

    void showOnlyASubtreeFollowsItsChildren()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const NodeId sh = window.document()->session()->lineage().find(22310);
        QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
        QMetaObject::invokeMethod(&window, [&] { window.selectNode(sh); });
        window.filterBar()->setExpression(subtreeExpression(*window.document()->session(), window.document()->session()->lineage().node(sh)), true);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        // The process table holds sh and its 10 descendants (8 children, cc1, as, collect2, ld),
        // once it is shown (a hidden table is filtered when it is next shown).
        window.bottomTabs()->setCurrentWidget(window.processView());
        QCOMPARE(window.processView()->model()->rowCount(), 1 + 8 + 4);
    }
};

QTEST_MAIN(TestInspection)
#include "tst_inspection.moc"
