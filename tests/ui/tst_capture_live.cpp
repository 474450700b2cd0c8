// SPDX-License-Identifier: GPL-3.0-or-later
// The window capturing for real: its controller starts the helper, a child with a unique name
// appears under its parent in the tree, and stopping yields the helper's trailer. The failure
// paths with fake helpers (pkexec's "no authentication agent", a helper dying mid-stream, a
// missing helper), and SIGTERM to a capturing procscope, which must leave a file with a trailer.

#include "support/kernel_support.h"
#include "support/test_files.h"

#include "capture/decoder.h"
#include "capture/ring_files.h"
#include "capture/ring_limits_text.h"
#include "session/capture_loader.h"
#include "document/capture_document.h"
#include "document/sample_capture.h"
#include "mainwindow/main_window.h"
#include "mainwindow/message_bar.h"
#include "models/process_tree_filter.h"
#include "models/process_tree_model.h"
#include "views/process_tree_view.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QAction>
#include <QTest>
#include <QTreeView>
#include <sys/stat.h>

using namespace procscope;
using namespace procscope::ui;

namespace {

bool waitUntil(const std::function<bool()>& done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < ms)
        QTest::qWait(20);
    return done();
}

session::NodeId findByName(const session::Session& session, std::string_view name)
{
    const auto& lineage = session.lineage();
    for (session::NodeId id = 0; id < lineage.size(); ++id) {
        if (session.strings().view(lineage.node(id).name) == name)
            return id;
    }
    return session::kNoNode;
}

QString writeScript(const QTemporaryDir& dir, const QString& name, const QString& body)
{
    const QString path = dir.filePath(name);
    testing::writeFile(path, (u"#!/bin/sh\n"_qs + body + u"\n"_qs).toUtf8());
    QFile file(path);
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    return path;
}

capture::StreamDecoder decodeFile(const QString& path, std::vector<capture::Record>& records)
{
    capture::StreamDecoder decoder;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return decoder;
    const QByteArray bytes = file.readAll();
    decoder.feed(std::as_bytes(std::span(bytes.constData(), static_cast<std::size_t>(bytes.size()))));
    capture::Record record;
    while (decoder.next(record) != capture::StreamDecoder::Step::NeedMore) {
        if (std::holds_alternative<capture::HeaderRecord>(record) || std::holds_alternative<capture::TrailerRecord>(record)
            || std::holds_alternative<capture::KernelEventRecord>(record))
            records.push_back(record);
        if (decoder.lastError() && decoder.lastError()->kind != capture::DecodeErrorKind::CorruptRecord)
            break;
    }
    return decoder;
}

// Starts a capture with `helper` in its place and waits for the window to report how it ended.
bool captureWith(MainWindow& window, const QString& helper)
{
    window.controller()->setHelperProgram(helper);
    window.show();
    QSignalSpy finished(&window, &MainWindow::captureFinished);
    return window.startCapture({}) && finished.wait(10000);
}

} // namespace

class TestCaptureLive : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void childAppearsUnderItsParentLive()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the window would start the helper through pkexec, which needs a polkit agent");
        if (const auto reason = testing::connectorUnavailableReason())
            QSKIP(reason->c_str());
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.controller()->setHelperProgram(QStringLiteral(PROCSCOPE_HELPER_BIN));
        window.show();
        QVERIFY(window.startCapture({}));
        // The helper has subscribed once its header is in, and described us (the parent) in its snapshot.
        QVERIFY(waitUntil([&] { return window.document()->session()->header() && window.document()->session()->lineage().find(::getpid()) != session::kNoNode; }, 15000));
        QVERIFY(!window.document()->session()->lineage().node(window.document()->session()->lineage().find(::getpid())).placeholder);

        // A program with a name nothing else has: a link to /bin/sleep under that name.
        QTemporaryDir dir;
        const QString unique = u"ps%1"_qs.arg(QRandomGenerator::global()->bounded(100000, 999999));
        const QString program = dir.filePath(unique);
        QVERIFY(QFile::link(u"/bin/sleep"_qs, program));
        const QByteArray programPath = program.toLocal8Bit();
        const pid_t child = testing::spawnExec(programPath.constData(), { "0.3" });
        QVERIFY(child > 0);
        int status = 0;
        ::waitpid(child, &status, 0);
        QCOMPARE(WEXITSTATUS(status), 0);

        QVERIFY2(waitUntil([&] { return findByName(*window.document()->session(), unique.toStdString()) != session::kNoNode; }, 10000),
            "the child never appeared in the session");
        const session::NodeId node = findByName(*window.document()->session(), unique.toStdString());
        // In the tree model: under this test's own process, with its command line and status.
        QVERIFY(waitUntil([&] { return window.document()->treeModel()->indexOf(node).isValid(); }, 5000));
        const QModelIndex index = window.document()->treeModel()->indexOf(node);
        QCOMPARE(index.parent().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), std::uint32_t(::getpid()));
        QVERIFY(waitUntil([&] { return index.siblingAtColumn(ProcessTreeModel::Status).data().toString() == u"exited 0"_qs; }, 5000));
        QCOMPARE(index.siblingAtColumn(ProcessTreeModel::CommandLine).data().toString(), program + u" 0.3"_qs);
        // And it shows in the view the user sees (the filter passes it).
        QVERIFY(window.treeView()->viewIndex(index).isValid());

        // Saving waits for the end of the capture, and says so.
        QAction* save = nullptr;
        for (QAction* action : window.findChildren<QAction*>())
            save = action->text() == u"&Save"_qs ? action : save;
        QVERIFY(save);
        QVERIFY(!save->isEnabled());
        QVERIFY2(save->toolTip().contains(u"stop the capture first"_qs), qPrintable(save->toolTip()));

        QSignalSpy finished(&window, &MainWindow::captureFinished);
        window.stopCapture();
        QVERIFY(finished.wait(15000));
        QVERIFY(save->isEnabled());
        QVERIFY(!save->toolTip().contains(u"stop the capture first"_qs));
        QVERIFY(window.document()->session()->trailer().has_value());
        QCOMPARE(window.document()->session()->totalLost(), std::uint64_t { 0 });
        QVERIFY2(window.messageBar()->text().isEmpty(), qPrintable(window.messageBar()->text()));
        QVERIFY(!window.document()->isSaved()); // live and unsaved until the user saves it
    }

    // A real storm written as a ring of 1 MiB: the files stay within it, and opened again they
    // add up, with what the ring discarded, to what the window saw; the shell that ran the
    // storm keeps its parent although its fork went with the ring's first files.
    void aRingCaptureOfARealStormKeepsItsBound()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the window would start the helper through pkexec, which needs a polkit agent");
        if (const auto reason = testing::connectorUnavailableReason())
            QSKIP(reason->c_str());
        QTemporaryDir dir;
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.controller()->setHelperProgram(QStringLiteral(PROCSCOPE_HELPER_BIN));
        window.show();
        CaptureOptions options;
        options.writePath = dir.filePath(u"storm.pscap"_qs);
        options.ring.maxBytes = capture::kMinRingBytes;
        QVERIFY(window.startCapture(options));
        QVERIFY(waitUntil([&] { return window.document()->session()->header().has_value(); }, 15000));
        const auto ring = window.controller()->ring();
        QVERIFY(ring);

        // One shell forks batches of short processes until the ring has let two files go,
        // however fast this machine forks; it exits afterwards.
        const QString stopFile = dir.filePath(u"stop"_qs);
        const QByteArray script = (u"while [ ! -e '"_qs + stopFile + u"' ]; do i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done; done"_qs).toLocal8Bit();
        const pid_t shell = testing::spawnExec("/bin/sh", { "-c", script.constData() });
        QVERIFY(shell > 0);
        const bool discarded = waitUntil([&] { return ring->discardedFiles() >= 2; }, 120000);
        testing::writeFile(stopFile, QByteArray());
        int status = 0;
        ::waitpid(shell, &status, 0);
        QVERIFY2(discarded, "the ring never discarded a file");
        QVERIFY(waitUntil([&] { return window.document()->session()->lineage().find(std::uint32_t(shell)) != session::kNoNode
                                    && window.document()->session()->lineage().node(window.document()->session()->lineage().find(std::uint32_t(shell))).exitStatus; }, 10000));
        QSignalSpy finished(&window, &MainWindow::captureFinished);
        window.stopCapture();
        QVERIFY(finished.wait(15000));

        const std::vector<std::string> files = capture::ringFilesOf(QFile::encodeName(options.writePath).toStdString());
        QCOMPARE(files.size(), std::size_t(ring->keptFileCount()));
        qint64 onDisk = 0;
        for (const std::string& file : files)
            onDisk += QFileInfo(QFile::decodeName(file.c_str())).size();
        QVERIFY2(onDisk <= qint64(capture::kMinRingBytes) + 64 * 1024, qPrintable(QString::number(onDisk)));
        auto* ringLabel = window.findChild<QLabel*>(u"statusRing"_qs);
        QVERIFY(ringLabel && ringLabel->isVisible());
        QVERIFY2(ringLabel->text().contains(u"discarded from disk"_qs), qPrintable(ringLabel->text()));

        const session::Session& live = *window.document()->session();
        session::Session opened;
        const session::LoadResult loaded = session::loadCapture(files.back(), opened);
        QVERIFY2(loaded.ok(), loaded.ioError ? loaded.ioError->c_str() : loaded.damage ? loaded.damage->message().c_str() : "");
        QCOMPARE(opened.ringDiscards().events, ring->discardedEvents());
        QCOMPARE(opened.host(0).events + opened.ringDiscards().events, live.host(0).events);
        QVERIFY(opened.trailer().has_value());
        const session::NodeId sh = opened.lineage().find(std::uint32_t(shell));
        QVERIFY(sh != session::kNoNode);
        QCOMPARE(opened.lineage().node(sh).parentPid, std::uint32_t(::getpid()));
        QVERIFY(opened.lineage().node(sh).exitStatus.has_value());
    }

    void noAuthenticationAgentIsExplained()
    {
        QTemporaryDir dir;
        const QString fake = writeScript(dir, u"fake-pkexec"_qs,
            u"echo 'Error executing command as another user: No authentication agent found.' >&2\nexit 127"_qs);
        MainWindow window;
        QVERIFY(captureWith(window, fake));
        QCOMPARE(window.messageBar()->level(), MessageBar::Level::Error);
        QVERIFY2(window.messageBar()->text().contains(u"No polkit authentication agent"_qs), qPrintable(window.messageBar()->text()));
        QVERIFY(window.document()->isEmpty()); // nothing was captured: back to the welcome page
        QCOMPARE(window.findChild<QStackedWidget*>()->currentIndex(), 0);
        QCOMPARE(window.controller()->state(), CaptureController::State::Idle);
    }

    void helperDyingMidStreamKeepsWhatArrived()
    {
        // The first half of a real capture, then the helper is killed.
        QFile sample(procscope::ui::sampleCapturePath());
        QVERIFY(sample.open(QIODevice::ReadOnly));
        QTemporaryDir dir;
        const QString half = dir.filePath(u"half.pscap"_qs);
        QFile out(half);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(sample.readAll().left(int(sample.size() / 2)));
        out.close();
        const QString fake = writeScript(dir, u"dying-helper"_qs, u"cat '%1'\nkill -KILL $$"_qs.arg(half));
        MainWindow window;
        window.setAskBeforeDiscarding(false);
        QVERIFY(captureWith(window, fake));
        QCOMPARE(window.messageBar()->level(), MessageBar::Level::Error);
        QVERIFY2(window.messageBar()->text().contains(u"stopped unexpectedly"_qs), qPrintable(window.messageBar()->text()));
        QVERIFY(window.document()->session()->events().size() > 20);
        QVERIFY(window.treeView()->tree()->model()->rowCount() > 0);
        QVERIFY(!window.document()->session()->trailer());
        QCOMPARE(window.findChild<QStackedWidget*>()->currentIndex(), 1); // the capture stays on screen
    }

    void missingHelperIsExplained()
    {
        MainWindow window;
        window.controller()->setHelperProgram(u"/nonexistent/procscope-helper"_qs);
        window.show();
        QVERIFY(!window.startCapture({}));
        QVERIFY2(window.messageBar()->text().contains(u"not found"_qs), qPrintable(window.messageBar()->text()));
        QVERIFY(window.document()->isEmpty());
    }

    void helperFailureLineIsShown()
    {
        QTemporaryDir dir;
        const QString fake = writeScript(dir, u"failing-helper"_qs,
            u"echo 'procscope-helper: cannot subscribe to the proc connector: Operation not permitted (needs CAP_NET_ADMIN)' >&2\nexit 1"_qs);
        MainWindow window;
        QVERIFY(captureWith(window, fake));
        QVERIFY2(window.messageBar()->text().contains(u"CAP_NET_ADMIN"_qs), qPrintable(window.messageBar()->text()));
    }

    void elevationOnlyForRootOwnedHelpers()
    {
        // The system's own programs are root's all the way up.
        QVERIFY2(CaptureController::elevationRefusal(u"/usr/bin/pkexec"_qs).isEmpty(), qPrintable(CaptureController::elevationRefusal(u"/usr/bin/pkexec"_qs)));
        // A file someone else can write, or under a directory someone else owns, is refused.
        QTemporaryDir dir;
        const QString helper = dir.filePath(u"procscope-helper"_qs);
        QFile file(helper);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QVERIFY(::chmod(QFile::encodeName(helper).constData(), 0777) == 0);
        QVERIFY(CaptureController::elevationRefusal(helper).contains(u"can be changed"_qs));
        QVERIFY(::chmod(QFile::encodeName(helper).constData(), 0755) == 0);
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0777) == 0);
        QVERIFY(CaptureController::elevationRefusal(helper).contains(dir.path()));
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0700) == 0);
        if (::geteuid() == 0)
            QVERIFY2(CaptureController::elevationRefusal(helper).isEmpty(), qPrintable(CaptureController::elevationRefusal(helper)));
        else
            QVERIFY(!CaptureController::elevationRefusal(helper).isEmpty()); // the user's own file
    }

    void commandLineNeedsNoDisplay_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("says");
        QTest::newRow("version") << QStringList { u"--version"_qs } << 0 << u"procscope 0.1"_qs;
        QTest::newRow("help") << QStringList { u"--help"_qs } << 0 << u"--capture"_qs;
        QTest::newRow("unknown option") << QStringList { u"--bogus"_qs } << 2 << u"unknown option '--bogus'"_qs;
        QTest::newRow("events without capture") << QStringList { u"--events"_qs, u"exec"_qs } << 2 << u"go with --capture"_qs;
        QTest::newRow("two files") << QStringList { u"a.pscap"_qs, u"b.pscap"_qs } << 2 << u"more than one capture file"_qs;
        QTest::newRow("summary") << QStringList { u"--summary"_qs, procscope::ui::sampleCapturePath() } << 0 << u"events:"_qs;
    }

    void commandLineNeedsNoDisplay()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, status);
        QFETCH(QString, says);
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(u"DISPLAY"_qs);
        env.remove(u"WAYLAND_DISPLAY"_qs);
        env.remove(u"QT_QPA_PLATFORM"_qs);
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PROCSCOPE_BIN), arguments);
        QVERIFY(app.waitForFinished(10000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), status);
        const QString output = QString::fromLocal8Bit(app.readAllStandardOutput() + app.readAllStandardError());
        QVERIFY2(output.contains(says), qPrintable(output));
    }

    void sigtermStopsTheCaptureCleanly()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the window would start the helper through pkexec, which needs a polkit agent");
        if (const auto reason = testing::connectorUnavailableReason())
            QSKIP(reason->c_str());
        QTemporaryDir dir;
        const QString written = dir.filePath(u"written.pscap"_qs);
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"QT_QPA_PLATFORM"_qs, u"offscreen"_qs);
        env.insert(u"XDG_CACHE_HOME"_qs, dir.filePath(u"cache"_qs));
        env.insert(u"XDG_CONFIG_HOME"_qs, dir.filePath(u"config"_qs));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PROCSCOPE_BIN), { u"--capture"_qs, u"--write"_qs, written });
        QVERIFY(app.waitForStarted());
        // Wait for the header to reach the file: the helper has subscribed.
        QVERIFY(waitUntil([&] { return QFileInfo(written).size() > 200; }, 15000));
        QTest::qWait(300);
        ::kill(static_cast<pid_t>(app.processId()), SIGTERM);
        QVERIFY(app.waitForFinished(20000));
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
        std::vector<capture::Record> records;
        const auto decoder = decodeFile(written, records);
        QVERIFY(decoder.sawTrailer());
        QVERIFY(std::holds_alternative<capture::TrailerRecord>(records.back()));
        QCOMPARE(std::get<capture::TrailerRecord>(records.back()).stopReason, capture::StopReason::PeerClosed);
    }
};

QTEST_MAIN(TestCaptureLive)
#include "tst_capture_live.moc"
