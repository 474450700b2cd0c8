// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/main_window.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/sample_capture.h"
#include "mainwindow/file_commands.h"
#include "mainwindow/main_actions.h"
#include "mainwindow/message_bar.h"
#include "mainwindow/status_panel.h"
#include "mainwindow/welcome_page.h"
#include "models/process_tree_model.h"
#include "views/column_chooser.h"
#include "views/details_pane.h"
#include "views/event_table_view.h"
#include "views/filter_bar.h"
#include "views/process_table_view.h"
#include "views/process_tree_view.h"
#include "views/rate_chart_view.h"
#include "views/statistics_view.h"
#include "views/timeline_view.h"

#include <QCloseEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QVBoxLayout>

namespace procscope::ui {

namespace {
constexpr int kHighlightMs = 2500;
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(new Workspace(this))
    , m_stack(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_topTabs(new QTabWidget(this))
    , m_tables(new QTabWidget(this))
    , m_treeView(new ProcessTreeView(document(), this))
    , m_eventView(new EventTableView(document(), this))
    , m_processView(new ProcessTableView(document(), this))
    , m_rateChart(new RateChartView(document(), this))
    , m_statistics(new StatisticsView(document(), this))
    , m_timeline(new TimelineView(document(), this))
    , m_details(new DetailsPane(this))
    , m_filterBar(new FilterBar(document()->displayFilter(), this))
    , m_messages(new MessageBar(this))
    , m_status(new StatusPanel(statusBar(), document()))
    , m_files(new FileCommands(m_workspace, this, m_messages))
    , m_actions(nullptr)
{
    setObjectName(u"mainWindow"_qs);
    setAcceptDrops(true);
    document()->treeModel()->setHighlightMs(kHighlightMs);
    m_details->bindTo(document());
    layOut();
    // Settings first: the actions show the remembered view options.
    restoreSettings();
    m_actions = new MainActions(this, m_workspace, m_files, m_treeView, m_filterBar);
    connectWorkspace();

    connect(m_welcome, &WelcomePage::startCaptureRequested, m_files, &FileCommands::showCaptureDialog);
    connect(m_welcome, &WelcomePage::openRequested, m_files, &FileCommands::chooseAndOpen);
    connect(m_welcome, &WelcomePage::openSampleRequested, m_files, &FileCommands::openSample);
    connect(m_welcome, &WelcomePage::openFileRequested, m_files, &FileCommands::open);
    m_welcome->setSampleAvailable(!sampleCapturePath().isEmpty());
    if (!CaptureController::runningAsRoot())
        m_welcome->setCaptureNote(CaptureController::unprivilegedCaptureAvailable()
                ? tr("Capturing asks for an administrator's password through polkit, or runs without elevation with reduced details.")
                : tr("Capturing asks for an administrator's password through polkit."));
    connect(m_rateChart, &RateChartView::rangeSelected, this, &MainWindow::selectTimeRange);
    connect(m_timeline, &TimelineView::rangeSelected, this, &MainWindow::selectTimeRange);
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &MainWindow::tick);
    m_tickTimer.start();
    updateState();
}

MainWindow::~MainWindow() = default;

Navigator* MainWindow::navigator() const { return document()->navigator(); }

void MainWindow::layOut()
{
    m_splitter->setObjectName(u"mainSplitter"_qs);
    m_tables->setObjectName(u"tables"_qs);
    m_tables->addTab(m_eventView, tr("&Events"));
    m_tables->addTab(m_processView, tr("&Processes"));
    m_tables->addTab(m_rateChart, tr("&Rates"));
    m_tables->addTab(m_statistics, tr("S&tatistics"));
    m_topTabs->setObjectName(u"views"_qs);
    m_topTabs->addTab(m_treeView, tr("Process &Tree"));
    m_topTabs->addTab(m_timeline, tr("Time&line"));
    m_splitter->addWidget(m_topTabs);
    m_splitter->addWidget(m_tables);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);
    m_mainSplitter->setObjectName(u"detailsSplitter"_qs);
    m_mainSplitter->addWidget(m_splitter);
    m_mainSplitter->addWidget(m_details);
    m_mainSplitter->setStretchFactor(0, 3);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({ 900, 380 });
    auto* workspace = new QWidget(this);
    auto* workspaceLayout = new QVBoxLayout(workspace);
    workspaceLayout->setContentsMargins(0, 0, 0, 0);
    workspaceLayout->setSpacing(2);
    workspaceLayout->addWidget(m_filterBar);
    workspaceLayout->addWidget(m_mainSplitter, 1);
    m_stack->addWidget(m_welcome);
    m_stack->addWidget(workspace);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_messages);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
}

void MainWindow::connectWorkspace()
{
    connect(m_workspace, &Workspace::stateChanged, this, &MainWindow::updateState);
    connect(m_workspace, &Workspace::notice, this, &MainWindow::showNotice);
    connect(m_workspace, &Workspace::opened, this, &MainWindow::fileOpened);
    connect(m_workspace, &Workspace::opened, this, &MainWindow::tick); // the counters of all of it, at once
    connect(m_workspace, &Workspace::progress, this, [this](const QString& what, qint64 done, qint64 total) {
        if (m_workspace->opening())
            m_status->showLoading(what, done, total);
    });
    connect(m_workspace, &Workspace::workFinished, m_status, &StatusPanel::hideLoading);
    connect(document(), &CaptureDocument::changed, this, [this] {
        if (m_workspace->opening())
            tick(); // the counters grow with the file being read (a few updates a second)
    });
    connect(m_status, &StatusPanel::stopLoading, m_workspace, &Workspace::cancelOpen);
    connect(m_workspace, &Workspace::recentFilesChanged, this, [this] { m_welcome->setRecentFiles(m_workspace->recentFiles()); });
    connect(m_workspace, &Workspace::captureFinished, this, [this] {
        tick();
        emit captureFinished();
        if (m_quitAfterCapture)
            close();
    });
    connect(document(), &CaptureDocument::reset, this, [this] {
        // A filter that was applied stays applied to the next capture.
        if (!m_filterBar->field()->text().trimmed().isEmpty() && m_filterBar->errorText().isEmpty())
            m_filterBar->applyCurrent();
        m_status->resetRate();
        m_status->refresh(-1);
    });
}

void MainWindow::showNotice(Workspace::Severity severity, const QString& text)
{
    if (text.isEmpty())
        return;
    switch (severity) {
    case Workspace::Severity::Status: statusBar()->showMessage(text, 8000); break;
    case Workspace::Severity::Info: m_messages->showMessage(text, MessageBar::Level::Info); break;
    case Workspace::Severity::Warning: m_messages->showMessage(text, MessageBar::Level::Warning); break;
    case Workspace::Severity::Error: m_messages->showMessage(text, MessageBar::Level::Error); break;
    }
}

void MainWindow::openFile(const QString& path) { m_files->open(path); }

bool MainWindow::startCapture(const CaptureOptions& options) { return m_files->startCapture(options); }

void MainWindow::offerRecovery() { m_files->offerRecovery(); }

void MainWindow::setAskBeforeDiscarding(bool ask)
{
    m_askBeforeDiscarding = ask;
    m_files->setAskBeforeDiscarding(ask);
}

void MainWindow::stopCaptureAndQuit()
{
    m_quitAfterCapture = true;
    m_quitQuietly = true;
    if (m_workspace->capturing())
        m_workspace->stopCapture();
    else
        close();
}

void MainWindow::selectTimeRange(std::uint64_t fromNs, std::uint64_t toNs)
{
    // The filter language has the kernel timestamp: the range is a filter like any other, so
    // the event table holds exactly those events and the tree the processes active in them.
    document()->displayFilter()->request(u"ts >= %1 and ts < %2"_qs.arg(fromNs).arg(toNs), true);
    m_timeline->setTimeRange(fromNs, toNs);
    m_tables->setCurrentWidget(m_eventView);
}

void MainWindow::updateState()
{
    const bool hasCapture = m_workspace->hasCapture();
    m_stack->setCurrentIndex(hasCapture ? 1 : 0);
    if (!hasCapture)
        m_welcome->setRecentFiles(m_workspace->recentFiles());
    setWindowTitle(hasCapture ? tr("%1[*] \u2014 Procscope").arg(m_workspace->captureName()) : tr("Procscope"));
    setWindowModified(m_workspace->hasUnsavedCapture());
    QString state;
    switch (m_workspace->controller()->state()) {
    case CaptureController::State::Running:
        state = controller()->elevated() || CaptureController::runningAsRoot() ? tr("\u25CF Capturing") : tr("\u25CF Capturing (unprivileged: reduced details)");
        break;
    case CaptureController::State::Stopping: state = tr("Stopping..."); break;
    case CaptureController::State::Idle:
        state = !hasCapture                                                         ? tr("Ready")
            : document()->isLive() || document()->sourcePath().isEmpty() ? tr("Capture stopped")
                                                                                     : QFileInfo(document()->sourcePath()).fileName();
        break;
    }
    m_status->setState(state);
    if (m_actions)
        m_actions->update();
}

void MainWindow::tick()
{
    const bool live = m_workspace->capturing() || document()->isLive();
    m_status->refresh(live ? m_workspace->captureElapsedMs() : -1, live ? m_workspace->controller()->ring().get() : nullptr);
    if (m_workspace->capturing())
        m_details->refreshIfChanged(); // once a second, not once a batch
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(u"window/geometry"_qs).toByteArray()))
        resize(1200, 800);
    restoreState(settings.value(u"window/state"_qs).toByteArray());
    m_splitter->restoreState(settings.value(u"window/splitter"_qs).toByteArray());
    m_mainSplitter->restoreState(settings.value(u"window/detailsSplitter"_qs).toByteArray());
    m_processView->restoreHeader(settings.value(u"processes/header2"_qs).toByteArray());
    m_treeView->restoreHeader(settings.value(u"tree/header2"_qs).toByteArray());
    m_eventView->table()->horizontalHeader()->restoreState(settings.value(u"events/header"_qs).toByteArray());
    for (QHeaderView* header : { m_processView->horizontalHeader(), m_treeView->tree()->header(), m_eventView->table()->horizontalHeader() })
        allowColumnMoves(header); // a state saved by an older version turned it off
    m_eventView->setKindMask(settings.value(u"events/kinds"_qs, 0xFFFFFFFFu).toUInt());
    m_workspace->restoreSettings(settings);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_qs, saveGeometry());
    settings.setValue(u"window/state"_qs, saveState());
    settings.setValue(u"window/splitter"_qs, m_splitter->saveState());
    settings.setValue(u"window/detailsSplitter"_qs, m_mainSplitter->saveState());
    settings.setValue(u"tree/header2"_qs, m_treeView->tree()->header()->saveState());
    settings.setValue(u"events/header"_qs, m_eventView->table()->horizontalHeader()->saveState());
    settings.setValue(u"processes/header2"_qs, m_processView->horizontalHeader()->saveState());
    settings.setValue(u"events/kinds"_qs, m_eventView->kindMask());
    m_workspace->saveSettings(settings);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_workspace->capturing()) {
        event->ignore();
        if (m_quitAfterCapture)
            return; // already stopping; the window closes when the trailer is in
        if (m_askBeforeDiscarding && QMessageBox::question(this, tr("Stop capturing?"), tr("A capture is running. Stop it and quit?")) != QMessageBox::Yes)
            return;
        m_quitAfterCapture = true;
        m_workspace->stopCapture();
        return;
    }
    m_workspace->cancelOpen();
    m_workspace->cancelWork(); // the workspace waits for its worker when it goes
    if (m_quitQuietly || m_workspace->openingRecoveryFile()) {
        m_workspace->keepForRecovery(); // offered again at the next start
    } else if (!m_discardConfirmed && m_workspace->hasUnsavedCapture() && m_askBeforeDiscarding) {
        event->ignore();
        m_quitAfterCapture = false;
        m_files->whenDiscardable(tr("quitting"), [this] {
            m_discardConfirmed = true;
            close();
        });
        return;
    } else {
        m_workspace->discardRecoveryFile();
    }
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    const QString path = urls.first().toLocalFile();
    QTimer::singleShot(0, this, [this, path] { openFile(path); }); // not inside the drag's own loop
}

} // namespace procscope::ui
