// SPDX-License-Identifier: GPL-3.0-or-later
// The window, offscreen, as a new user meets it: the bundled sample opened (tree shape, status
// bar against `procscope --summary`, search), a corrupt and a cut-short file, the recovery of a
// capture a crashed window left behind, and the remembered layout.

#include "document/capture_document.h"
#include "document/sample_capture.h"
#include "mainwindow/main_window.h"
#include "support/work_result.h"
#include "mainwindow/message_bar.h"
#include "document/recovery_store.h"
#include "mainwindow/status_panel.h"
#include "models/event_table_model.h"
#include "models/process_table_model.h"
#include "models/process_tree_model.h"
#include "views/process_table_view.h"
#include "views/event_table_view.h"
#include "views/process_tree_view.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTimer>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include "support/procscope_run.h"
#include "support/storm_capture.h"
#include "support/test_files.h"
#include "support/tree_search.h"

#include <QTest>
#include <QTreeView>

using namespace procscope;
using namespace procscope::ui;
using procscope::testing::findPid;

namespace {

QStringList childrenOf(const QModelIndex& parent)
{
    QStringList out;
    for (int row = 0; row < parent.model()->rowCount(parent); ++row)
        out << parent.model()->index(row, 0, parent).data().toString() + u"["_qs
                + parent.model()->index(row, ProcessTreeModel::Pid, parent).data().toString() + u"]"_qs;
    return out;
}

std::string summaryOf(const char* path)
{
    const auto run = testing::runProcscope({ u"--summary"_qs, QString::fromLocal8Bit(path) });
    return run.status == 0 ? run.out.toStdString() : std::string();
}

void writeStorm(const QString& path, std::size_t events)
{
    const auto bytes = testing::stormCapture(events);
    testing::writeFile(path, QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())));
}

bool openAndWait(MainWindow& window, const QString& path)
{
    QSignalSpy opened(&window, &MainWindow::fileOpened);
    window.openFile(path);
    if (!opened.wait(30000))
        return false;
    return opened.first().first().toBool();
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QSettings().clear();
        QDir(RecoveryStore().directory()).removeRecursively();
    }

    void startsOnTheWelcomePage()
    {
        MainWindow window;
        window.show();
        auto* stack = window.findChild<QStackedWidget*>();
        QVERIFY(stack);
        QCOMPARE(stack->currentWidget()->objectName(), u"welcomePage"_qs);
        // The sample is found where it is installed (here, the build tree's copy beside bin/),
        // not in the source checkout.
        const QString sample = procscope::ui::sampleCapturePath();
        QVERIFY(!sample.isEmpty());
        QVERIFY2(!sample.startsWith(QDir(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../resources")).canonicalPath()), qPrintable(sample));
        QCOMPARE(window.statusPanel()->stateLabel()->text(), u"Ready"_qs);
    }

    void sampleOpensWithItsKnownTree()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const QAbstractItemModel& tree = *window.treeView()->tree()->model();
        // The recorded build: sh[22310] ran rm, mkdir, then two compiler drivers; cc[22313] ran cc1 and as.
        const QModelIndex sh = findPid(tree, 22310);
        QVERIFY(sh.isValid());
        QCOMPARE(sh.data().toString(), u"sh"_qs);
        const QStringList shChildren = childrenOf(sh);
        QCOMPARE(shChildren.mid(0, 4), (QStringList { u"rm[22311]"_qs, u"mkdir[22312]"_qs, u"cc[22313]"_qs, u"cc[22316]"_qs }));
        QCOMPARE(shChildren.size(), 8); // --summary: "sh[22310] (8)"
        QCOMPARE(childrenOf(findPid(tree, 22313)), (QStringList { u"cc1[22314]"_qs, u"as[22315]"_qs }));
        QCOMPARE(sh.siblingAtColumn(ProcessTreeModel::Status).data().toString(), u"killed by SIGKILL"_qs);
        // The build is what one sees first: the tree's one top-level row is the shell that
        // started it, known only by its pid (the sample keeps the build's processes alone:
        // scripts/record-sample), with sh[22310] under it, shown; the event table starts with
        // sh's fork.
        QCOMPARE(tree.rowCount(), 1);
        const QModelIndex top = tree.index(0, 0);
        QCOMPARE(top.siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 22231u);
        QCOMPARE(childrenOf(top), QStringList { u"sh[22310]"_qs });
        QVERIFY(window.treeView()->tree()->isExpanded(top));
        QVERIFY(window.treeView()->tree()->isExpanded(sh));
        const QAbstractItemModel& events = *window.eventView()->table()->model();
        QCOMPARE(events.index(0, EventTableModel::Pid).data().toString(), u"22310"_qs);
        QCOMPARE(events.index(0, EventTableModel::Process).data().toString(), u"sh"_qs);
        QCOMPARE(window.windowTitle(), u"build-session.pscap[*] \u2014 Procscope"_qs);
    }

    void statusBarAgreesWithSummary()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        const std::string summary = summaryOf(procscope::ui::sampleCapturePath().toLocal8Bit().constData());
        QVERIFY(!summary.empty());
        // "events:     179 (fork 61, ...)"
        const auto at = summary.find("events:");
        const unsigned long events = std::stoul(summary.substr(at + 7));
        QCOMPARE(window.statusPanel()->eventsLabel()->text(), QLocale().toString(qulonglong(events)) + u" events"_qs);
        QCOMPARE(window.statusPanel()->lossLabel()->text(), u"no loss"_qs);
        QCOMPARE(window.eventView()->table()->model()->rowCount(), int(events));
        // Every process of the build ended (sh[22310] was killed); the shell that started it
        // was still running.
        QCOMPARE(window.document()->runningProcesses(), std::size_t { 1 });
        QCOMPARE(window.statusPanel()->processesLabel()->text(), u"1 running at the end"_qs);
    }

    void searchSelectsAndRevealsMatches()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        QTreeView* tree = window.treeView()->tree();
        tree->collapseAll();
        // Words of a command line match across its arguments.
        window.treeView()->search(u"cc1 -quiet -imultiarch x86_64-linux-gnu a.c"_qs);
        QCOMPARE(tree->currentIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 22314u);
        QVERIFY(tree->isExpanded(tree->currentIndex().parent())); // revealed
        QCOMPARE(window.treeView()->matchSummary(), u"1 of 1"_qs);
        // By pid, and by a word of a command line (case-insensitive), stepping through matches.
        window.treeView()->search(u"22320"_qs);
        QCOMPARE(tree->currentIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 22320u);
        window.treeView()->search(u"SAMPLEWORK"_qs);
        QCOMPARE(window.treeView()->matchSummary(), u"1 of 3"_qs); // rm -rf, mkdir, and the sh -c script
        const auto first = tree->currentIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt();
        window.treeView()->nextMatch(1);
        QCOMPARE(window.treeView()->matchSummary(), u"2 of 3"_qs);
        QVERIFY(tree->currentIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt() != first);
        window.treeView()->search(u"no-such-program-anywhere"_qs);
        QCOMPARE(window.treeView()->matchSummary(), QString());
        // Typed into the field, Enter searches at once.
        window.treeView()->focusSearch();
        QTest::keyClicks(window.treeView()->searchField(), u"mkdir"_qs);
        QTest::keyClick(window.treeView()->searchField(), Qt::Key_Return);
        QCOMPARE(tree->currentIndex().siblingAtColumn(ProcessTreeModel::Pid).data().toUInt(), 22312u);
    }

    void corruptFileIsReportedAndNothingChanges()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"not-a-capture.pscap"_qs);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        MainWindow window;
        window.show();
        QVERIFY(!openAndWait(window, path));
        QVERIFY(window.document()->isEmpty());
        QCOMPARE(window.messageBar()->level(), MessageBar::Level::Error);
        QVERIFY2(window.messageBar()->text().contains(u"not a Procscope capture"_qs, Qt::CaseInsensitive)
                || window.messageBar()->text().contains(u"magic"_qs, Qt::CaseInsensitive),
            qPrintable(window.messageBar()->text()));
        // A missing file says so too.
        QVERIFY(!openAndWait(window, dir.filePath(u"missing.pscap"_qs)));
        QVERIFY(window.messageBar()->text().contains(u"No such file"_qs));
        // The sample still opens afterwards.
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
    }

    void cutShortFileShowsWhatItHolds()
    {
        QFile sample(procscope::ui::sampleCapturePath());
        QVERIFY(sample.open(QIODevice::ReadOnly));
        const QByteArray bytes = sample.readAll();
        QTemporaryDir dir;
        const QString path = dir.filePath(u"cut.pscap"_qs);
        QFile cut(path);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(bytes.left(bytes.size() / 2 + 3)); // ends inside a record
        cut.close();
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, path));
        QCOMPARE(window.messageBar()->level(), MessageBar::Level::Warning);
        QVERIFY2(window.messageBar()->text().contains(u"damaged"_qs), qPrintable(window.messageBar()->text()));
        QVERIFY(window.eventView()->table()->model()->rowCount() > 0);
    }

    void leftoverCaptureIsOfferedForRecovery()
    {
        // What a crashed window leaves: a capture in the recovery store with nobody holding it.
        RecoveryStore store;
        const QString left = store.create();
        QVERIFY(!left.isEmpty());
        QVERIFY(QFile::copy(procscope::ui::sampleCapturePath(), left));
        store.release(left);

        MainWindow window;
        window.setAskBeforeDiscarding(false);
        window.show();
        window.offerRecovery();
        QVERIFY2(window.messageBar()->text().contains(u"Recover"_qs), qPrintable(window.messageBar()->text()));
        QPushButton* recover = nullptr;
        for (auto* button : window.messageBar()->findChildren<QPushButton*>()) {
            if (button->text().contains(u"Recover"_qs))
                recover = button;
        }
        QVERIFY(recover);
        QSignalSpy opened(&window, &MainWindow::fileOpened);
        recover->click();
        QVERIFY(opened.wait(10000));
        QVERIFY(opened.first().first().toBool());
        QVERIFY(!window.document()->isSaved()); // recovered, still to be saved
        QVERIFY(window.isWindowModified());
        QVERIFY(window.treeView()->tree()->model()->rowCount() > 0);
        // While this window holds it, another window does not offer it again.
        QVERIFY(RecoveryStore().orphans().isEmpty());
    }

    void exportFromTheWindowMatchesTheCommandLine()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        QTemporaryDir dir;
        const QString fromWindow = dir.filePath(u"window.csv"_qs);
        QVERIFY(finishedOk(window.workspace()->exportTo(fromWindow, session::ExportFormat::Csv)));
        const auto cli = testing::runProcscope({ u"--export"_qs, u"-"_qs, u"--format"_qs, u"csv"_qs, procscope::ui::sampleCapturePath() });
        QCOMPARE(cli.status, 0);
        QFile a(fromWindow);
        QVERIFY(a.open(QIODevice::ReadOnly));
        const QByteArray bytes = a.readAll();
        QVERIFY(bytes.size() > 1000);
        QCOMPARE(bytes, cli.out);
        // A place that cannot be written says so.
        QVERIFY(!finishedOk(window.workspace()->exportTo(u"/nonexistent-dir/out.jsonl"_qs, session::ExportFormat::Jsonl)));
        QVERIFY(window.messageBar()->text().contains(u"could not be written"_qs));
    }

    void savingCopiesTheCaptureAndMarksItSaved()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, procscope::ui::sampleCapturePath()));
        QTemporaryDir dir;
        const QString copy = dir.filePath(u"copy.pscap"_qs);
        QVERIFY(finishedOk(window.workspace()->saveTo(copy)));
        QFile a(copy), b(procscope::ui::sampleCapturePath());
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(a.readAll(), b.readAll());
        QCOMPARE(window.document()->sourcePath(), copy);
        QVERIFY(window.document()->isSaved());
        QVERIFY(window.windowTitle().startsWith(u"copy.pscap"_qs));
        QVERIFY(!finishedOk(window.workspace()->saveTo(u"/nonexistent-dir/x.pscap"_qs)));
        QVERIFY(window.messageBar()->text().contains(u"Saving to /nonexistent-dir/x.pscap failed"_qs));
    }

    // Expanding marks parents only: a leaf marked expanded costs a persistent index that every
    // later filter change has to update (with a storm, hundreds of thousands of them).
    void expandingMarksOnlyParents()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"storm.pscap"_qs);
        writeStorm(path, 3 * 6000); // 6,000 children of pid 900: opens to depth 1
        for (const QString& capture : { path, procscope::ui::sampleCapturePath() }) {
            MainWindow window;
            window.show();
            QVERIFY(openAndWait(window, capture));
            QTreeView* tree = window.treeView()->tree();
            const auto check = [tree](bool everyParent) {
                int parents = 0;
                std::vector<QModelIndex> pending { QModelIndex() };
                while (!pending.empty()) {
                    const QModelIndex parent = pending.back();
                    pending.pop_back();
                    for (int row = 0; row < tree->model()->rowCount(parent); ++row) {
                        const QModelIndex child = tree->model()->index(row, 0, parent);
                        const bool hasChildren = tree->model()->rowCount(child) > 0;
                        if (!hasChildren && tree->isExpanded(child))
                            return u"leaf %1 marked expanded"_qs.arg(child.siblingAtColumn(ProcessTreeModel::Pid).data().toString());
                        if (everyParent && hasChildren && !tree->isExpanded(child))
                            return u"parent %1 not expanded"_qs.arg(child.siblingAtColumn(ProcessTreeModel::Pid).data().toString());
                        parents += hasChildren ? 1 : 0;
                        pending.push_back(child);
                    }
                }
                return parents > 0 ? QString() : u"no parents at all"_qs;
            };
            QString problem = check(false);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            const QModelIndex stormParent = findPid(*tree->model(), 900);
            if (capture == path)
                QVERIFY(tree->isExpanded(stormParent));
            tree->collapseAll();
            window.treeView()->expandAll();
            problem = check(true);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
    }

    // A parent with more children than ProcessTreeView::kCrowdedChildren opens folded: an open
    // level is laid out whole on every update. Expand All opens it, as the user asked.
    void aCrowdedParentOpensFolded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"storm.pscap"_qs);
        writeStorm(path, 3 * (ProcessTreeView::kCrowdedChildren + 2000));
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, path));
        QTreeView* tree = window.treeView()->tree();
        const QModelIndex stormParent = findPid(*tree->model(), 900);
        QVERIFY(stormParent.isValid());
        QVERIFY(tree->model()->rowCount(stormParent) > ProcessTreeView::kCrowdedChildren);
        QVERIFY(!tree->isExpanded(stormParent));
        QVERIFY(tree->isExpanded(stormParent.parent()) || !stormParent.parent().isValid());
        window.treeView()->expandAll();
        QVERIFY(tree->isExpanded(stormParent));
    }

    void aLargeFileIsShownWhileItLoadsAndCanBeStopped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.pscap"_qs);
        writeStorm(path, 1'500'000);
        MainWindow window;
        window.show();
        QSignalSpy opened(&window, &MainWindow::fileOpened);
        window.openFile(path);
        // Its first events and processes are shown while the rest is read, with the progress
        // in the status bar (no dialog in the way).
        QVERIFY(QTest::qWaitFor([&] { return window.document()->session() && window.document()->session()->events().size() > 0; }, 30000));
        QVERIFY(QTest::qWaitFor([&] { return window.document()->treeModel()->rowCount() > 0; }, 30000));
        QVERIFY(opened.isEmpty());
        QVERIFY(window.findChild<QProgressDialog*>() == nullptr);
        QVERIFY(window.statusPanel()->loadingBar()->isVisible());
        QVERIFY(window.statusPanel()->stopLoadingButton()->isVisible());
        QVERIFY(!window.workspace()->idle()); // nothing else starts meanwhile

        window.statusPanel()->stopLoadingButton()->click();
        QVERIFY(opened.wait(30000));
        QCOMPARE(opened.first().first().toBool(), true);
        QVERIFY2(window.messageBar()->text().contains(u"cancelled"_qs), qPrintable(window.messageBar()->text()));
        QVERIFY(!window.messageBar()->text().contains(u"truncated"_qs));
        const std::size_t shown = window.document()->session()->events().size();
        QVERIFY2(shown > 0 && shown < 1'500'000, qPrintable(QString::number(shown))); // what was read stays
        QVERIFY(!window.statusPanel()->loadingBar()->isVisible());
        QVERIFY(window.workspace()->idle());
        QCOMPARE(window.statusPanel()->eventsLabel()->text(), QLocale().toString(qulonglong(shown)) + u" events"_qs);
    }

    void layoutAndChoicesAreRemembered()
    {
        {
            MainWindow window;
            window.setAskBeforeDiscarding(false);
            window.show();
            window.resize(900, 640);
            window.eventView()->setKindMask(0b101);
            window.treeView()->setFollowNew(true);
            // The header's menu hides a column, as a right-click on it would.
            QHeaderView* header = window.processView()->horizontalHeader();
            QVERIFY(!header->isSectionHidden(ProcessTableModel::Threads));
            QTimer::singleShot(0, [] {
                auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
                QVERIFY(menu);
                for (QAction* action : menu->actions()) {
                    if (action->text() == u"Threads"_qs)
                        action->trigger();
                }
                menu->close();
            });
            emit header->customContextMenuRequested(QPoint(10, 5));
            QVERIFY(header->isSectionHidden(ProcessTableModel::Threads));
            window.close();
        }
        MainWindow again;
        again.show();
        // From the keyboard: the table's context menu (the Menu key) has the same Columns choice.
        QVERIFY(openAndWait(again, procscope::ui::sampleCapturePath()));
        QTableView* table = again.processView();
        table->setFocus();
        table->setCurrentIndex(table->model()->index(0, 0));
        QStringList offered;
        QTimer::singleShot(0, [&offered] {
            auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
            QVERIFY(menu);
            for (QAction* action : menu->actions()) {
                if (action->menu() && action->text() == u"Colu&mns"_qs) {
                    for (QAction* column : action->menu()->actions())
                        offered << column->text() + (column->isChecked() ? u"+"_qs : u"-"_qs);
                }
            }
            menu->close();
        });
        const QPoint at = table->visualRect(table->currentIndex()).center();
        QContextMenuEvent key(QContextMenuEvent::Keyboard, at, table->viewport()->mapToGlobal(at));
        QApplication::sendEvent(table->viewport(), &key);
        QVERIFY2(offered.contains(u"Threads-"_qs) && offered.contains(u"Children+"_qs), qPrintable(offered.join(u' ')));
        QCOMPARE(again.size(), QSize(900, 640));
        QCOMPARE(again.eventView()->kindMask(), 0b101u);
        QVERIFY(again.treeView()->followNew());
        QVERIFY(again.processView()->horizontalHeader()->isSectionHidden(ProcessTableModel::Threads));
        QVERIFY(!again.processView()->horizontalHeader()->isSectionHidden(ProcessTableModel::Children));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
