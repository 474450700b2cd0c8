// SPDX-License-Identifier: GPL-3.0-or-later
// procscope: the desktop application. --summary, --export and --about run without a display
// (and without a QApplication); everything else opens the window.

#include "capture/capture_environment.h"
#include "mainwindow/main_window.h"
#include "mainwindow/signal_watcher.h"
#include "session/headless.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>
#include <iostream>
#include <string_view>

using procscope::ui::MainWindow;

int main(int argc, char** argv)
{
    if (const auto status = procscope::session::runHeadless(argc, argv, std::cout, std::cerr))
        return *status;

    // --about: the helper this program would run and the capture privileges here. A
    // QCoreApplication is enough (findHelper() needs applicationDirPath), so no display is.
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) != "--about")
            continue;
        if (argc != 2) {
            std::cerr << "procscope: --about goes alone\nTry 'procscope --help'.\n";
            return 2;
        }
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationVersion(QStringLiteral(PROCSCOPE_VERSION));
        std::cout << procscope::ui::aboutText(procscope::ui::probeCaptureEnvironment()).toStdString();
        return 0;
    }

    QApplication::setOrganizationName(u"Procscope"_qs);
    QApplication::setApplicationName(u"procscope"_qs);
    QApplication::setApplicationDisplayName(u"Procscope"_qs);
    QApplication::setApplicationVersion(QStringLiteral(PROCSCOPE_VERSION));
    QApplication::setDesktopFileName(u"io.github.procscope"_qs);
    // The installed theme's icon when there is one (a packager may replace it), else the built-in copy.

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Process lifecycle activity, live from the kernel's Proc Connector.\n\n"
                                     "Headless modes (no display needed):\n"
                                     "  procscope --export OUT [--format jsonl|csv|chrome] [--filter EXPR] FILE\n"
                                     "  procscope --summary FILE\n"
                                     "  procscope --about     version, kernel, capture helper and privileges"_qs);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption capture(u"capture"_qs, u"Start capturing at once."_qs);
    const QCommandLineOption events(u"events"_qs, u"With --capture: the events to capture (fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,nonzero-exit)."_qs, u"LIST"_qs);
    const QCommandLineOption write(u"write"_qs, u"With --capture: also save the capture to FILE as it arrives."_qs, u"FILE"_qs);
    const QCommandLineOption unprivileged(u"unprivileged"_qs, u"With --capture: capture without elevation (Linux 6.6+, reduced details)."_qs);
    parser.addOptions({ capture, events, write, unprivileged });
    parser.addPositionalArgument(u"FILE"_qs, u"A capture file to open."_qs, u"[FILE]"_qs);
    // Parsed before the application exists: --help, --version and mistakes need no display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (!parser.parse(arguments)) {
        std::cerr << "procscope: " << parser.errorText().toStdString() << "\nTry 'procscope --help'.\n";
        return 2;
    }
    if (parser.isSet(u"help"_qs)) {
        std::cout << parser.helpText().toStdString();
        return 0;
    }
    if (parser.isSet(u"version"_qs)) {
        std::cout << "procscope " << PROCSCOPE_VERSION << "\n";
        return 0;
    }

    const QStringList files = parser.positionalArguments();
    const auto usage = [](const char* message) {
        std::cerr << "procscope: " << message << "\nTry 'procscope --help'.\n";
        return 2;
    };
    if (files.size() > 1)
        return usage("more than one capture file given");
    if (parser.isSet(capture) && !files.isEmpty())
        return usage("--capture and a FILE to open are separate runs");
    if (!parser.isSet(capture) && (parser.isSet(events) || parser.isSet(write) || parser.isSet(unprivileged)))
        return usage("--events, --write and --unprivileged go with --capture");

    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon::fromTheme(u"io.github.procscope"_qs, QIcon(u":/icons/io.github.procscope.svg"_qs)));
    MainWindow window;
    procscope::ui::SignalWatcher watcher;
    QObject::connect(&watcher, &procscope::ui::SignalWatcher::terminationRequested, &window, &MainWindow::stopCaptureAndQuit);
    window.show();
    if (parser.isSet(capture)) {
        procscope::ui::CaptureOptions options;
        options.events = parser.value(events);
        options.writePath = parser.value(write);
        options.elevate = !parser.isSet(unprivileged);
        QTimer::singleShot(0, &window, [&window, options] { window.startCapture(options); });
    } else if (!files.isEmpty()) {
        const QString file = files.first();
        QTimer::singleShot(0, &window, [&window, file] { window.openFile(file); });
    } else {
        QTimer::singleShot(0, &window, &MainWindow::offerRecovery);
    }
    return app.exec();
}
