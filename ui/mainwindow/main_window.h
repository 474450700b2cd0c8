// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/capture_controller.h"
#include "document/navigator.h"
#include "document/workspace.h"

#include <QMainWindow>
#include <QTimer>

class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace procscope::ui {

class CaptureDocument;
class DetailsPane;
class EventTableView;
class FileCommands;
class FilterBar;
class MainActions;
class MessageBar;
class ProcessTableView;
class ProcessTreeView;
class RateChartView;
class RecoveryStore;
class StatisticsView;
class StatusPanel;
class TimelineView;
class WelcomePage;

// The window: the views over the workspace's capture, its menus, the message bar and the
// status bar. What the application does is the workspace's (ui/document); where the user is,
// the navigator's; the window lays out, asks and shows.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Workspace* workspace() const { return m_workspace; }
    CaptureDocument* document() const { return m_workspace->document(); }
    CaptureController* controller() const { return m_workspace->controller(); }
    RecoveryStore* recovery() const { return m_workspace->recovery(); }
    FileCommands* files() const { return m_files; }

    // Opens a capture file on a worker thread (asking first about an unsaved capture); fileOpened follows.
    void openFile(const QString& path);
    // Starts capturing at once with these options (the capture dialog is for the menu action).
    bool startCapture(const CaptureOptions& options);
    void stopCapture() { m_workspace->stopCapture(); }
    // Stops a running capture cleanly (the helper writes its trailer), then closes the window,
    // keeping an unsaved capture for the next start to offer: a signal has nobody to ask.
    void stopCaptureAndQuit();
    // Looks for captures left by a window that did not end cleanly and offers them.
    void offerRecovery();
    // Whether closing or replacing an unsaved capture asks first (tests turn it off).
    void setAskBeforeDiscarding(bool ask);

    // Limits the views to events in [fromNs, toNs) (kernel time), as a display filter.
    void selectTimeRange(std::uint64_t fromNs, std::uint64_t toNs);
    // Selects a process everywhere (tree, process table, details) and remembers it for Back.
    void selectNode(session::NodeId node) { navigator()->selectNode(node); }
    void goBack() { navigator()->goBack(); }
    void goForward() { navigator()->goForward(); }
    Navigator* navigator() const;

    ProcessTreeView* treeView() const { return m_treeView; }
    EventTableView* eventView() const { return m_eventView; }
    ProcessTableView* processView() const { return m_processView; }
    RateChartView* rateChart() const { return m_rateChart; }
    StatisticsView* statisticsView() const { return m_statistics; }
    TimelineView* timeline() const { return m_timeline; }
    DetailsPane* detailsPane() const { return m_details; }
    FilterBar* filterBar() const { return m_filterBar; }
    StatusPanel* statusPanel() const { return m_status; }
    MessageBar* messageBar() const { return m_messages; }
    QTabWidget* topTabs() const { return m_topTabs; }
    QTabWidget* bottomTabs() const { return m_tables; }

signals:
    void fileOpened(bool ok);
    void captureFinished();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void layOut();
    void connectWorkspace();
    void restoreSettings();
    void saveSettings() const;
    void showNotice(Workspace::Severity severity, const QString& text);
    void updateState();
    void tick();

    Workspace* m_workspace;
    QStackedWidget* m_stack;
    WelcomePage* m_welcome;
    QSplitter* m_splitter; // left side: the views above the tables
    QSplitter* m_mainSplitter; // the left side and the details pane
    QTabWidget* m_topTabs;
    QTabWidget* m_tables;
    ProcessTreeView* m_treeView;
    EventTableView* m_eventView;
    ProcessTableView* m_processView;
    RateChartView* m_rateChart;
    StatisticsView* m_statistics;
    TimelineView* m_timeline;
    DetailsPane* m_details;
    FilterBar* m_filterBar;
    MessageBar* m_messages;
    StatusPanel* m_status;
    FileCommands* m_files;
    MainActions* m_actions;
    QTimer m_tickTimer;
    bool m_quitAfterCapture = false;
    bool m_quitQuietly = false;
    bool m_askBeforeDiscarding = true;
    bool m_discardConfirmed = false; // closing: the user answered already
};

} // namespace procscope::ui
