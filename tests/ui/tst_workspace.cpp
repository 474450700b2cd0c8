// SPDX-License-Identifier: GPL-3.0-or-later
// The application without its window: the workspace opens, captures (with a fake helper that
// streams a capture and waits to be stopped), stops, saves, exports (refused while live),
// recovers, and stops a capture before its disk is full; the navigator keeps the current
// process, Back / Forward and the subtree root. No widget is created here.

#include "document/capture_document.h"
#include "document/navigator.h"
#include "document/recovery_store.h"
#include "document/sample_capture.h"
#include "document/view_options.h"
#include "document/workspace.h"
#include "capture/ring_files.h"
#include "models/event_table_model.h"
#include "session/capture_loader.h"
#include "support/capture_samples.h"
#include "support/small_disk.h"
#include "support/storm_capture.h"
#include "support/test_files.h"
#include "support/work_result.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <ctime>

using namespace procscope;
using namespace procscope::ui;
using session::kNoNode;

namespace {

// A helper that streams `capture` and then waits for its input to close (Stop), as the real
// one does, so the capture stays live until the test stops it.
QString fakeHelper(const QTemporaryDir& dir, const QString& capture)
{
    const QString path = dir.filePath(u"fake-helper"_qs);
    testing::writeFile(
        path, (u"#!/bin/sh\ncat '"_qs + capture + u"'\ncat >/dev/null\n"_qs).toUtf8());
    QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

QString writeLiveStream(const QTemporaryDir& dir)
{
    auto records = testing::sampleStream();
    records.pop_back(); // no trailer: the capture is still running
    const auto bytes = testing::encodeStream(records);
    const QString path = dir.filePath(u"live.pscap"_qs);
    testing::writeFile(path,
        QByteArray(
            reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())));
    return path;
}

// A helper that streams `capture`, waits to be stopped, and then writes its closing record.
QString stoppableHelper(const QTemporaryDir& dir, const QString& capture)
{
    std::vector<std::byte> trailer;
    capture::TrailerRecord record;
    record.stopReason = capture::StopReason::PeerClosed;
    capture::appendRecord(record, trailer);
    const QString trailerPath = dir.filePath(u"trailer.bin"_qs);
    testing::writeFile(trailerPath,
        QByteArray(
            reinterpret_cast<const char*>(trailer.data()), static_cast<qsizetype>(trailer.size())));
    const QString path = dir.filePath(u"stoppable-helper"_qs);
    testing::writeFile(path,
        (u"#!/bin/sh\ncat '"_qs + capture + u"'\ncat >/dev/null\ncat '"_qs + trailerPath
            + u"'\n"_qs)
            .toUtf8());
    QFile(path).setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

// A helper that sends `capture` when started, then waits for Stop.
QString helperReplaying(const QTemporaryDir& dir, const std::vector<std::byte>& capture)
{
    const QString stream = dir.filePath(u"storm.pscap"_qs);
    testing::writeFile(stream,
        QByteArray(
            reinterpret_cast<const char*>(capture.data()), static_cast<qsizetype>(capture.size())));
    return stoppableHelper(dir, stream);
}

std::unique_ptr<RecoveryStore> storeIn(const QTemporaryDir& dir)
{
    return std::make_unique<RecoveryStore>(dir.filePath(u"unsaved"_qs));
}

bool openAndWait(Workspace& workspace, const QString& path)
{
    QSignalSpy opened(&workspace, &Workspace::opened);
    workspace.open(path);
    return (opened.count() > 0 || opened.wait(30000)) && opened.last().first().toBool();
}

QByteArray contents(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestWorkspace : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void opensAFileAndSaysWhatWentWrongWithAnother()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        QSignalSpy notices(&workspace, &Workspace::notice);
        QVERIFY(!openAndWait(workspace, dir.filePath(u"missing.pscap"_qs)));
        QVERIFY(workspace.document()->isEmpty());
        QCOMPARE(notices.last().first().value<Workspace::Severity>(), Workspace::Severity::Error);
        QVERIFY2(notices.last().at(1).toString().contains(u"missing.pscap"_qs),
            qPrintable(notices.last().at(1).toString()));

        QVERIFY(openAndWait(workspace, sampleCapturePath()));
        QVERIFY(workspace.hasCapture());
        QVERIFY(!workspace.hasUnsavedCapture());
        QCOMPARE(workspace.captureName(), u"build-session.pscap"_qs);
        QVERIFY(workspace.recentFiles().isEmpty()); // the sample is not a recent file of the user's
        QVERIFY(workspace.document()->session()->events().size() >= 39); // the build's events
    }

    void capturesStopsAndSaves()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(fakeHelper(dir, writeLiveStream(dir)));
        CaptureOptions options;
        options.elevate = false;
        QVERIFY(workspace.startCapture(options));
        QVERIFY(workspace.capturing());
        QVERIFY(!workspace.idle());
        QVERIFY(QTest::qWaitFor(
            [&] { return workspace.document()->session()->events().size() >= 5; }, 10000));
        QVERIFY(workspace.hasUnsavedCapture());
        const QString recovery = workspace.document()->sourcePath();
        QVERIFY(recovery.startsWith(dir.filePath(u"unsaved"_qs)));

        // Nothing reads the events while they still arrive: export and save say why not.
        const QString exported = dir.filePath(u"out.jsonl"_qs);
        QFuture<WorkResult> refused = workspace.exportTo(exported, session::ExportFormat::Jsonl);
        QVERIFY(refused.isFinished());
        QVERIFY(!refused.result().ok);
        QVERIFY2(refused.result().error.contains(u"Stop the capture"_qs),
            qPrintable(refused.result().error));
        QVERIFY(!QFile::exists(exported));
        QVERIFY(!finishedOk(workspace.saveTo(dir.filePath(u"early.pscap"_qs))));

        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        workspace.stopCapture();
        QVERIFY(finished.wait(10000));
        QVERIFY(workspace.idle());
        QVERIFY(workspace.hasUnsavedCapture()); // still only in the recovery file

        const QString saved = dir.filePath(u"saved.pscap"_qs);
        QVERIFY(finishedOk(workspace.saveTo(saved)));
        QVERIFY(!workspace.hasUnsavedCapture());
        QCOMPARE(workspace.document()->sourcePath(), saved);
        QCOMPARE(workspace.recentFiles().value(0), QFileInfo(saved).absoluteFilePath());
        QVERIFY(!QFile::exists(recovery)); // saved elsewhere: the recovery copy goes
        QVERIFY(contents(saved).size() > 100);

        QVERIFY(finishedOk(workspace.exportTo(exported, session::ExportFormat::Jsonl)));
        QCOMPARE(contents(exported).count('\n'),
            qsizetype(workspace.document()->session()->events().size()));
    }

    void aCaptureStopsBeforeItsDiskIsFull()
    {
        testing::SmallDisk disk(4096);
        if (!disk.mounted())
            QSKIP(qPrintable(disk.problem()));
        QTemporaryDir dir;
        // 3.5 MiB of events for a 4 MiB disk: the capture must stop while the closing record fits.
        const auto storm = testing::stormCapture(32'000);
        QVERIFY(storm.size() > 3 * 1024 * 1024 && storm.size() < 4 * 1024 * 1024 - 256 * 1024);
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(helperReplaying(dir, storm));
        QSignalSpy notices(&workspace, &Workspace::notice);
        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        CaptureOptions options;
        options.elevate = false;
        options.writePath = disk.filePath(u"capture.pscap"_qs);
        QVERIFY(workspace.startCapture(options));
        QVERIFY(finished.wait(30000)); // nobody pressed Stop
        QString said;
        for (const auto& notice : notices) {
            if (notice.first().value<Workspace::Severity>() == Workspace::Severity::Warning)
                said = notice.at(1).toString();
        }
        QVERIFY2(said.contains(u"left on the disk holding"_qs) && said.contains(options.writePath),
            qPrintable(said));
        QVERIFY2(said.contains(u"Capture stopped"_qs), qPrintable(said)); // and what it holds

        // The file is whole: every event the window shows, and the closing record.
        session::Session written;
        const session::LoadResult loaded
            = session::loadCapture(QFile::encodeName(options.writePath).toStdString(), written);
        QVERIFY2(loaded.ok(), loaded.damage ? loaded.damage->message().c_str() : "i/o");
        QVERIFY(written.trailer().has_value());
        QCOMPARE(written.events().size(), workspace.document()->session()->events().size());
        QVERIFY(written.events().size() > 30'000);
        QCOMPARE(workspace.document()->sourcePath(), options.writePath);
    }

    void aRingCaptureKeepsItsBoundAndOpensAsOne()
    {
        QTemporaryDir dir;
        const auto storm = testing::stormCapture(60'000); // about 6 MiB
        session::Session whole;
        QVERIFY(session::loadCapture(storm, whole).damage == std::nullopt);
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(helperReplaying(dir, storm));
        QSignalSpy notices(&workspace, &Workspace::notice);
        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        CaptureOptions options;
        options.elevate = false;
        options.writePath = dir.filePath(u"build.pscap"_qs);
        options.ring.maxBytes = 1 << 20;
        QVERIFY(workspace.startCapture(options));
        // The ring is the capture's safe copy: no recovery file grows beside it.
        QVERIFY(QDir(dir.filePath(u"unsaved"_qs)).entryList({ u"*.pscap"_qs }, QDir::Files).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            workspace.document()->session()->events().size() == whole.events().size(), 30000);
        workspace.stopCapture();
        QVERIFY(finished.wait(30000));

        const auto ring = workspace.controller()->ring();
        QVERIFY(ring);
        const std::vector<std::string> files
            = capture::ringFilesOf(QFile::encodeName(options.writePath).toStdString());
        QVERIFY(files.size() >= 2);
        std::uint64_t onDisk = 0;
        for (const std::string& file : files)
            onDisk += QFileInfo(QFile::decodeName(file.c_str())).size();
        QVERIFY2(onDisk <= (1 << 20) + 4096, qPrintable(QString::number(onDisk)));
        QVERIFY(ring->discardedEvents() > 0);
        QString said;
        for (const auto& notice : notices)
            said += notice.at(1).toString() + u'\n';
        QVERIFY2(said.contains(u"older events discarded by the ring: "_qs), qPrintable(said));
        // The window still shows everything; the newest file names the ring, already saved.
        QCOMPARE(workspace.document()->session()->events().size(), whole.events().size());
        QVERIFY(capture::parseRingFileName(QFile::encodeName(workspace.document()->sourcePath()).toStdString()).number > 1);
        QVERIFY(workspace.document()->isSaved());
        QFuture<WorkResult> save = workspace.saveTo(dir.filePath(u"copy.pscap"_qs));
        QVERIFY(!finishedOk(save));
        QVERIFY2(save.result().error.contains(u"ring of files"_qs), qPrintable(save.result().error));

        // Opened again: what the ring kept, and how much it discarded, adding up to the whole.
        Workspace reader(storeIn(dir), nullptr);
        QVERIFY(openAndWait(reader, QFile::decodeName(files.front().c_str())));
        const session::Session& opened = *reader.document()->session();
        QCOMPARE(opened.ringDiscards().events, ring->discardedEvents());
        QCOMPARE(opened.host(0).events + opened.ringDiscards().events, whole.host(0).events);
        QVERIFY(opened.trailer().has_value());
    }

    // The ring's next file cannot be created (here its name is taken by a directory, for every
    // second it could start in): the user is told where and why, the window keeps every
    // event, and the capture is left unsaved (the files miss what came after), so closing it
    // asks first and Export keeps it all.
    void aRingThatCannotWriteLeavesTheCaptureUnsaved()
    {
        QTemporaryDir dir;
        const auto storm = testing::stormCapture(60'000); // about 6 MiB: many files of 128 KiB
        session::Session whole;
        QVERIFY(session::loadCapture(storm, whole).damage == std::nullopt);
        const QString base = dir.filePath(u"build.pscap"_qs);
        const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
        for (std::int64_t second = now - 5; second < now + 300; ++second)
            QVERIFY(QDir().mkpath(QFile::decodeName(capture::ringFilePath(QFile::encodeName(base).toStdString(), 2, second).c_str())));
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(helperReplaying(dir, storm));
        QSignalSpy notices(&workspace, &Workspace::notice);
        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        CaptureOptions options;
        options.elevate = false;
        options.writePath = base;
        options.ring.maxBytes = 1 << 20;
        QVERIFY(workspace.startCapture(options));
        QTRY_VERIFY_WITH_TIMEOUT(workspace.document()->session()->events().size() == whole.events().size(), 30000);
        workspace.stopCapture();
        QVERIFY(finished.wait(30000));

        const auto ring = workspace.controller()->ring();
        QVERIFY(ring);
        QCOMPARE(ring->error(), EISDIR);
        QString said;
        for (const auto& notice : notices)
            said += notice.at(1).toString() + u'\n';
        QVERIFY2(said.contains(u"build_00002_"_qs) && said.contains(QString::fromLocal8Bit(std::strerror(EISDIR))), qPrintable(said));
        QCOMPARE(workspace.document()->session()->events().size(), whole.events().size());
        QVERIFY(workspace.hasUnsavedCapture());
        QVERIFY(workspace.document()->sourcePath().isEmpty());
        const QString exported = dir.filePath(u"all.jsonl"_qs);
        QFuture<WorkResult> done = workspace.exportTo(exported, session::ExportFormat::Jsonl);
        QVERIFY(finishedOk(done));
        QCOMPARE(done.result().events, whole.events().size());
    }

    void aFileOfSeveralHostsOpensWhenOneNeverStarted()
    {
        // build1 failed before this machine's header was written: its end comes first.
        QTemporaryDir dir;
        const auto sample
            = testing::readBytes(QFile::encodeName(sampleCapturePath()).toStdString());
        std::vector<std::byte> file;
        capture::appendPreamble(file, capture::kMultiHostMajorVersion);
        capture::appendRecord(capture::HostRecord { 0, "desk", "local" }, file);
        capture::appendRecord(capture::HostRecord { 1, "build1", "ssh://build1" }, file);
        capture::appendRecord(capture::HostEndRecord { 1, capture::HostEndReason::FailedToStart, 1,
                                  "build1 could not be found" },
            file);
        capture::appendHostBytes(0, sample, file);
        const QString path = dir.filePath(u"two.pscap"_qs);
        testing::writeFile(path,
            QByteArray(
                reinterpret_cast<const char*>(file.data()), static_cast<qsizetype>(file.size())));
        Workspace workspace(storeIn(dir), nullptr);
        QVERIFY(openAndWait(workspace, path));
        const session::Session& opened = *workspace.document()->session();
        QCOMPARE(opened.hosts().size(), std::size_t(2));
        QVERIFY(opened.hosts()[1].end
            && opened.hosts()[1].end->reason == capture::HostEndReason::FailedToStart);
        QVERIFY(opened.events().size() >= 39);
        QVERIFY(workspace.document()->eventModel()->timeOrdered());
    }

    void aFileThatIsNotACaptureLeavesTheWindowAsItWas()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        QVERIFY(openAndWait(workspace, sampleCapturePath()));
        const auto* shown = workspace.document()->session();
        const QString text = dir.filePath(u"notes.txt"_qs);
        testing::writeFile(text, QByteArray(100'000, 'x'));
        QSignalSpy notices(&workspace, &Workspace::notice);
        QVERIFY(!openAndWait(workspace, text));
        QCOMPARE(workspace.document()->session(), shown);
        QCOMPARE(workspace.document()->sourcePath(), sampleCapturePath());
        QVERIFY2(notices.last().at(1).toString().contains(u"notes.txt"_qs),
            qPrintable(notices.last().at(1).toString()));
    }

    void aFileWhoseHeaderIsDamagedLeavesTheWindowAsItWas()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        QVERIFY(openAndWait(workspace, sampleCapturePath()));
        const auto* shown = workspace.document()->session();
        // The sample stream with one byte of its header record's body changed: its events
        // still decode, but nothing says what capture they belong to.
        auto bytes = testing::encodeStream(testing::sampleStream());
        bytes[capture::kPreambleSize + capture::kRecordHeaderSize + 4] ^= std::byte { 0x40 };
        const QString damaged = dir.filePath(u"damaged-header.pscap"_qs);
        testing::writeFile(damaged,
            QByteArray(
                reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())));
        QSignalSpy notices(&workspace, &Workspace::notice);
        QVERIFY(!openAndWait(workspace, damaged));
        QCOMPARE(workspace.document()->session(), shown);
        QCOMPARE(workspace.document()->sourcePath(), sampleCapturePath());
        QVERIFY2(notices.last().at(1).toString().contains(u"header"_qs),
            qPrintable(notices.last().at(1).toString()));
        QCOMPARE(notices.last().first().value<Workspace::Severity>(), Workspace::Severity::Error);
    }

    void aCaptureLeftBehindIsRecoveredUnsaved()
    {
        QTemporaryDir dir;
        QString recovery;
        std::size_t captured = 0;
        {
            Workspace crashed(storeIn(dir), nullptr);
            crashed.controller()->setHelperProgram(fakeHelper(dir, writeLiveStream(dir)));
            CaptureOptions options;
            options.elevate = false;
            QVERIFY(crashed.startCapture(options));
            QVERIFY(QTest::qWaitFor(
                [&] { return crashed.document()->session()->events().size() >= 5; }, 10000));
            recovery = crashed.document()->sourcePath();
            QSignalSpy finished(&crashed, &Workspace::captureFinished);
            crashed.stopCapture();
            QVERIFY(finished.wait(10000));
            captured = crashed.document()->session()->events().size();
            crashed.keepForRecovery(); // as a window killed by a signal leaves it
        }
        QVERIFY(QFile::exists(recovery));
        Workspace next(storeIn(dir), nullptr);
        QCOMPARE(next.recoverableCaptures(), QStringList { recovery });
        QSignalSpy opened(&next, &Workspace::opened);
        QVERIFY(next.recover(recovery));
        QVERIFY(next.openingRecoveryFile()); // the window keeps it, should it close meanwhile
        QVERIFY(opened.wait(10000));
        QVERIFY(!next.openingRecoveryFile());
        QVERIFY(opened.first().first().toBool());
        QVERIFY(next.hasUnsavedCapture());
        QCOMPARE(next.document()->session()->events().size(),
            captured); // the kernel events and the loss rows
        next.close();
        QVERIFY(!QFile::exists(recovery)); // closed without saving: discarded
    }

    void aBusyWorkspaceRefusesToStartOrOpen()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        QSignalSpy opened(&workspace, &Workspace::opened);
        QVERIFY(workspace.open(sampleCapturePath()));
        QVERIFY(workspace.opening());
        QVERIFY(!workspace.startCapture({}));
        QVERIFY(!workspace.open(sampleCapturePath()));
        QVERIFY(opened.wait(30000));
        QVERIFY(opened.last().first().toBool());
    }

    void navigatorRemembersWhereTheUserWent()
    {
        Navigator navigator;
        navigator.setNodeCount(10);
        QSignalSpy current(&navigator, &Navigator::currentNodeChanged);
        navigator.selectNode(1);
        navigator.selectNode(2);
        navigator.selectNode(2); // the same again: no new step
        navigator.selectNode(3);
        navigator.selectNode(42); // not a process of this capture
        QCOMPARE(current.count(), 3);
        QCOMPARE(navigator.currentNode(), 3u);
        navigator.goBack();
        navigator.goBack();
        QCOMPARE(navigator.currentNode(), 1u);
        QVERIFY(!navigator.canGoBack());
        navigator.goForward();
        QCOMPARE(navigator.currentNode(), 2u);
        navigator.selectNode(7); // a new branch drops what was ahead (3)
        QVERIFY(!navigator.canGoForward());
        navigator.goBack();
        QCOMPARE(navigator.currentNode(), 2u);

        // An event shows in the details without moving the views; its process joins the history.
        QSignalSpy event(&navigator, &Navigator::currentEventChanged);
        navigator.selectEvent(123, 5);
        QCOMPARE(event.count(), 1);
        QCOMPARE(navigator.currentEvent(), std::size_t(123));
        QCOMPARE(navigator.currentNode(), 2u);
        // Selecting the current process again shows it again (the details showed the event).
        const auto before = current.count();
        navigator.selectNode(2);
        QCOMPARE(current.count(), before + 1);
        QCOMPARE(navigator.currentEvent(), Navigator::kNoEvent);

        QSignalSpy root(&navigator, &Navigator::subtreeRootChanged);
        navigator.showOnlySubtree(4);
        QCOMPARE(navigator.subtreeRoot(), 4u);
        navigator.showWholeTree();
        QCOMPARE(navigator.subtreeRoot(), kNoNode);
        QCOMPARE(root.count(), 2);
        navigator.showOnlySubtree(4);
        navigator.reset();
        QCOMPARE(navigator.subtreeRoot(), kNoNode);
        QCOMPARE(navigator.currentNode(), kNoNode);
        QVERIFY(!navigator.canGoBack() && !navigator.canGoForward());
    }

    void aDifferentCaptureStartsANewHistory()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        QVERIFY(openAndWait(workspace, sampleCapturePath()));
        Navigator* navigator = workspace.document()->navigator();
        navigator->selectNode(1);
        navigator->selectNode(2);
        QVERIFY(navigator->canGoBack());
        QVERIFY(openAndWait(workspace, sampleCapturePath()));
        QVERIFY(!navigator->canGoBack());
        QCOMPARE(navigator->currentNode(), kNoNode);
    }

    void viewOptionsAreRemembered()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"settings.ini"_qs), QSettings::IniFormat);
        {
            Workspace workspace(storeIn(dir), nullptr);
            ViewOptions* options = workspace.document()->viewOptions();
            QSignalSpy changed(options, &ViewOptions::hideExitedSecondsChanged);
            options->setShowHelper(true);
            options->setHideExitedSeconds(30);
            options->setHideExitedSeconds(-5); // never negative
            QCOMPARE(options->hideExitedSeconds(), 0);
            options->setHideExitedSeconds(30);
            QCOMPARE(changed.count(), 3);
            workspace.saveSettings(settings);
        }
        Workspace again(storeIn(dir), nullptr);
        again.restoreSettings(settings);
        QVERIFY(again.document()->viewOptions()->showHelper());
        QCOMPARE(again.document()->viewOptions()->hideExitedSeconds(), 30);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
