// SPDX-License-Identifier: GPL-3.0-or-later
// procscope: the desktop application. The command line is parsed once, before any application
// object exists; --export, --summary, --about, --help, --version and usage errors run without a
// display (--about with a QCoreApplication), everything else opens the window.

#include "capture/capture_environment.h"
#include "command_line.h"
#include "headless_modes.h"
#include "mainwindow/main_window.h"
#include "mainwindow/signal_watcher.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>
#include <iostream>

using namespace procscope::app;
using procscope::ui::MainWindow;

namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};

int printAbout(int argc, char** argv)
{
    // findHelper() looks next to the running program: applicationDirPath needs the application.
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationVersion(QStringLiteral(PROCSCOPE_VERSION));
    std::cout << procscope::ui::aboutText(procscope::ui::probeCaptureEnvironment()).toStdString();
    return 0;
}

int runWindow(int argc, char** argv, const std::variant<OpenWindow, StartCapture>& start)
{
    QApplication::setOrganizationName(u"Procscope"_qs);
    QApplication::setApplicationName(u"procscope"_qs);
    QApplication::setApplicationDisplayName(u"Procscope"_qs);
    QApplication::setApplicationVersion(QStringLiteral(PROCSCOPE_VERSION));
    QApplication::setDesktopFileName(u"io.github.procscope"_qs);
    QApplication app(argc, argv);
    // The installed theme's icon when there is one (a packager may replace it), else the built-in copy.
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.procscope"_qs, QIcon(u":/icons/io.github.procscope.svg"_qs)));
    MainWindow window;
    procscope::ui::SignalWatcher watcher;
    QObject::connect(&watcher, &procscope::ui::SignalWatcher::terminationRequested, &window, &MainWindow::stopCaptureAndQuit);
    window.show();
    if (const auto* capture = std::get_if<StartCapture>(&start)) {
        procscope::ui::CaptureOptions options;
        options.events = capture->events;
        options.writePath = capture->writePath;
        options.ring = capture->ring;
        options.elevate = capture->elevate;
        options.hosts = capture->hosts;
        if (!capture->remoteHelper.isEmpty())
            options.remoteHelper = capture->remoteHelper;
        QTimer::singleShot(0, &window, [&window, options] { window.startCapture(options); });
    } else if (const QString file = std::get<OpenWindow>(start).file; !file.isEmpty()) {
        QTimer::singleShot(0, &window, [&window, file] { window.openFile(file); });
    } else {
        QTimer::singleShot(0, &window, &MainWindow::offerRecovery);
    }
    return app.exec();
}

} // namespace

int main(int argc, char** argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return std::visit(Overloaded {
                          [&](const OpenWindow& open) { return runWindow(argc, argv, open); },
                          [&](const StartCapture& capture) { return runWindow(argc, argv, capture); },
                          [](const ExportCapture& request) { return exportCapture(request, std::cout, std::cerr); },
                          [](const SummarizeCapture& request) { return summarizeCapture(request, std::cout, std::cerr); },
                          [&](const ShowAbout&) { return printAbout(argc, argv); },
                          [](const PrintText& print) {
                              std::cout << print.text;
                              return 0;
                          },
                          [](const UsageError& error) {
                              std::cerr << "procscope: " << error.message << "\nTry 'procscope --help'.\n";
                              return 2;
                          },
                      },
        parseCommandLine(arguments));
}
