// SPDX-License-Identifier: GPL-3.0-or-later
// The window under load, offscreen (prints figures; not a pass/fail test):
//  1. a 1 M-event capture opened into the window: time to the first events painted and to all
//     of it, the UI thread's longest stall meanwhile, memory per event (what the process holds,
//     and with the pages of the event rows' file), the timeline's layout, and filters;
//  2. a recorded storm stream replayed at 30,000 events/s for 10 s through the real ingestion
//     path (capture controller, socketpair, reader thread, batched model updates) into the
//     window showing the tree and the event table: the UI thread's longest stall and 99th
//     percentile, from the gaps of a 2 ms heartbeat timer (budget: no stall over 50 ms);
//     Then `argv contains "file42.c"` typed into the filter bar: time to the result and the
//     longest UI-thread stall meanwhile (budget: no stall over 50 ms);
//  3. as root: the fastest fork + exec storm this machine makes, captured by the real helper
//     with the window live: the storm rate and what was lost (budget: nothing).
// Usage: bench_gui [--events N] [--events-per-process K] [--rate EVENTS_PER_S] [--seconds S] [--open-only] [--costs]
// Internal: bench_gui --replay RATE SECONDS (the "helper": writes the storm to stdout, paced)
//           bench_gui --write-storm PATH EVENTS costs|no-costs EVENTS_PER_PROCESS

#include "support/storm_capture.h"

#include "capture/capture_controller.h"
#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "views/filter_bar.h"
#include "mainwindow/main_window.h"
#include "models/event_table_model.h"
#include "views/process_tree_view.h"
#include "views/rate_chart_view.h"
#include "views/timeline_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QTest>
#include <QTabWidget>
#include <QTreeView>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>
#include <sys/wait.h>
#include <unistd.h>

using namespace procscope;
using namespace procscope::ui;

namespace {

long statusKb(const char* field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field, 0) == 0)
            return std::stol(line.substr(std::strlen(field) + 1));
    }
    return -1;
}

// Measures the UI thread's stalls: the gaps between the ticks of a 2 ms timer.
struct Heartbeat {
    std::vector<double> gapsMs;
    QElapsedTimer beat;
    QTimer timer;
    Heartbeat()
    {
        timer.setTimerType(Qt::PreciseTimer);
        timer.setInterval(2);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            if (beat.isValid())
                gapsMs.push_back(double(beat.nsecsElapsed()) / 1e6);
            beat.start();
        });
    }
    void start() { timer.start(); }
    void stop() { timer.stop(); }
};

bool writeAll(int fd, const std::vector<std::byte>& bytes)
{
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0)
            return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The stand-in helper: the storm, paced to `rate` kernel events a second.
int replay(double rate, double seconds)
{
    using Clock = std::chrono::steady_clock;
    std::vector<std::byte> out;
    testing::StormWriter::begin(out, static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
    testing::StormWriter storm;
    const auto start = Clock::now();
    std::uint64_t written = 0;
    while (true) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (elapsed >= seconds)
            break;
        while (double(written) < rate * elapsed)
            written += storm.child(out);
        if (!writeAll(STDOUT_FILENO, out))
            return 1;
        out.clear();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    storm.end(out);
    return writeAll(STDOUT_FILENO, out) ? 0 : 1;
}

int writeStorm(const char* path, std::size_t events, bool withCosts, std::size_t eventsPerProcess)
{
    const auto bytes = testing::stormCapture(events, withCosts, eventsPerProcess);
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return file ? 0 : 1;
}

void openLargeCapture(const QString& self, std::size_t events, bool withCosts, std::size_t eventsPerProcess)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"storm.pscap"_qs);
    // Written by a child process, so that building it does not count in this one's peak memory.
    if (QProcess::execute(self, { u"--write-storm"_qs, path, QString::number(events), withCosts ? u"costs"_qs : u"no-costs"_qs, QString::number(eventsPerProcess) }) != 0) {
        std::printf("open: could not write the capture\n");
        return;
    }
    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1280, 800);
    window.show();
    QApplication::processEvents();
    const long baselineKb = statusKb("VmRSS:");
    const long baselineAnonKb = statusKb("RssAnon:");
    { std::ofstream("/proc/self/clear_refs") << "5"; } // peak RSS from here on
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    Heartbeat loadBeat;
    loadBeat.start();
    QElapsedTimer clock;
    clock.start();
    window.openFile(path);
    // The file is shown as it is read: the first events painted, then all of it.
    while (!(window.document()->session() && window.document()->session()->events().size() > 0) && opened.isEmpty() && clock.elapsed() < 60000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    QApplication::processEvents(); // the first paint with events
    const qint64 firstPaintMs = clock.elapsed();
    if (opened.isEmpty())
        opened.wait(600000);
    const qint64 populatedMs = clock.elapsed();
    loadBeat.stop();
    const long peakKb = statusKb("VmHWM:");
    const auto stored = window.document()->session() ? window.document()->session()->events().size() : 0;
    std::printf("open %zu-event capture%s (%.0f MiB): first events painted at %lld ms (budget 1000 ms), all of it in %lld ms, "
                "longest UI-thread gap meanwhile %.1f ms\n",
        static_cast<std::size_t>(stored), withCosts ? " with every process's cost" : "", double(QFileInfo(path).size()) / (1 << 20), static_cast<long long>(firstPaintMs),
        static_cast<long long>(populatedMs), loadBeat.gapsMs.empty() ? 0.0 : *std::max_element(loadBeat.gapsMs.begin(), loadBeat.gapsMs.end()));
    std::printf("open: event table rows %d, peak memory %.0f MiB over the window's baseline = %.0f bytes per event, counting pages of files\n",
        window.document()->eventModel()->rowCount(), double(peakKb - baselineKb) / 1024.0,
        stored ? double(peakKb - baselineKb) * 1024.0 / double(stored) : 0.0);
    // What the process itself holds (anonymous memory), apart from mapped files the kernel
    // can write back and drop (the paged event rows): all of it, and what the lineage holds.
    const auto reportHeld = [&](const char* when) {
        const double anonBytes = double(statusKb("RssAnon:") - baselineAnonKb) * 1024.0;
        const auto* session = window.document()->session();
        const double processes = double(session->lineage().size());
        const double lineageBytes = double(session->lineage().bytes() + session->costs().bytes() + session->strings().bytes());
        std::printf("held %s: %.0f MiB = %.1f bytes per event; the lineage %.0f bytes per process; without it %.1f bytes per event "
                    "(budget 24 + the processes); event rows paged to a file: %.0f MiB\n",
            when, anonBytes / (1 << 20), stored ? anonBytes / double(stored) : 0.0, processes ? lineageBytes / processes : 0.0,
            stored ? (anonBytes - lineageBytes) / double(stored) : 0.0, double(session->events().spilledBytes()) / (1 << 20));
    };
    QTest::qWait(500); // the allocator gives back what reading freed (the window asks it to, off the UI thread)
    reportHeld("after opening");

    // The timeline of all of it, shown for the first time: how long its lanes take, laid out in
    // slices, and the UI thread's longest stall meanwhile; then, zoomed to fit, one repaint.
    const std::size_t processes = window.document()->session()->lineage().size();
    Heartbeat layoutBeat;
    layoutBeat.start();
    QTest::qWait(20);
    QElapsedTimer layoutClock;
    layoutClock.start();
    window.topTabs()->setCurrentWidget(window.timeline());
    while (window.timeline()->layout().placedCount() < processes && layoutClock.elapsed() < 30000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    const qint64 layoutMs = layoutClock.elapsed();
    QTest::qWait(20);
    layoutBeat.stop();
    const double layoutGapMs = layoutBeat.gapsMs.empty() ? 0.0 : *std::max_element(layoutBeat.gapsMs.begin(), layoutBeat.gapsMs.end());
    window.timeline()->zoomToFit();
    constexpr int kFrames = 20;
    QElapsedTimer paintClock;
    paintClock.start();
    for (int frame = 0; frame < kFrames; ++frame)
        window.timeline()->viewport()->repaint();
    std::printf("timeline of %zu processes in %zu lanes, zoomed to fit: %.1f ms per repaint (budget 16 ms); lanes laid out in %lld ms "
                "when first shown, longest UI-thread gap meanwhile %.1f ms\n",
        processes, window.timeline()->layout().laneCount(), double(paintClock.elapsed()) / kFrames, static_cast<long long>(layoutMs), layoutGapMs);
    window.topTabs()->setCurrentIndex(0);

    // Display filters over all of it, typed into the bar (the last one clears it): time to the
    // result and the UI thread's longest stall meanwhile. A narrow filter, a broad one that keeps
    // every process, and back to everything.
    for (const QString& expression : { u"argv contains \"file42.c\""_qs, u"type == exit"_qs, QString() }) {
        Heartbeat heartbeat;
        heartbeat.start();
        QTest::qWait(50);
        QSignalSpy applied(window.document()->displayFilter(), &DisplayFilterState::applied);
        QElapsedTimer filterClock;
        filterClock.start();
        window.filterBar()->setExpression(expression, true);
        if (applied.isEmpty())
            applied.wait(60000);
        const qint64 filterMs = filterClock.elapsed();
        QTest::qWait(50); // the views lay out and paint what changed
        heartbeat.stop();
        const auto& gapsMs = heartbeat.gapsMs;
        std::printf("filter %s over %zu events: result in %lld ms (%zu matching, %d rows shown), longest UI-thread gap %.1f ms, longest slice %lld ms (budget: no stall over 50 ms)\n",
            expression.isEmpty() ? "cleared" : qPrintable(expression), static_cast<std::size_t>(stored), static_cast<long long>(filterMs),
            window.document()->displayFilter()->matchCount(), window.document()->eventModel()->rowCount(),
            gapsMs.empty() ? 0.0 : *std::max_element(gapsMs.begin(), gapsMs.end()),
            static_cast<long long>(window.document()->displayFilter()->lastLongestSliceMs()));
        if (expression.startsWith(u"type"_qs))
            reportHeld("with `type == exit` applied");
    }
}

void liveStorm(const QString& self, double rate, double seconds)
{
    QTemporaryDir dir;
    const QString helper = dir.filePath(u"replay-helper"_qs);
    {
        QFile script(helper);
        script.open(QIODevice::WriteOnly);
        script.write(u"#!/bin/sh\nexec '%1' --replay %2 %3\n"_qs.arg(self).arg(rate).arg(seconds).toUtf8());
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1280, 800);
    window.show();
    window.controller()->setHelperProgram(helper);

    Heartbeat heartbeat;
    std::vector<double>& gapsMs = heartbeat.gapsMs;
    gapsMs.reserve(static_cast<std::size_t>(seconds * 1000));
    int batches = 0;
    QObject::connect(window.document(), &CaptureDocument::changed, [&] { ++batches; });
    QTimer::singleShot(1000, &window, [&] { window.treeView()->expandAll(); }); // a big, open tree
    if (qEnvironmentVariableIsSet("BENCH_GUI_CHARTS")) { // the rate chart and the timeline on screen instead
        window.bottomTabs()->setCurrentWidget(window.rateChart());
        window.topTabs()->setCurrentWidget(window.timeline());
    }
    QSignalSpy finished(&window, &MainWindow::captureFinished);
    QElapsedTimer clock;
    clock.start();
    heartbeat.start();
    if (!window.startCapture({})) {
        std::printf("live: the capture did not start\n");
        return;
    }
    finished.wait(static_cast<int>(seconds * 1000) + 30000);
    heartbeat.stop();
    const double wall = double(clock.elapsed()) / 1000.0;
    std::sort(gapsMs.begin(), gapsMs.end());
    const auto* session = window.document()->session();
    const std::size_t events = session ? session->events().size() : 0;
    const double p99 = gapsMs.empty() ? 0 : gapsMs[static_cast<std::size_t>(double(gapsMs.size() - 1) * 0.99)];
    std::printf("live storm at %.0f events/s for %.0f s: %zu events in the window (%.0f/s over %.1f s), %d batches, lost %llu\n", rate, seconds,
        events, double(events) / wall, wall, batches, static_cast<unsigned long long>(session ? session->totalLost() : 0));
    std::printf("live: UI thread heartbeat (2 ms): longest gap %.1f ms, 99th percentile %.1f ms, median %.1f ms over %zu beats (budget: no stall over 50 ms)\n",
        gapsMs.empty() ? 0.0 : gapsMs.back(), p99, gapsMs.empty() ? 0.0 : gapsMs[gapsMs.size() / 2], gapsMs.size());
    std::printf("live: tree rows under the storm's parent %d, event table rows %d\n",
        window.treeView()->tree()->model()->rowCount(window.treeView()->tree()->model()->index(0, 0)), window.document()->eventModel()->rowCount());
}

// The fastest fork + exec storm this machine makes (one worker per CPU, each forking and
// exec'ing /bin/true in a loop) with the window capturing live through the real helper.
void realStorm(double seconds)
{
    if (::geteuid() != 0) {
        std::printf("real storm: skipped (needs root to start the helper without a polkit agent)\n");
        return;
    }
    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1280, 800);
    window.show();
    window.controller()->setHelperProgram(QStringLiteral(PROCSCOPE_HELPER_BIN));
    if (!window.startCapture({})) {
        std::printf("real storm: the capture did not start\n");
        return;
    }
    QElapsedTimer wait;
    wait.start();
    while (!(window.document()->session()->header() && window.document()->session()->lineage().size() > 10) && wait.elapsed() < 15000)
        QTest::qWait(20);
    QTest::qWait(300);
    const long cpus = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
    std::vector<pid_t> workers;
    int counts[2];
    if (::pipe(counts) != 0)
        return;
    QElapsedTimer clock;
    clock.start();
    for (long w = 0; w < cpus; ++w) {
        const pid_t worker = ::fork();
        if (worker == 0) {
            std::uint64_t n = 0;
            const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
            while (std::chrono::steady_clock::now() < until) {
                const pid_t child = ::fork();
                if (child == 0) {
                    ::execl("/bin/true", "true", static_cast<char*>(nullptr));
                    ::_exit(127);
                }
                int status = 0;
                ::waitpid(child, &status, 0);
                ++n;
            }
            [[maybe_unused]] const auto written = ::write(counts[1], &n, sizeof n);
            ::_exit(0);
        }
        workers.push_back(worker);
    }
    ::close(counts[1]);
    // The window keeps running its event loop while the workers storm.
    std::uint64_t children = 0;
    for (std::size_t done = 0; done < workers.size();) {
        QTest::qWait(50);
        int status = 0;
        for (const pid_t worker : workers)
            done += ::waitpid(worker, &status, WNOHANG) == worker ? 1 : 0;
    }
    const double stormSeconds = double(clock.elapsed()) / 1000.0;
    for (std::uint64_t n = 0; ::read(counts[0], &n, sizeof n) == sizeof n;)
        children += n;
    ::close(counts[0]);
    QSignalSpy finished(&window, &MainWindow::captureFinished);
    window.stopCapture();
    finished.wait(30000);
    const auto& session = *window.document()->session();
    std::uint64_t execs = 0, execsWithArgv = 0;
    for (const auto& event : session.events()) {
        if (event.kind != session::EventKind::Exec)
            continue;
        ++execs;
        execsWithArgv += session.lineage().exec(event.a).argc > 0 ? 1 : 0;
    }
    std::printf("real storm with the window live: %llu fork+exec+exit children in %.1f s (%.0f/s) from %ld workers\n",
        static_cast<unsigned long long>(children), stormSeconds, double(children) / stormSeconds, cpus);
    std::printf("real storm: %zu events in the window, %llu execs (argv known for %.1f%%), lost %llu, trailer %s\n", session.events().size(),
        static_cast<unsigned long long>(execs), execs ? 100.0 * double(execsWithArgv) / double(execs) : 0.0,
        static_cast<unsigned long long>(session.totalLost()), session.trailer() ? "present" : "MISSING");
}

} // namespace

int main(int argc, char** argv)
{
    if (argc >= 4 && std::string_view(argv[1]) == "--replay")
        return replay(std::atof(argv[2]), std::atof(argv[3]));
    if (argc >= 6 && std::string_view(argv[1]) == "--write-storm")
        return writeStorm(argv[2], static_cast<std::size_t>(std::atol(argv[3])), std::string_view(argv[4]) == "costs", static_cast<std::size_t>(std::atol(argv[5])));
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    std::size_t events = 1'000'000;
    std::size_t eventsPerProcess = 3; // fork, exec, exit; more are name changes
    double rate = 30'000;
    double seconds = 10;
    const QStringList args = app.arguments();
    const bool openOnly = args.contains(u"--open-only"_qs);
    const bool withCosts = args.contains(u"--costs"_qs); // a Task cost record after every exit
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--events"_qs)
            events = args[i + 1].toULong();
        else if (args[i] == u"--rate"_qs)
            rate = args[i + 1].toDouble();
        else if (args[i] == u"--events-per-process"_qs)
            eventsPerProcess = std::max<std::size_t>(3, args[i + 1].toULong());
        else if (args[i] == u"--seconds"_qs)
            seconds = args[i + 1].toDouble();
    }
    const QString self = QCoreApplication::applicationFilePath();
    openLargeCapture(self, events, withCosts, eventsPerProcess);
    if (openOnly)
        return 0;
    liveStorm(self, rate, seconds);
    std::printf("live, with the rate chart and the timeline showing:\n");
    qputenv("BENCH_GUI_CHARTS", "1");
    liveStorm(self, rate, seconds);
    qunsetenv("BENCH_GUI_CHARTS");
    realStorm(seconds);
    return 0;
}
