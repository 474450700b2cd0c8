// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/capture_controller.h"
#include "session/event_store.h"
#include "session/exporters.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <memory>
#include <vector>

class QAction;
class QMenu;
class QProgressDialog;
class QAbstractItemView;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace procscope::ui {

class CaptureDocument;
class DetailsPane;
class EventTableView;
class FilterBar;
class ProcessTableView;
class RateChartView;
class StatisticsView;
class TimelineView;
class FileLoader;
class MessageBar;
class ProcessTreeView;
class RecoveryStore;
class StatusPanel;
class WelcomePage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a capture file on a worker thread (with progress after a moment); fileOpened follows.
    void openFile(const QString& path);
    // Starts capturing at once with these options (the capture dialog is for the menu action).
    bool startCapture(CaptureOptions options);
    void stopCapture();
    // Stops a running capture cleanly (the helper writes its trailer), then closes the window.
    void stopCaptureAndQuit();
    // Looks for captures left by a window that did not end cleanly and offers them.
    void offerRecovery();

    // Writes the capture (its own bytes, as recorded) to `destination`; the capture is then saved.
    bool copyCaptureTo(const QString& destination);
    // Exports the events (`shownOnly`: those the event table shows) on a worker thread, with
    // progress; false when it failed or was cancelled.
    bool exportTo(const QString& destination, session::ExportFormat format, bool shownOnly = false);

    // Whether closing or replacing an unsaved capture asks first (tests turn it off).
    void setAskBeforeDiscarding(bool ask) { m_askBeforeDiscarding = ask; }

    CaptureDocument* document() const { return m_document; }
    CaptureController* controller() const { return m_controller; }
    ProcessTreeView* treeView() const { return m_treeView; }
    EventTableView* eventView() const { return m_eventView; }
    StatusPanel* statusPanel() const { return m_status; }
    FilterBar* filterBar() const { return m_filterBar; }
    DetailsPane* detailsPane() const { return m_details; }
    ProcessTableView* processView() const { return m_processView; }
    RateChartView* rateChart() const { return m_rateChart; }
    StatisticsView* statisticsView() const { return m_statistics; }
    TimelineView* timeline() const { return m_timeline; }
    QTabWidget* topTabs() const { return m_topTabs; }
    QTabWidget* bottomTabs() const { return m_tables; }
    // Limits the views to events in [fromNs, toNs) (kernel time), as a display filter.
    void selectTimeRange(std::uint64_t fromNs, std::uint64_t toNs);
    // Selects a process everywhere (tree, process table, details) and remembers it for Back.
    void selectNode(session::NodeId node);
    void goBack();
    void goForward();
    MessageBar* messageBar() const { return m_messages; }
    RecoveryStore* recovery() const { return m_recovery.get(); }
    static QString sampleCapturePath();

signals:
    void fileOpened(bool ok);
    void captureFinished();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void restoreSettings();
    void saveSettings() const;
    void updateActions();
    void updateTitle();
    void showWorkspace(bool show);
    void pump();
    void tick();
    void onCaptureFinished(bool clean, const QString& message);
    void onCaptureFailed(const QString& message);
    void onLoaderFinished();

    // Files (main_window_files.cpp)
    void chooseAndOpen();
    bool save();
    bool saveAs();
    void exportCapture();
    bool confirmDiscard(const QString& doing);
    void discardRecoveryFile();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void showCaptureDialog();

    // Inspection (main_window_inspect.cpp)
    void createInspectActions();
    void connectSelections();
    void showContextMenu(QAbstractItemView* view, const QPoint& position);
    void showOnlySubtree(session::NodeId node);
    void showWholeTree();
    void noteSelection(session::NodeId node);

    CaptureDocument* m_document;
    CaptureController* m_controller;
    std::unique_ptr<RecoveryStore> m_recovery;
    QStackedWidget* m_stack;
    WelcomePage* m_welcome;
    QSplitter* m_splitter; // left side: the tree above the tables
    QSplitter* m_mainSplitter; // the left side and the details pane
    QTabWidget* m_tables;
    ProcessTreeView* m_treeView;
    EventTableView* m_eventView;
    ProcessTableView* m_processView;
    RateChartView* m_rateChart;
    StatisticsView* m_statistics;
    TimelineView* m_timeline;
    QTabWidget* m_topTabs;
    DetailsPane* m_details;
    FilterBar* m_filterBar;
    std::vector<session::NodeId> m_visited; // Back / Forward through selections
    std::size_t m_visitedAt = 0;
    bool m_navigating = false;
    session::NodeId m_subtreeRoot = session::kNoNode;
    MessageBar* m_messages;
    StatusPanel* m_status;
    QTimer m_pumpTimer;
    QTimer m_tickTimer;
    QElapsedTimer m_captureClock;
    std::unique_ptr<FileLoader> m_loader;
    QPointer<QProgressDialog> m_loadProgress;
    QString m_recoveryPath; // the live capture's recovery file
    QString m_writePath; // --write: the live capture's own file
    QString m_captureEvents;
    bool m_captureElevate = true;
    bool m_quitAfterCapture = false;
    bool m_quitQuietly = false;
    bool m_askBeforeDiscarding = true;
    QStringList m_recentFiles;

    QAction* m_openAction = nullptr;
    QAction* m_openSampleAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QAction* m_exportAction = nullptr;
    QAction* m_closeAction = nullptr;
    QAction* m_quitAction = nullptr;
    QAction* m_captureAction = nullptr;
    QAction* m_stopAction = nullptr;
    QAction* m_findAction = nullptr;
    QAction* m_expandAction = nullptr;
    QAction* m_collapseAction = nullptr;
    QAction* m_followAction = nullptr;
    QAction* m_showHelperAction = nullptr;
    QAction* m_aboutAction = nullptr;
    QAction* m_filterAction = nullptr;
    QAction* m_backAction = nullptr;
    QAction* m_forwardAction = nullptr;
    QAction* m_wholeTreeAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_hideExitedMenu = nullptr;
    int m_hideExitedSeconds = 0;
};

} // namespace procscope::ui
