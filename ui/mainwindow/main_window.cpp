// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/main_window.h"

#include "capture/file_loader.h"
#include "document/capture_document.h"
#include "mainwindow/about_dialog.h"
#include "mainwindow/capture_icons.h"
#include "mainwindow/filter_reference.h"
#include "mainwindow/message_bar.h"
#include "mainwindow/recovery_store.h"
#include "mainwindow/status_panel.h"
#include "mainwindow/welcome_page.h"
#include "models/process_tree_filter.h"
#include "models/process_tree_model.h"
#include "document/display_filter_state.h"
#include "document/sample_capture.h"
#include "views/column_chooser.h"
#include "views/details_pane.h"
#include "views/event_table_view.h"
#include "views/filter_bar.h"
#include "views/process_table_view.h"
#include "views/process_tree_view.h"
#include "views/rate_chart_view.h"
#include "views/statistics_view.h"
#include "views/timeline_view.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace procscope::ui {

namespace {
constexpr int kPumpIntervalMs = 33; // at most ~30 model updates a second
constexpr int kHighlightMs = 2500;
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_document(new CaptureDocument(this))
    , m_controller(new CaptureController(this))
    , m_recovery(std::make_unique<RecoveryStore>())
    , m_stack(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_splitter(new QSplitter(Qt::Vertical, this))
    , m_mainSplitter(new QSplitter(Qt::Horizontal, this))
    , m_tables(new QTabWidget(this))
    , m_treeView(new ProcessTreeView(m_document, this))
    , m_eventView(new EventTableView(m_document, this))
    , m_processView(new ProcessTableView(m_document, this))
    , m_rateChart(new RateChartView(m_document, this))
    , m_statistics(new StatisticsView(m_document, this))
    , m_timeline(new TimelineView(m_document, this))
    , m_topTabs(new QTabWidget(this))
    , m_details(new DetailsPane(this))
    , m_filterBar(new FilterBar(m_document->displayFilter(), this))
    , m_messages(new MessageBar(this))
    , m_status(new StatusPanel(statusBar(), m_document))
{
    setObjectName(u"mainWindow"_qs);
    setAcceptDrops(true);
    m_document->treeModel()->setHighlightMs(kHighlightMs);
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

    createActions();
    createInspectActions();
    createMenus();
    connectSelections();

    m_pumpTimer.setSingleShot(true);
    m_pumpTimer.setInterval(kPumpIntervalMs);
    connect(&m_pumpTimer, &QTimer::timeout, this, &MainWindow::pump);
    connect(m_controller, &CaptureController::recordsReady, this, [this] {
        if (!m_pumpTimer.isActive())
            m_pumpTimer.start();
    });
    m_tickTimer.setInterval(1000);
    connect(&m_tickTimer, &QTimer::timeout, this, &MainWindow::tick);
    m_tickTimer.start();
    connect(m_controller, &CaptureController::stateChanged, this, [this] { updateActions(); });
    connect(m_controller, &CaptureController::finished, this, &MainWindow::onCaptureFinished);
    connect(m_controller, &CaptureController::failed, this, &MainWindow::onCaptureFailed);
    connect(m_controller, &CaptureController::warning, this, [this](const QString& text) { m_messages->showMessage(text, MessageBar::Level::Warning); });
    connect(m_document, &CaptureDocument::reset, this, [this] {
        m_details->setSession(m_document->session());
        m_visited.clear();
        m_visitedAt = 0;
        showWholeTree();
        // A filter that was applied stays applied to the next capture.
        if (!m_filterBar->field()->text().trimmed().isEmpty() && m_filterBar->errorText().isEmpty())
            m_filterBar->applyCurrent();
        m_status->resetRate();
        m_status->refresh(-1);
        updateTitle();
        updateActions();
    });

    connect(m_welcome, &WelcomePage::startCaptureRequested, this, &MainWindow::showCaptureDialog);
    connect(m_welcome, &WelcomePage::openRequested, this, &MainWindow::chooseAndOpen);
    connect(m_welcome, &WelcomePage::openSampleRequested, this, [this] { openFile(sampleCapturePath()); });
    connect(m_welcome, &WelcomePage::openFileRequested, this, &MainWindow::openFile);
    m_welcome->setSampleAvailable(!sampleCapturePath().isEmpty());
    if (!CaptureController::runningAsRoot())
        m_welcome->setCaptureNote(CaptureController::unprivilegedCaptureAvailable()
                ? tr("Capturing asks for an administrator's password through polkit, or runs without elevation with reduced details.")
                : tr("Capturing asks for an administrator's password through polkit."));

    restoreSettings();
    showWorkspace(false);
    updateActions();
    updateTitle();
}

MainWindow::~MainWindow()
{
    // The reader thread and the helper go before the document they feed.
    delete m_controller;
    m_controller = nullptr;
}

QString MainWindow::sampleCapturePath()
{
    return ui::sampleCapturePath();
}

void MainWindow::createActions()
{
    const auto make = [this](const QString& text, const QKeySequence& key, const QString& tip, auto slot) {
        auto* action = new QAction(text, this);
        if (!key.isEmpty())
            action->setShortcut(key);
        action->setToolTip(tip + (key.isEmpty() ? QString() : u" (%1)"_qs.arg(key.toString(QKeySequence::NativeText))));
        action->setStatusTip(tip);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_openAction = make(tr("&Open..."), QKeySequence::Open, tr("Open a capture file"), &MainWindow::chooseAndOpen);
    m_openAction->setIcon(QIcon::fromTheme(u"document-open"_qs, style()->standardIcon(QStyle::SP_DialogOpenButton)));
    m_openSampleAction = make(tr("Open Sa&mple Capture"), {}, tr("Open the bundled recording of a build"), [this] { openFile(sampleCapturePath()); });
    m_saveAction = make(tr("&Save"), QKeySequence::Save, tr("Save the capture"), [this] { save(); });
    m_saveAction->setIcon(QIcon::fromTheme(u"document-save"_qs, style()->standardIcon(QStyle::SP_DialogSaveButton)));
    m_saveAsAction = make(tr("Save &As..."), QKeySequence::SaveAs, tr("Save the capture under a new name"), [this] { saveAs(); });
    m_exportAction = make(tr("&Export..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), tr("Export the events as JSON Lines, CSV or a Chrome trace"),
        &MainWindow::exportCapture);
    m_closeAction = make(tr("&Close"), QKeySequence::Close, tr("Close the capture"), [this] {
        if (m_controller->state() != CaptureController::State::Idle || !confirmDiscard(tr("closing it")))
            return;
        discardRecoveryFile();
        m_document->clear();
        showWorkspace(false);
    });
    m_quitAction = make(tr("&Quit"), QKeySequence::Quit, tr("Quit Procscope"), &QWidget::close);
    m_quitAction->setMenuRole(QAction::QuitRole);
    m_captureAction = make(tr("Start &Capture..."), QKeySequence(Qt::CTRL | Qt::Key_E), tr("Capture process events live"), &MainWindow::showCaptureDialog);
    m_captureAction->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_E), QKeySequence(Qt::Key_F5) });
    m_captureAction->setIcon(startCaptureIcon());
    m_stopAction = make(tr("S&top Capture"), QKeySequence(Qt::CTRL | Qt::Key_E), tr("Stop capturing (what was captured stays)"), &MainWindow::stopCapture);
    m_stopAction->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_E), QKeySequence(Qt::SHIFT | Qt::Key_F5) });
    m_stopAction->setIcon(stopCaptureIcon());
    m_findAction = make(tr("&Find Process..."), QKeySequence::Find, tr("Search processes by name, PID or command line"), [this] { m_treeView->focusSearch(); });
    m_expandAction = make(tr("E&xpand All"), QKeySequence(Qt::CTRL | Qt::Key_Plus), tr("Expand every process in the tree"), [this] { m_treeView->expandAll(); });
    m_collapseAction = make(tr("Co&llapse All"), QKeySequence(Qt::CTRL | Qt::Key_Minus), tr("Collapse the whole tree"), [this] { m_treeView->collapseAll(); });
    m_followAction = make(tr("&Follow New Processes"), QKeySequence(Qt::CTRL | Qt::Key_J), tr("Reveal each new process as it starts"), [this](bool on) { m_treeView->setFollowNew(on); });
    m_followAction->setCheckable(true);
    m_showHelperAction = make(tr("Show the Capture &Helper"), {}, tr("Show procscope-helper's own process in the tree and the timeline"), [this](bool on) {
        m_treeView->filter()->setHideHelper(!on);
        m_timeline->setHideHelper(!on);
    });
    m_showHelperAction->setCheckable(true);
    m_aboutAction = make(tr("&About Procscope"), {}, tr("Version, licence, kernel, capture helper and privileges"), [this] {
        AboutDialog dialog(this); // runs `procscope-helper --version`, at most 3 s
        dialog.exec();
    });
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_treeView, &ProcessTreeView::currentNodeChanged, this, [this] {
        m_followAction->setChecked(m_treeView->followNew());
    });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addAction(m_openSampleAction);
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_closeAction);
    file->addAction(m_quitAction);
    QMenu* capture = menuBar()->addMenu(tr("&Capture"));
    capture->addAction(m_captureAction);
    capture->addAction(m_stopAction);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_findAction);
    view->addAction(m_filterAction);
    view->addAction(m_backAction);
    view->addAction(m_forwardAction);
    view->addAction(m_wholeTreeAction);
    view->addAction(m_expandAction);
    view->addAction(m_collapseAction);
    view->addSeparator();
    view->addAction(m_followAction);
    view->addAction(m_showHelperAction);
    m_hideExitedMenu = view->addMenu(tr("Hide &Exited Processes"));
    auto* group = new QActionGroup(this);
    for (const int seconds : { 0, 5, 30, 60, 300 }) {
        QAction* choice = m_hideExitedMenu->addAction(seconds == 0 ? tr("Never (keep them as tombstones)") : (seconds < 60 ? tr("%1 seconds after they exit").arg(seconds) : seconds == 60 ? tr("1 minute after they exit") : tr("%1 minutes after they exit").arg(seconds / 60)));
        choice->setCheckable(true);
        choice->setData(seconds);
        group->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, seconds] {
            m_hideExitedSeconds = seconds;
            m_treeView->filter()->setNow(m_document->latestNs());
            m_treeView->filter()->setHideExitedAfterSeconds(seconds);
        });
    }
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* reference = help->addAction(tr("Display &Filter Reference"), this, [this] {
        auto* dialog = new FilterReference(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    reference->setShortcut(QKeySequence(Qt::Key_F1));
    addAction(reference);
    help->addAction(m_aboutAction);

    QToolBar* tools = addToolBar(tr("Main toolbar"));
    tools->setObjectName(u"mainToolbar"_qs);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addAction(m_captureAction);
    tools->addAction(m_stopAction);
    tools->addSeparator();
    tools->addAction(m_openAction);
    tools->addAction(m_saveAction);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(u"window/geometry"_qs).toByteArray()))
        resize(1200, 800);
    restoreState(settings.value(u"window/state"_qs).toByteArray());
    m_splitter->restoreState(settings.value(u"window/splitter"_qs).toByteArray());
    m_mainSplitter->restoreState(settings.value(u"window/detailsSplitter"_qs).toByteArray());
    m_processView->horizontalHeader()->restoreState(settings.value(u"processes/header2"_qs).toByteArray());
    m_treeView->tree()->header()->restoreState(settings.value(u"tree/header2"_qs).toByteArray());
    m_eventView->table()->horizontalHeader()->restoreState(settings.value(u"events/header"_qs).toByteArray());
    for (QHeaderView* header : { m_processView->horizontalHeader(), m_treeView->tree()->header(), m_eventView->table()->horizontalHeader() })
        allowColumnMoves(header); // a state saved by an older version turned it off
    m_recentFiles = settings.value(u"files/recent"_qs).toStringList();
    m_captureEvents = settings.value(u"capture/events"_qs).toString();
    m_captureElevate = settings.value(u"capture/elevate"_qs, true).toBool();
    const bool follow = settings.value(u"tree/follow"_qs, false).toBool();
    m_followAction->setChecked(follow);
    m_treeView->setFollowNew(follow);
    const bool showHelper = settings.value(u"tree/showHelper"_qs, false).toBool();
    m_showHelperAction->setChecked(showHelper);
    m_treeView->filter()->setHideHelper(!showHelper);
    m_timeline->setHideHelper(!showHelper);
    m_hideExitedSeconds = settings.value(u"tree/hideExitedSeconds"_qs, 0).toInt();
    m_treeView->filter()->setHideExitedAfterSeconds(m_hideExitedSeconds);
    for (QAction* choice : m_hideExitedMenu->actions())
        choice->setChecked(choice->data().toInt() == m_hideExitedSeconds);
    m_eventView->setKindMask(settings.value(u"events/kinds"_qs, 0xFFFFFFFFu).toUInt());
    updateRecentMenu();
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
    settings.setValue(u"files/recent"_qs, m_recentFiles);
    settings.setValue(u"capture/events"_qs, m_captureEvents);
    settings.setValue(u"capture/elevate"_qs, m_captureElevate);
    settings.setValue(u"tree/follow"_qs, m_treeView->followNew());
    settings.setValue(u"tree/showHelper"_qs, m_showHelperAction->isChecked());
    settings.setValue(u"tree/hideExitedSeconds"_qs, m_hideExitedSeconds);
    settings.setValue(u"events/kinds"_qs, m_eventView->kindMask());
}

void MainWindow::updateActions()
{
    const auto state = m_controller ? m_controller->state() : CaptureController::State::Idle;
    const bool idle = state == CaptureController::State::Idle;
    const bool loading = m_loader != nullptr;
    const bool hasData = !m_document->isEmpty();
    m_captureAction->setEnabled(idle && !loading);
    m_captureAction->setVisible(idle);
    m_stopAction->setEnabled(state == CaptureController::State::Running);
    m_stopAction->setVisible(!idle);
    m_openAction->setEnabled(idle && !loading);
    m_openSampleAction->setEnabled(idle && !loading && !sampleCapturePath().isEmpty());
    m_recentMenu->setEnabled(idle && !loading && !m_recentFiles.isEmpty());
    m_saveAction->setEnabled(idle && hasData && !m_document->isSaved());
    m_saveAsAction->setEnabled(idle && hasData);
    m_exportAction->setEnabled(idle && hasData);
    m_closeAction->setEnabled(idle && hasData);
    // Disabled while capturing: say why where people look (the capture is being written to the
    // recovery file meanwhile, so nothing is at risk).
    for (QAction* action : { m_saveAction, m_saveAsAction, m_exportAction }) {
        if (!action->property("idleTip").isValid())
            action->setProperty("idleTip", action->toolTip());
        action->setToolTip(idle ? action->property("idleTip").toString()
                                : tr("%1 — stop the capture first (%2)").arg(action->property("idleTip").toString(), m_stopAction->shortcut().toString(QKeySequence::NativeText)));
    }
    QString state_text;
    switch (state) {
    case CaptureController::State::Running:
        state_text = m_controller->elevated() || CaptureController::runningAsRoot() ? tr("\u25CF Capturing") : tr("\u25CF Capturing (unprivileged: reduced details)");
        break;
    case CaptureController::State::Stopping: state_text = tr("Stopping..."); break;
    case CaptureController::State::Idle:
        state_text = !hasData ? tr("Ready") : m_document->isLive() || m_document->sourcePath().isEmpty() ? tr("Capture stopped") : QFileInfo(m_document->sourcePath()).fileName();
        break;
    }
    m_status->setState(state_text);
}

void MainWindow::updateTitle()
{
    QString name = tr("Procscope");
    if (!m_document->isEmpty()) {
        const QString what = m_document->isSaved() && !m_document->sourcePath().isEmpty() ? QFileInfo(m_document->sourcePath()).fileName() : tr("Unsaved capture");
        name = what + u"[*] \u2014 "_qs + name;
    }
    setWindowTitle(name);
    setWindowModified(!m_document->isEmpty() && !m_document->isSaved());
}

void MainWindow::showWorkspace(bool show)
{
    m_stack->setCurrentIndex(show ? 1 : 0);
    if (!show)
        m_welcome->setRecentFiles(m_recentFiles);
}

void MainWindow::pump()
{
    if (!m_controller)
        return;
    m_document->append(m_controller->takeRecords());
}

void MainWindow::tick()
{
    const bool live = m_controller && m_controller->state() != CaptureController::State::Idle;
    m_status->refresh(live ? m_captureClock.elapsed() : -1);
    if (m_hideExitedSeconds > 0)
        m_treeView->filter()->setNow(m_document->latestNs());
    if (live)
        m_details->refreshIfChanged(); // once a second, not once a batch
}

bool MainWindow::startCapture(CaptureOptions options)
{
    if (m_controller->state() != CaptureController::State::Idle || m_loader)
        return false;
    if (!confirmDiscard(tr("starting a new capture")))
        return false;
    discardRecoveryFile();
    QString error;
    m_recoveryPath = m_recovery->create(&error);
    if (m_recoveryPath.isEmpty())
        m_messages->showMessage(tr("The capture cannot be kept safe from a crash of the window (%1); it is captured anyway.").arg(error), MessageBar::Level::Warning);
    options.recoveryPath = m_recoveryPath;
    m_writePath = options.writePath;
    m_messages->dismiss();
    m_document->startLive();
    m_document->setSourcePath(m_recoveryPath);
    showWorkspace(true);
    m_captureClock.start();
    if (!m_controller->start(options)) {
        discardRecoveryFile();
        m_document->clear();
        showWorkspace(false);
        return false;
    }
    if (!options.elevate && !CaptureController::runningAsRoot())
        m_messages->showMessage(tr("Capturing without elevation: details of other users' processes (command line, executable, "
                                   "working directory) are reduced, and what each process cost (CPU, memory, I/O) is not recorded."),
            MessageBar::Level::Info);
    updateActions();
    updateTitle();
    return true;
}

void MainWindow::stopCapture() { m_controller->stop(); }

void MainWindow::stopCaptureAndQuit()
{
    // A signal (logout, Ctrl+C): nobody to ask. An unsaved capture stays in the recovery
    // store, and the next start offers it.
    m_quitAfterCapture = true;
    m_quitQuietly = true;
    if (m_controller->state() == CaptureController::State::Idle)
        close();
    else
        m_controller->stop();
}

void MainWindow::onCaptureFinished(bool clean, const QString& message)
{
    pump();
    m_status->refresh(m_captureClock.elapsed());
    const auto* session = m_document->session();
    QString summary;
    if (session && session->trailer()) {
        const auto& trailer = *session->trailer();
        std::uint64_t lost = 0;
        for (const auto count : trailer.lost)
            lost += count;
        const QLocale locale;
        summary = tr("Capture stopped: %1 events, %2 processes, %3.")
                      .arg(locale.toString(qulonglong(trailer.events)), locale.toString(qulonglong(trailer.processes)),
                          lost == 0 ? tr("nothing lost") : tr("%1 lost").arg(locale.toString(qulonglong(lost))));
    }
    if (clean)
        statusBar()->showMessage(summary, 10000);
    else
        m_messages->showMessage(message + (summary.isEmpty() ? QString() : u" "_qs + summary), MessageBar::Level::Error);
    if (!m_writePath.isEmpty()) { // --write: the capture is saved where the user asked
        m_document->setSourcePath(m_writePath);
        m_document->setSaved(true);
        addRecentFile(m_writePath);
        discardRecoveryFile();
    }
    updateActions();
    updateTitle();
    emit captureFinished();
    if (m_quitAfterCapture)
        close();
}

void MainWindow::onCaptureFailed(const QString& message)
{
    pump();
    m_messages->showMessage(message, MessageBar::Level::Error);
    if (m_document->session() && m_document->session()->events().size() == 0 && !m_document->session()->header()) {
        discardRecoveryFile();
        m_document->clear();
        showWorkspace(false);
    }
    updateActions();
    updateTitle();
    emit captureFinished();
    if (m_quitAfterCapture)
        close();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller->state() != CaptureController::State::Idle) {
        event->ignore();
        if (m_quitAfterCapture)
            return; // already stopping; the window closes when the trailer is in
        if (m_askBeforeDiscarding
            && QMessageBox::question(this, tr("Stop capturing?"), tr("A capture is running. Stop it and quit?")) != QMessageBox::Yes)
            return;
        m_quitAfterCapture = true;
        m_controller->stop();
        return;
    }
    if (m_quitQuietly) {
        m_recovery->release(m_recoveryPath);
    } else if (!confirmDiscard(tr("quitting"))) {
        m_quitAfterCapture = false;
        event->ignore();
        return;
    } else {
        discardRecoveryFile();
    }
    saveSettings();
    event->accept();
}

} // namespace procscope::ui
