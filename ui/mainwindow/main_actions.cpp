// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/main_actions.h"

#include "document/capture_document.h"
#include "document/navigator.h"
#include "document/sample_capture.h"
#include "document/view_options.h"
#include "document/workspace.h"
#include "mainwindow/about_dialog.h"
#include "mainwindow/capture_icons.h"
#include "mainwindow/file_commands.h"
#include "mainwindow/filter_reference.h"
#include "views/filter_bar.h"
#include "views/process_tree_view.h"

#include <QAction>
#include <QActionGroup>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace procscope::ui {

MainActions::MainActions(QMainWindow* window, Workspace* workspace, FileCommands* files, ProcessTreeView* tree, FilterBar* filterBar)
    : QObject(window)
    , m_window(window)
    , m_workspace(workspace)
    , m_files(files)
    , m_tree(tree)
    , m_filterBar(filterBar)
{
    createFileActions();
    createViewActions();
    createMenus();
    connect(workspace, &Workspace::stateChanged, this, &MainActions::update);
    connect(workspace, &Workspace::recentFilesChanged, this, &MainActions::updateRecentMenu);
    updateRecentMenu();
    update();
}

QAction* MainActions::make(const QString& text, const QKeySequence& key, const QString& tip)
{
    auto* action = new QAction(text, m_window);
    if (!key.isEmpty())
        action->setShortcut(key);
    action->setToolTip(key.isEmpty() ? tip : tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    action->setStatusTip(tip);
    action->setProperty("idleTip", action->toolTip());
    m_window->addAction(action);
    return action;
}

void MainActions::createFileActions()
{
    QStyle* style = m_window->style();
    m_open = make(tr("&Open..."), QKeySequence::Open, tr("Open a capture file"));
    m_open->setIcon(QIcon::fromTheme(u"document-open"_qs, style->standardIcon(QStyle::SP_DialogOpenButton)));
    connect(m_open, &QAction::triggered, m_files, &FileCommands::chooseAndOpen);
    m_openSample = make(tr("Open Sa&mple Capture"), {}, tr("Open the bundled recording of a build"));
    connect(m_openSample, &QAction::triggered, m_files, &FileCommands::openSample);
    m_save = make(tr("&Save"), QKeySequence::Save, tr("Save the capture"));
    m_save->setIcon(QIcon::fromTheme(u"document-save"_qs, style->standardIcon(QStyle::SP_DialogSaveButton)));
    connect(m_save, &QAction::triggered, m_files, &FileCommands::save);
    m_saveAs = make(tr("Save &As..."), QKeySequence::SaveAs, tr("Save the capture under a new name"));
    connect(m_saveAs, &QAction::triggered, m_files, &FileCommands::saveAs);
    m_export = make(tr("&Export..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), tr("Export the events as JSON Lines, CSV or a Chrome trace"));
    connect(m_export, &QAction::triggered, m_files, &FileCommands::exportCapture);
    m_close = make(tr("&Close"), QKeySequence::Close, tr("Close the capture"));
    connect(m_close, &QAction::triggered, m_files, &FileCommands::close);
    m_quit = make(tr("&Quit"), QKeySequence::Quit, tr("Quit Procscope"));
    m_quit->setMenuRole(QAction::QuitRole);
    connect(m_quit, &QAction::triggered, m_window, &QWidget::close);
    m_capture = make(tr("Start &Capture..."), QKeySequence(Qt::CTRL | Qt::Key_E), tr("Capture process events live"));
    m_capture->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_E), QKeySequence(Qt::Key_F5) });
    m_capture->setIcon(startCaptureIcon());
    connect(m_capture, &QAction::triggered, m_files, &FileCommands::showCaptureDialog);
    m_stop = make(tr("S&top Capture"), QKeySequence(Qt::CTRL | Qt::Key_E), tr("Stop capturing (what was captured stays)"));
    m_stop->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_E), QKeySequence(Qt::SHIFT | Qt::Key_F5) });
    m_stop->setIcon(stopCaptureIcon());
    connect(m_stop, &QAction::triggered, m_workspace, [this] {
        if (m_workspace->opening())
            m_workspace->cancelOpen(); // what was read so far stays shown
        else
            m_workspace->stopCapture();
    });
    m_about = make(tr("&About Procscope"), {}, tr("Version, licence, kernel, capture helper and privileges"));
    m_about->setMenuRole(QAction::AboutRole);
    connect(m_about, &QAction::triggered, m_window, [this] {
        AboutDialog dialog(m_window); // runs `procscope-helper --version`, at most 3 s
        dialog.exec();
    });
}

void MainActions::createViewActions()
{
    Navigator* navigator = m_workspace->document()->navigator();
    ViewOptions* options = m_workspace->document()->viewOptions();
    m_find = make(tr("&Find Process..."), QKeySequence::Find, tr("Search processes by name, PID or command line"));
    connect(m_find, &QAction::triggered, m_tree, &ProcessTreeView::focusSearch);
    m_filter = make(tr("Display &Filter..."), QKeySequence(Qt::CTRL | Qt::Key_Slash), tr("Type a display filter"));
    connect(m_filter, &QAction::triggered, m_filterBar, &FilterBar::focusField);
    m_back = make(tr("&Back"), QKeySequence(Qt::ALT | Qt::Key_Left), tr("The process selected before"));
    connect(m_back, &QAction::triggered, navigator, &Navigator::goBack);
    m_forward = make(tr("For&ward"), QKeySequence(Qt::ALT | Qt::Key_Right), tr("The process selected after"));
    connect(m_forward, &QAction::triggered, navigator, &Navigator::goForward);
    m_wholeTree = make(tr("Show the &Whole Tree"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), tr("Leave \"show only this subtree\""));
    connect(m_wholeTree, &QAction::triggered, navigator, &Navigator::showWholeTree);
    const auto updateNavigation = [this, navigator] {
        m_back->setEnabled(navigator->canGoBack());
        m_forward->setEnabled(navigator->canGoForward());
        m_wholeTree->setEnabled(navigator->subtreeRoot() != session::kNoNode);
    };
    connect(navigator, &Navigator::historyChanged, this, updateNavigation);
    connect(navigator, &Navigator::subtreeRootChanged, this, updateNavigation);
    updateNavigation();
    m_expand = make(tr("E&xpand All"), QKeySequence(Qt::CTRL | Qt::Key_Plus), tr("Expand every process in the tree"));
    connect(m_expand, &QAction::triggered, m_tree, &ProcessTreeView::expandAll);
    m_collapse = make(tr("Co&llapse All"), QKeySequence(Qt::CTRL | Qt::Key_Minus), tr("Collapse the whole tree"));
    connect(m_collapse, &QAction::triggered, m_tree, &ProcessTreeView::collapseAll);
    m_follow = make(tr("&Follow New Processes"), QKeySequence(Qt::CTRL | Qt::Key_J), tr("Reveal each new process as it starts"));
    m_follow->setCheckable(true);
    m_follow->setChecked(options->followNew());
    connect(m_follow, &QAction::toggled, options, &ViewOptions::setFollowNew);
    connect(options, &ViewOptions::followNewChanged, m_follow, &QAction::setChecked);
    m_showHelper = make(tr("Show the Capture &Helper"), {}, tr("Show procscope-helper's own process in the tree and the timeline"));
    m_showHelper->setCheckable(true);
    m_showHelper->setChecked(options->showHelper());
    connect(m_showHelper, &QAction::toggled, options, &ViewOptions::setShowHelper);
    connect(options, &ViewOptions::showHelperChanged, m_showHelper, &QAction::setChecked);
}

void MainActions::createMenus()
{
    QMenuBar* bar = m_window->menuBar();
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(m_open);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addActions({ m_openSample });
    file->addSeparator();
    file->addActions({ m_save, m_saveAs, m_export });
    file->addSeparator();
    file->addActions({ m_close, m_quit });
    bar->addMenu(tr("&Capture"))->addActions({ m_capture, m_stop });
    QMenu* view = bar->addMenu(tr("&View"));
    view->addActions({ m_find, m_filter, m_back, m_forward, m_wholeTree, m_expand, m_collapse });
    view->addSeparator();
    view->addActions({ m_follow, m_showHelper });
    m_hideExitedMenu = view->addMenu(tr("Hide &Exited Processes"));
    ViewOptions* options = m_workspace->document()->viewOptions();
    auto* group = new QActionGroup(this);
    for (const int seconds : { 0, 5, 30, 60, 300 }) {
        const QString text = seconds == 0 ? tr("Never (keep them as tombstones)")
            : seconds < 60                ? tr("%n second(s) after they exit", nullptr, seconds)
                                          : tr("%n minute(s) after they exit", nullptr, seconds / 60);
        QAction* choice = m_hideExitedMenu->addAction(text);
        choice->setCheckable(true);
        choice->setChecked(options->hideExitedSeconds() == seconds);
        group->addAction(choice);
        connect(choice, &QAction::triggered, options, [options, seconds] { options->setHideExitedSeconds(seconds); });
        connect(options, &ViewOptions::hideExitedSecondsChanged, choice, [choice, seconds](int now) { choice->setChecked(now == seconds); });
    }
    QMenu* help = bar->addMenu(tr("&Help"));
    QAction* reference = make(tr("Display &Filter Reference"), QKeySequence(Qt::Key_F1), tr("Every field and operator of the display filter"));
    connect(reference, &QAction::triggered, m_window, [this] {
        auto* dialog = new FilterReference(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    help->addActions({ reference, m_about });

    QToolBar* tools = m_window->addToolBar(tr("Main toolbar"));
    tools->setObjectName(u"mainToolbar"_qs);
    tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    tools->addActions({ m_capture, m_stop });
    tools->addSeparator();
    tools->addActions({ m_open, m_save });
}

void MainActions::update()
{
    const bool capturing = m_workspace->capturing();
    const bool idle = m_workspace->idle();
    const bool hasData = m_workspace->hasCapture();
    m_capture->setEnabled(idle);
    m_capture->setVisible(!capturing && !m_workspace->opening());
    const bool opening = m_workspace->opening();
    m_stop->setEnabled(opening || m_workspace->controller()->state() == CaptureController::State::Running);
    m_stop->setVisible(capturing || opening);
    m_stop->setText(opening ? tr("S&top Opening") : tr("S&top Capture"));
    m_open->setEnabled(idle);
    m_openSample->setEnabled(idle && !sampleCapturePath().isEmpty());
    m_recentMenu->setEnabled(idle && !m_workspace->recentFiles().isEmpty());
    m_save->setEnabled(idle && m_workspace->hasUnsavedCapture());
    m_saveAs->setEnabled(idle && hasData);
    m_export->setEnabled(idle && hasData);
    m_close->setEnabled(idle && hasData);
    // Disabled while capturing: say why where people look (the capture is being written to the
    // recovery file meanwhile, so nothing is at risk).
    for (QAction* action : { m_save, m_saveAs, m_export }) {
        const QString tip = action->property("idleTip").toString();
        action->setToolTip(!capturing ? tip : tr("%1 — stop the capture first (%2)").arg(tip, m_stop->shortcut().toString(QKeySequence::NativeText)));
    }
}

void MainActions::updateRecentMenu()
{
    m_recentMenu->clear();
    int n = 1;
    for (const QString& file : m_workspace->recentFiles()) {
        QAction* action = m_recentMenu->addAction(u"&%1  %2"_qs.arg(n++ % 10).arg(QFileInfo(file).fileName()));
        action->setToolTip(file);
        action->setStatusTip(file);
        connect(action, &QAction::triggered, m_files, [this, file] { m_files->open(file); });
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear the List"), m_workspace, &Workspace::clearRecentFiles);
    m_recentMenu->setEnabled(m_workspace->idle() && !m_workspace->recentFiles().isEmpty());
}

} // namespace procscope::ui
