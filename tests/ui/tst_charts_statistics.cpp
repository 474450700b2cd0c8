// SPDX-License-Identifier: GPL-3.0-or-later
// Rate charts and statistics: the chart's series add up to the per-type event counts of a
// recorded capture, a selected time range limits the event table to exactly the events in it
// (by mouse or keyboard), the statistics view against values worked out by hand from a small
// stream, and what the tree, chart, timeline and statistics draw of the sample.

#include "support/session_builder.h"
#include "support/tree_search.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/sample_capture.h"
#include "mainwindow/main_window.h"
#include "models/event_table_model.h"
#include "models/process_tree_model.h"
#include "session/capture_loader.h"
#include "session/statistics.h"
#include "views/rate_chart_view.h"
#include "views/details_pane.h"
#include "views/process_tree_view.h"
#include "views/statistics_view.h"
#include "views/timeline_colours.h"
#include "views/timeline_view.h"

#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>
#include <map>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::ui;

namespace {

bool openSample(MainWindow& window)
{
    window.resize(1200, 800);
    window.show();
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(procscope::ui::sampleCapturePath());
    return opened.wait(10000) && opened.first().first().toBool();
}

// Pixels of `image` in `rect` within `tolerance` (the differences of red, green and blue added
// up) of `colour`: antialiased text and lines blend into what is under them at their edges.
int pixelsNear(const QImage& image, const QRect& rect, const QColor& colour, int tolerance)
{
    int count = 0;
    const QRect inside = rect & image.rect();
    for (int y = inside.top(); y <= inside.bottom(); ++y) {
        for (int x = inside.left(); x <= inside.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            count += std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) + std::abs(c.blue() - colour.blue()) <= tolerance ? 1 : 0;
        }
    }
    return count;
}

// Pixels in `rect` of another colour than its most common one (the background there, whichever
// it is: alternate rows, the selection): what was drawn on it.
int pixelsDrawn(const QImage& image, const QRect& rect)
{
    std::map<QRgb, int> counts;
    const QRect inside = rect & image.rect();
    for (int y = inside.top(); y <= inside.bottom(); ++y) {
        for (int x = inside.left(); x <= inside.right(); ++x)
            ++counts[image.pixel(x, y)];
    }
    int background = 0;
    for (const auto& [colour, count] : counts)
        background = std::max(background, count);
    return inside.width() * inside.height() - background;
}

} // namespace

class TestChartsStatistics : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { QSettings().clear(); }

    void bucketsAddUpToTheEventCounts()
    {
        auto session = std::make_unique<Session>();
        QVERIFY(loadCapture(procscope::ui::sampleCapturePath().toStdString(), *session).ok());
        const Statistics stats = computeStatistics(*session);
        const auto totals = session->rates().total(0, ~std::uint64_t { 0 });
        for (std::size_t k = 0; k < kEventKindCount; ++k)
            QCOMPARE(std::uint64_t(totals[k]), stats.eventsByKind[k]);
        // The failed-exits column counts exits with a non-zero wait status.
        std::uint64_t failed = 0;
        for (const auto& event : session->events())
            failed += event.kind == EventKind::Exit && event.pid == event.tgid && event.a != 0 ? 1 : 0;
        QCOMPARE(std::uint64_t(totals[Rates::kNonzeroExits]), failed);
        QCOMPARE(failed, std::uint64_t { 1 + 1 }); // --summary: 1 non-zero exit, 1 SIGKILL
        // Programs run under another name say so: the shell is dash run as sh, the compiler
        // driver x86_64-linux-gnu-gcc-12 run as cc.
        QCOMPARE(stats.commandNames.at("dash"), std::string("sh"));
        QCOMPARE(stats.commandNames.at("x86_64-linux-gnu-gcc-12"), std::string("cc"));
        QVERIFY(!stats.commandNames.contains("ls")); // named as its file

        // The chart over the whole capture: each series' points times their width give the counts back.
        CaptureDocument document;
        RateChartView chart(&document);
        document.replace(std::move(session), procscope::ui::sampleCapturePath());
        chart.setWindowSeconds(0);
        for (std::size_t i = 0; i < RateChartView::kSeriesCount; ++i) {
            const auto points = chart.series(i)->points();
            QVERIFY(points.size() <= RateChartView::kMaxPoints);
            double sum = 0;
            for (qsizetype p = 0; p < points.size(); ++p) {
                const double width = p + 1 < points.size() ? points[p + 1].x() - points[p].x() : double(Rates::kBucketNs) / 1e9;
                sum += points[p].y() * width;
            }
            const std::uint64_t expected = i + 1 == RateChartView::kSeriesCount ? failed : stats.eventsByKind[i];
            QVERIFY2(std::llround(sum) == std::int64_t(expected), qPrintable(u"%1: %2 vs %3"_qs.arg(RateChartView::seriesName(i)).arg(sum).arg(expected)));
        }
    }

    void pointsAreCappedOnALongCapture()
    {
        auto session = std::make_unique<Session>();
        testing::SessionBuilder build(*session);
        for (std::uint32_t i = 0; i < 3000; ++i) { // one fork every 100 ms for 5 minutes
            build.advance(100'000'000 - 1000);
            build.fork(1, 1000 + i);
        }
        CaptureDocument document;
        RateChartView chart(&document);
        document.replace(std::move(session), {});
        chart.setWindowSeconds(0);
        QVERIFY(chart.series(0)->count() <= RateChartView::kMaxPoints);
        QVERIFY(chart.series(0)->count() >= RateChartView::kMaxPoints / 2);
        chart.setWindowSeconds(10);
        QCOMPARE(chart.series(0)->count(), 100); // 10 s of 100 ms buckets
    }

    void selectedRangeLimitsTheEventTable()
    {
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::fileOpened);
        window.openFile(procscope::ui::sampleCapturePath());
        QVERIFY(opened.wait(10000));
        const Session& session = *window.document()->session();
        const std::uint64_t start = session.header()->monotonicNs;
        const std::uint64_t from = start + 1'000'000'000, to = start + 2'000'000'000;
        QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
        window.selectTimeRange(from, to);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        std::vector<std::size_t> expected;
        for (std::size_t row = 0; row < session.events().size(); ++row) {
            const std::uint64_t ts = session.events()[row].timestampNs;
            if (ts >= from && ts < to)
                expected.push_back(row);
        }
        QVERIFY(!expected.empty());
        const auto* model = window.document()->eventModel();
        QCOMPARE(model->rowCount(), int(expected.size()));
        for (int row = 0; row < model->rowCount(); ++row)
            QCOMPARE(model->storeRow(row), expected[std::size_t(row)]);
    }

    // The keyboard does what a drag does: from Home, Right seven times, Shift+Right twice and
    // Enter select 0.7 to 1.0 s (the middle of the build: events before and after it are left
    // out); the readout under the chart names the rates there.
    void keyboardSelectsARange()
    {
        MainWindow window;
        QVERIFY(openSample(window));
        window.bottomTabs()->setCurrentWidget(window.rateChart());
        window.rateChart()->setWindowSeconds(0);
        QChartView* view = window.rateChart()->chartView();
        view->setFocus();
        QSignalSpy selected(window.rateChart(), &RateChartView::rangeSelected);
        QTest::keyClick(view, Qt::Key_Home);
        for (int i = 0; i < 7; ++i)
            QTest::keyClick(view, Qt::Key_Right);
        for (int i = 0; i < 2; ++i)
            QTest::keyClick(view, Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(selected.count(), 0); // moving selects nothing yet
        auto* readout = window.rateChart()->findChild<QLabel*>(u"rateChartReadout"_qs);
        QVERIFY(readout);
        QVERIFY2(readout->isVisible(), qPrintable(readout->text()));
        QVERIFY2(readout->text().startsWith(u"0.7 to 1.0 s: "_qs), qPrintable(readout->text()));
        QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(selected.count(), 1);
        const std::uint64_t origin = window.document()->session()->rates().originNs();
        const std::uint64_t from = selected.first().at(0).toULongLong(), to = selected.first().at(1).toULongLong();
        QVERIFY(from > origin + 699'000'000 && from <= origin + 701'000'000); // rounding of seconds to nanoseconds aside
        QVERIFY(to > origin + 999'000'000 && to <= origin + 1'001'000'000);
        QVERIFY(!applied.isEmpty() || applied.wait(5000));
        const Session& session = *window.document()->session();
        int expected = 0;
        for (std::size_t row = 0; row < session.events().size(); ++row)
            expected += session.events()[row].timestampNs >= from && session.events()[row].timestampNs < to ? 1 : 0;
        QVERIFY(expected > 0 && expected < int(session.events().size()));
        QCOMPARE(window.document()->eventModel()->rowCount(), expected);
        // A readout that agrees with the chart: the forks of the point at 0.6 s (the build's
        // start), per second.
        const double forks = window.rateChart()->series(0)->at(6).y();
        QVERIFY(forks > 0);
        QTest::keyClick(view, Qt::Key_Home);
        for (int i = 0; i < 6; ++i)
            QTest::keyClick(view, Qt::Key_Right);
        QVERIFY2(readout->text().startsWith(u"0.6 to 0.7 s: "_qs), qPrintable(readout->text()));
        QVERIFY2(readout->text().contains(u"fork %1/s"_qs.arg(forks, 0, 'f', forks < 10 ? 1 : 0)), qPrintable(readout->text()));
        // One point, reached by steps: Enter selects that point, not its neighbour.
        for (int i = 0; i < 2; ++i)
            QTest::keyClick(view, Qt::Key_Right);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(selected.count(), 2);
        const std::uint64_t pointFrom = selected.last().at(0).toULongLong(), pointTo = selected.last().at(1).toULongLong();
        QVERIFY2(pointFrom > origin + 799'000'000 && pointFrom <= origin + 800'000'001, qPrintable(QString::number(pointFrom - origin)));
        QVERIFY2(pointTo > origin + 899'000'000 && pointTo <= origin + 900'000'001, qPrintable(QString::number(pointTo - origin)));
        QVERIFY2(readout->text().startsWith(u"0.8 to 0.9 s: "_qs), qPrintable(readout->text()));
        QTest::keyClick(view, Qt::Key_Escape);
        QVERIFY(!readout->isVisible());
    }

    void statisticsByHand()
    {
        auto session = std::make_unique<Session>();
        testing::SessionBuilder build(*session);
        build.snapshot(1, 0, "systemd");
        build.snapshot(100, 1, "make");
        for (std::uint32_t pid : { 200u, 201u, 202u, 203u }) {
            build.fork(100, pid);
            build.exec(pid);
            build.described(pid, "/usr/bin/cc", { "cc", "-c" }, "cc");
        }
        build.exit(200, 200, 0);
        build.exit(201, 201, 2 << 8); // exited 2
        build.exit(202, 202, 11 | 0x80); // SIGSEGV, core dumped
        build.uid(203, 0, 1000);
        // By hand: 4 forks, 4 execs, 3 exits, 1 uid; cc executed 4 times; make has 4 children;
        // 1 non-zero exit, 1 killed by SIGSEGV, 1 core dump, 1 uid change; 6 processes seen.
        CaptureDocument document;
        StatisticsView view(&document);
        view.show();
        document.replace(std::move(session), {});
        const auto count = [&](const QString& section, const QString& label) {
            const QTreeWidgetItem* item = view.find(section, label);
            return item ? item->text(1) : u"(missing)"_qs;
        };
        QCOMPARE(count(u"Events"_qs, u"fork"_qs), u"4"_qs);
        QCOMPARE(count(u"Events"_qs, u"exec"_qs), u"4"_qs);
        QCOMPARE(count(u"Events"_qs, u"exit"_qs), u"3"_qs);
        QCOMPARE(count(u"Processes"_qs, u"seen"_qs), u"6"_qs);
        QCOMPARE(count(u"Processes"_qs, u"started during the capture"_qs), u"4"_qs);
        QCOMPARE(count(u"Programs executed most"_qs, u"cc"_qs), u"4"_qs);
        QCOMPARE(count(u"Parents with the most children"_qs, u"make [100]"_qs), u"4"_qs);
        QCOMPARE(count(u"Failures"_qs, u"non-zero exits"_qs), u"1"_qs);
        QCOMPARE(count(u"Failures"_qs, u"killed by SIGSEGV"_qs), u"1"_qs);
        QCOMPARE(count(u"Failures"_qs, u"core dumps"_qs), u"1"_qs);
        QCOMPARE(count(u"Credential changes"_qs, u"uid changes"_qs), u"1"_qs);
        // Rows carry what activating them does.
        QSignalSpy filter(&view, &StatisticsView::filterRequested);
        emit view.itemActivated(view.find(u"Failures"_qs, u"killed by SIGSEGV"_qs), 0);
        QCOMPARE(filter.last().first().toString(), u"exit_signal == SIGSEGV"_qs);
        emit view.itemActivated(view.find(u"Programs executed most"_qs, u"cc"_qs), 0);
        QCOMPARE(filter.last().first().toString(), u"type == exec and exe ~ \"(^|/)cc$\""_qs);
        QSignalSpy node(&view, &StatisticsView::nodeRequested);
        emit view.itemActivated(view.find(u"Parents with the most children"_qs, u"make"_qs), 0);
        QCOMPARE(document.session()->lineage().node(node.last().first().toUInt()).pid, 100u);
    }

    // What each program cost, all its processes together, and the timeline coloured by figures.
    void costsInStatisticsAndTimeline()
    {
        auto session = std::make_unique<Session>();
        testing::SessionBuilder build(*session);
        build.snapshot(100, 1, "make");
        const auto cost = [&](std::uint32_t pid, std::uint64_t cpuNs, std::uint64_t elapsedNs, std::uint64_t rss) {
            capture::TaskCostRecord r;
            r.flags = capture::cost_flags::kGroupEnded;
            r.figures.pid = r.figures.tgid = pid;
            r.figures.userNs = cpuNs;
            r.figures.elapsedNs = elapsedNs;
            r.figures.maxRssBytes = rss;
            r.figures.writeBytes = 4096;
            session->apply(r);
        };
        for (std::uint32_t pid : { 200u, 201u, 202u }) {
            build.fork(100, pid);
            build.exec(pid);
            build.described(pid, pid == 202 ? "/usr/bin/ld" : "/usr/lib/gcc/cc1plus", { "x" }, pid == 202 ? "ld" : "cc1plus");
            build.exit(pid, pid, 0);
        }
        cost(200, 900'000'000, 1'000'000'000, 300u << 20); // busy: 90%
        cost(201, 600'000'000, 1'000'000'000, 100u << 20);
        cost(202, 50'000'000, 1'000'000'000, 20u << 20); // mostly waiting: 5%
        build.fork(100, 203); // no figures
        const NodeId busy = session->lineage().find(200), idle = session->lineage().find(202), unknown = session->lineage().find(203);
        CaptureDocument document;
        StatisticsView view(&document);
        view.show();
        const Session* raw = session.get();
        document.replace(std::move(session), {});
        const auto value = [&](const QString& section, const QString& label) {
            const QTreeWidgetItem* item = view.find(section, label);
            return item ? item->text(1) : u"(missing)"_qs;
        };
        QCOMPARE(value(u"Most CPU time by program (processes started during the capture)"_qs, u"cc1plus (2 processes)"_qs), u"1.50 s"_qs);
        QCOMPARE(value(u"Most CPU time by program (processes started during the capture)"_qs, u"ld (1 process)"_qs), u"50.0 ms"_qs);
        QCOMPARE(value(u"Most memory by program (largest peak of one process)"_qs, u"cc1plus"_qs), u"300 MiB"_qs);
        QCOMPARE(value(u"Most disk read and written by program"_qs, u"cc1plus"_qs), u"8.00 KiB"_qs);
        QSignalSpy filter(&view, &StatisticsView::filterRequested);
        emit view.itemActivated(view.find(u"Most CPU time by program (processes started during the capture)"_qs, u"cc1plus"_qs), 0);
        QCOMPARE(filter.last().first().toString(), u"exe ~ \"(^|/)cc1plus$\""_qs);

        QCOMPARE(timelineBarColour(*raw, busy, TimelineColouring::CpuShare), timelineLegend(TimelineColouring::CpuShare).at(4).colour);
        QCOMPARE(timelineBarColour(*raw, idle, TimelineColouring::CpuShare), timelineLegend(TimelineColouring::CpuShare).at(0).colour);
        QCOMPARE(timelineBarColour(*raw, busy, TimelineColouring::PeakMemory), timelineLegend(TimelineColouring::PeakMemory).at(3).colour);
        const auto noFigures = timelineLegend(TimelineColouring::PeakMemory).back();
        QCOMPARE(noFigures.label, u"no cost data"_qs);
        QCOMPARE(timelineBarColour(*raw, unknown, TimelineColouring::PeakMemory), noFigures.colour);
        QVERIFY(timelineBarColour(*raw, busy, TimelineColouring::Status) != timelineBarColour(*raw, busy, TimelineColouring::CpuShare));
    }

    void timelineFollowsAndDrivesTheSelection()
    {
        MainWindow window;
        QVERIFY(openSample(window));
        window.topTabs()->setCurrentWidget(window.timeline());
        const Lineage& lineage = window.document()->session()->lineage();
        // The tree's selection shows in the timeline...
        window.selectNode(lineage.find(22313));
        QCOMPARE(window.timeline()->selectedNode(), lineage.find(22313));
        // ...and a click on a bar selects that process everywhere.
        const NodeId target = lineage.find(22320);
        window.timeline()->showNode(target);
        const QRectF bar = window.timeline()->barRect(target);
        QVERIFY(!bar.isEmpty());
        QTest::mouseClick(window.timeline()->viewport(), Qt::LeftButton, {}, bar.center().toPoint());
        QCOMPARE(window.detailsPane()->node(), target);
        window.topTabs()->setCurrentIndex(0);
        QCOMPARE(window.treeView()->tree()->currentIndex().siblingAtColumn(1).data().toUInt(), 22320u);
        // By keyboard: Down selects a bar in a lane below, Up one above, Ctrl+Right the next bar
        // of the same lane; each selects the process everywhere, as a click does.
        window.topTabs()->setCurrentWidget(window.timeline());
        window.timeline()->setFocus();
        // The timeline is laid out: the build's root has a lane.
        QVERIFY(window.timeline()->layout().laneOf(lineage.find(22310)) != TimelineLayout::kNoLane);
        window.selectNode(lineage.find(22313));
        const TimelineLayout& lanes = window.timeline()->layout();
        const std::uint32_t ccLane = lanes.laneOf(lineage.find(22313));
        QTest::keyClick(window.timeline(), Qt::Key_Down);
        const NodeId below = window.timeline()->selectedNode();
        QVERIFY(lanes.laneOf(below) > ccLane);
        QCOMPARE(window.detailsPane()->node(), below);
        QTest::keyClick(window.timeline(), Qt::Key_Up);
        QVERIFY(lanes.laneOf(window.timeline()->selectedNode()) < lanes.laneOf(below));
        const NodeId before = window.timeline()->selectedNode();
        QTest::keyClick(window.timeline(), Qt::Key_Right, Qt::ControlModifier);
        const NodeId next = window.timeline()->selectedNode();
        if (next != before) { // unless it was the lane's last bar
            QCOMPARE(lanes.laneOf(next), lanes.laneOf(before));
            QVERIFY(lanes.startOf(next) > lanes.startOf(before));
        }
        QCOMPARE(window.detailsPane()->node(), next);
        // A time range from the chart zooms the timeline to it.
        const std::uint64_t start = window.document()->session()->header()->monotonicNs;
        window.selectTimeRange(start + 500'000'000, start + 1'500'000'000);
        const auto [from, to] = window.timeline()->visibleRangeNs();
        QVERIFY(from >= start + 499'000'000 && from <= start + 501'000'000);
        QVERIFY(to >= start + 1'490'000'000 && to <= start + 1'510'000'000);
    }

    // The capture helper and what it forks are left out, as in the tree, until asked for.
    void timelineLeavesOutTheHelperUntilAskedFor()
    {
        auto session = std::make_unique<Session>();
        testing::SessionBuilder build(*session);
        capture::HeaderRecord header;
        header.monotonicNs = 1'000'000'000;
        header.helperPid = 4242;
        session->apply(header);
        build.snapshot(1, 0, "systemd");
        build.snapshot(4242, 1, "procscope-helpe");
        build.fork(4242, 4243);
        build.fork(1, 77);
        const Lineage& lineage = session->lineage();
        const NodeId helper = lineage.find(4242), child = lineage.find(4243), other = lineage.find(77);
        CaptureDocument document;
        TimelineView timeline(&document);
        timeline.show();
        document.replace(std::move(session), {});
        const auto placed = [&](NodeId node) { return timeline.layout().laneOf(node) != TimelineLayout::kNoLane; };
        QVERIFY(placed(other));
        QVERIFY(!placed(helper) && !placed(child));
        timeline.setHideHelper(false);
        QVERIFY(placed(helper) && placed(child) && placed(other));
        timeline.setHideHelper(true);
        QVERIFY(!placed(helper) && !placed(child));
    }

    // What the views draw of the sample, offscreen: the tree's rows of the build, a status in the
    // model's colour for it, nothing below the last row; the chart's fork line above its
    // baseline; the timeline's bars in their status colours; the statistics' rows.
    void viewsRenderTheSample()
    {
        MainWindow window;
        QVERIFY(openSample(window));
        const Session& session = *window.document()->session();

        QTreeView* tree = window.treeView()->tree();
        const QAbstractItemModel& model = *tree->model();
        const QImage treeImage = tree->viewport()->grab().toImage();
        const QModelIndex sh = testing::findPid(model, 22310);
        const QRect shName = tree->visualRect(sh);
        QVERIFY2(tree->viewport()->rect().contains(shName), "the build is not in view when the sample opens");
        QCOMPARE(tree->indexAt(shName.center()), sh);
        QVERIFY2(pixelsDrawn(treeImage, shName) > 20, "sh's name is not drawn");
        const QModelIndex status = sh.siblingAtColumn(ProcessTreeModel::Status);
        QCOMPARE(status.data().toString(), u"killed by SIGKILL"_qs);
        const QColor statusColour = status.data(Qt::ForegroundRole).value<QColor>();
        QVERIFY(statusColour.isValid() && statusColour != tree->palette().color(QPalette::Text));
        QVERIFY2(pixelsNear(treeImage, tree->visualRect(status), statusColour, 60) > 10, "the status is not drawn in its colour");
        const QRect last = tree->visualRect(testing::findPid(model, 22322)); // ls, the last row
        QVERIFY(last.isValid());
        const QRect below(0, last.bottom() + 1, treeImage.width(), treeImage.height() - last.bottom() - 1);
        QVERIFY(below.height() > 20);
        QCOMPARE(pixelsDrawn(treeImage, below), 0);
        QCOMPARE(treeImage.pixelColor(below.center()), tree->palette().color(QPalette::Base));

        window.rateChart()->setWindowSeconds(0);
        window.bottomTabs()->setCurrentWidget(window.rateChart());
        QChartView* chartView = window.rateChart()->chartView();
        chartView->resize(800, 300);
        const QImage chartImage = chartView->grab().toImage();
        const QRect plot = chartView->mapFromScene(chartView->chart()->mapToScene(chartView->chart()->plotArea())).boundingRect();
        QVERIFY(plot.width() > 200 && plot.height() > 100);
        const QRect abovePlotBaseline = plot.adjusted(2, 2, -2, -6);
        QVERIFY2(pixelsNear(chartImage, abovePlotBaseline, window.rateChart()->seriesColour(0), 60) > 10, "no fork line above the chart's baseline");

        window.topTabs()->setCurrentWidget(window.timeline());
        window.timeline()->setColouring(int(TimelineColouring::Status));
        const QImage timelineImage = window.timeline()->viewport()->grab().toImage();
        for (const std::uint32_t pid : { 22310u, 22313u }) { // killed, exited 0: two colours
            const NodeId node = session.lineage().find(pid);
            const QRect bar = window.timeline()->barRect(node).toAlignedRect().adjusted(1, 1, -1, -1);
            QVERIFY(bar.width() > 10 && bar.height() > 4);
            const QColor colour = timelineBarColour(session, node, TimelineColouring::Status);
            const int filled = pixelsNear(timelineImage, bar, colour, 0);
            QVERIFY2(filled > bar.width() * bar.height() / 2, qPrintable(u"pid %1: %2 of %3 pixels in its colour"_qs.arg(pid).arg(filled).arg(bar.width() * bar.height())));
        }
        QVERIFY(timelineBarColour(session, session.lineage().find(22310), TimelineColouring::Status)
            != timelineBarColour(session, session.lineage().find(22313), TimelineColouring::Status));

        window.bottomTabs()->setCurrentWidget(window.statisticsView());
        StatisticsView* statistics = window.statisticsView();
        QTreeWidgetItem* forks = statistics->find(u"Events"_qs, u"fork"_qs);
        QVERIFY(forks);
        QCOMPARE(forks->text(1), u"13"_qs); // --summary: fork 13
        const QImage statisticsImage = statistics->viewport()->grab().toImage();
        const QRect forksRow = statistics->visualItemRect(forks);
        QVERIFY(statistics->viewport()->rect().contains(forksRow));
        QVERIFY2(pixelsDrawn(statisticsImage, forksRow) > 20, "the statistics' fork row is not drawn");
    }
};

QTEST_MAIN(TestChartsStatistics)
#include "tst_charts_statistics.moc"
