// SPDX-License-Identifier: GPL-3.0-or-later
// Renders the main window to a PNG, for the README and for looking at changes:
//   screenshot_window OUT.png [--open FILE | --capture SECONDS | --welcome] [--size WxH] [--dark]
//   [--search TEXT] [--expand] [--filter EXPR] [--select PID] [--processes] [--tab N] [--top-tab N]
//   [--colour-timeline N] (0 status, 1 CPU share, 2 peak memory) [--loading MS] (with --open: MS
//   milliseconds into opening, while the file is still being read)
// Runs on any Qt platform; scripts/screenshots uses the offscreen one.

#include "capture/capture_controller.h"
#include "mainwindow/main_window.h"
#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "views/filter_bar.h"
#include "views/process_tree_view.h"
#include "views/timeline_view.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPalette>
#include <QProcess>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <iostream>

using namespace procscope::ui;

static QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(45, 45, 48));
    p.setColor(QPalette::WindowText, QColor(230, 230, 230));
    p.setColor(QPalette::Base, QColor(30, 30, 32));
    p.setColor(QPalette::AlternateBase, QColor(40, 40, 44));
    p.setColor(QPalette::Text, QColor(230, 230, 230));
    p.setColor(QPalette::Button, QColor(53, 53, 56));
    p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Light, QColor(75, 75, 80));
    p.setColor(QPalette::Midlight, QColor(62, 62, 66));
    p.setColor(QPalette::Mid, QColor(40, 40, 43));
    p.setColor(QPalette::Dark, QColor(25, 25, 27));
    p.setColor(QPalette::Shadow, QColor(10, 10, 10));
    p.setColor(QPalette::ToolTipBase, QColor(53, 53, 56));
    p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
    for (const auto role : { QPalette::Text, QPalette::WindowText, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, QColor(120, 120, 120));
    p.setColor(QPalette::Disabled, QPalette::Light, QColor(45, 45, 48)); // no embossed shadow under disabled text
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    return p;
}

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // no settings or recovery files of the user's
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_qs));
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::cerr << "usage: screenshot_window OUT.png [--open FILE | --capture SECONDS | --welcome] [--size WxH] [--dark] [--search TEXT] [--expand] [--filter EXPR] [--select PID] [--processes] [--tab N] [--top-tab N] [--colour-timeline N]\n";
        return 2;
    }
    const QString out = args[1];
    const auto value = [&](const QString& name) {
        const auto at = args.indexOf(name);
        return at > 0 && at + 1 < args.size() ? args[at + 1] : QString();
    };
    if (args.contains(u"--dark"_qs))
        QApplication::setPalette(darkPalette());
    MainWindow window;
    window.setAskBeforeDiscarding(false);
    const QStringList size = (value(u"--size"_qs).isEmpty() ? u"1280x800"_qs : value(u"--size"_qs)).split(u'x');
    window.resize(size.value(0).toInt(), size.value(1).toInt());
    window.show();

    const auto waitFor = [](const std::function<bool()>& done, int ms) {
        QElapsedTimer clock;
        clock.start();
        while (!done() && clock.elapsed() < ms)
            QTest::qWait(50);
        return done();
    };
    if (!value(u"--open"_qs).isEmpty()) {
        bool opened = false;
        QObject::connect(&window, &MainWindow::fileOpened, [&](bool ok) { opened = ok || true; });
        window.openFile(value(u"--open"_qs));
        if (!value(u"--loading"_qs).isEmpty()) // the window while a large file is still being read
            QTest::qWait(value(u"--loading"_qs).toInt());
        else
            waitFor([&] { return opened; }, 30000);
    } else if (!value(u"--capture"_qs).isEmpty()) {
        CaptureOptions options;
        if (!window.startCapture(options))
            return 1;
        // Some activity to watch: a short build-like burst of processes.
        QProcess::execute(u"/bin/sh"_qs, { u"-c"_qs, u"for i in 1 2 3 4 5; do ls /usr >/dev/null; sh -c 'sleep 0.2; false'; done; (sleep 5 &) ; cat /etc/hostname >/dev/null"_qs });
        QTest::qWait(value(u"--capture"_qs).toInt() * 1000);
    }
    if (args.contains(u"--expand"_qs))
        window.treeView()->expandAll();
    if (!value(u"--search"_qs).isEmpty())
        window.treeView()->search(value(u"--search"_qs));
    if (!value(u"--filter"_qs).isEmpty()) {
        window.filterBar()->setExpression(value(u"--filter"_qs), true);
        waitFor([&] { return !window.document()->displayFilter()->busy(); }, 30000);
    }
    if (!value(u"--select"_qs).isEmpty() && window.document()->session())
        window.selectNode(window.document()->session()->lineage().find(value(u"--select"_qs).toUInt()));
    if (args.contains(u"--processes"_qs))
        window.findChild<QTabWidget*>(u"tables"_qs)->setCurrentIndex(1);
    if (!value(u"--colour-timeline"_qs).isEmpty())
        window.findChild<TimelineView*>()->setColouring(value(u"--colour-timeline"_qs).toInt());
    if (!value(u"--top-tab"_qs).isEmpty())
        window.topTabs()->setCurrentIndex(value(u"--top-tab"_qs).toInt());
    if (!value(u"--tab"_qs).isEmpty())
        window.findChild<QTabWidget*>(u"tables"_qs)->setCurrentIndex(value(u"--tab"_qs).toInt());
    QTest::qWait(300);
    const bool saved = window.grab().save(out);
    if (window.controller()->state() != CaptureController::State::Idle) {
        window.stopCapture();
        waitFor([&] { return window.controller()->state() == CaptureController::State::Idle; }, 15000);
    }
    std::cout << (saved ? "wrote " : "could not write ") << out.toStdString() << "\n";
    return saved ? 0 : 1;
}
