// SPDX-License-Identifier: GPL-3.0-or-later
// Capturing over SSH against capturing here, in the same run on the same machine: a private
// sshd (tests/support/test_sshd.h) stands for the remote host, so the kernel's events are the
// same and only the way they travel differs. For a fork + exec storm paced at several rates,
// and unpaced: events that reached the window per second, what was lost, and the CPU the
// window's process spent per 1,000 events/s. Needs root and openssh-server; prints why not
// otherwise. Not part of the test suite (it measures, it does not judge).
//
//   bench_remote [--seconds S]

#include "support/test_sshd.h"

#include "capture/capture_controller.h"
#include "document/capture_document.h"
#include "mainwindow/main_window.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace procscope;
using namespace procscope::ui;

namespace {

double cpuSeconds()
{
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Forks and execs /bin/true `perSecond` times a second (0: as fast as it can) for `seconds`.
pid_t startStorm(double perSecond, double seconds)
{
    const pid_t worker = ::fork();
    if (worker != 0)
        return worker;
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + std::chrono::duration<double>(seconds);
    std::uint64_t n = 0;
    while (std::chrono::steady_clock::now() < until) {
        if (perSecond > 0) {
            const auto due = start + std::chrono::duration<double>(double(n) / perSecond);
            std::this_thread::sleep_until(due);
        }
        const pid_t child = ::fork();
        if (child == 0) {
            ::execl("/bin/true", "true", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        ++n;
    }
    ::_exit(0);
}

struct Run {
    double eventsPerSecond = 0;
    std::uint64_t lost = 0;
    double cpuPerThousand = 0; // % of one core per 1,000 events/s
    bool ok = false;
};

Run measure(const QString& helper, const std::vector<capture::HostTarget>& hosts, double perSecond, double seconds)
{
    Run run;
    MainWindow window;
    window.setAskBeforeDiscarding(false);
    window.resize(1280, 800);
    window.show();
    window.controller()->setHelperProgram(helper);
    CaptureOptions options;
    options.hosts = hosts;
    options.remoteHelper = helper;
    if (!window.startCapture(options))
        return run;
    const session::Session* session = window.document()->session();
    QElapsedTimer wait;
    wait.start();
    while (!(session->header() && session->lineage().size() > 10) && wait.elapsed() < 20000)
        QTest::qWait(20);
    if (!session->header())
        return run;
    QTest::qWait(500);
    const std::size_t before = session->events().size();
    const double cpuBefore = cpuSeconds();
    QElapsedTimer clock;
    clock.start();
    const pid_t storm = startStorm(perSecond, seconds);
    while (::waitpid(storm, nullptr, WNOHANG) == 0)
        QTest::qWait(10);
    // What is still on its way (the socket, ssh, the queue) arrives before the figures are taken.
    std::size_t seen = session->events().size();
    for (int quiet = 0; quiet < 5; QTest::qWait(100)) {
        quiet = session->events().size() == seen ? quiet + 1 : 0;
        seen = session->events().size();
    }
    const double wall = double(clock.elapsed()) / 1000.0 - 0.5; // the quiet half second waited
    const double cpu = cpuSeconds() - cpuBefore;
    const double events = double(session->events().size() - before);
    QSignalSpy finished(&window, &MainWindow::captureFinished);
    window.stopCapture();
    finished.wait(30000);
    run.eventsPerSecond = events / wall;
    run.lost = session->totalLost();
    run.cpuPerThousand = events > 0 ? 100.0 * (cpu / wall) / (run.eventsPerSecond / 1000.0) : 0;
    run.ok = true;
    return run;
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double seconds = 4;
    for (int i = 1; i + 1 < argc; ++i) {
        if (QByteArray(argv[i]) == "--seconds")
            seconds = std::max(1.0, QByteArray(argv[i + 1]).toDouble());
    }
    if (const QString why = testing::TestSshd::unavailableReason(); !why.isEmpty()) {
        std::printf("bench_remote: skipped: %s\n", qPrintable(why));
        return 0;
    }
    testing::TestSshd sshd;
    QString why;
    if (!sshd.start(&why)) {
        std::printf("bench_remote: the private sshd did not start: %s\n", qPrintable(why));
        return 1;
    }
    qputenv("PATH", QFile::encodeName(sshd.binDirectory()) + ':' + qgetenv("PATH"));
    const QString helper = QStringLiteral(PROCSCOPE_HELPER_BIN);
    std::string error;
    const auto remote = *capture::parseHostTarget(sshd.url().toStdString(), error);
    std::printf("bench_remote: a fork + exec storm for %.0f s, captured here and through ssh (%s), one after the other\n", seconds,
        qPrintable(sshd.url()));
    std::printf("%-22s %-8s %14s %10s %26s\n", "storm", "path", "events/s", "lost", "window CPU per 1k events/s");
    for (const double rate : { 100.0, 0.0 }) {
        for (const bool overSsh : { false, true }) {
            const Run run = measure(helper, overSsh ? std::vector { remote } : std::vector<capture::HostTarget> {}, rate, seconds);
            const QString storm = rate > 0 ? u"%1 processes/s"_qs.arg(rate) : u"as fast as it goes"_qs;
            if (!run.ok) {
                std::printf("%-22s %-8s did not start\n", qPrintable(storm), overSsh ? "ssh" : "local");
                continue;
            }
            std::printf("%-22s %-8s %14.0f %10llu %25.2f%%\n", qPrintable(storm), overSsh ? "ssh" : "local", run.eventsPerSecond,
                static_cast<unsigned long long>(run.lost), run.cpuPerThousand);
        }
    }
    return 0;
}
