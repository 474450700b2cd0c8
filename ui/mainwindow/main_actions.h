// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;

namespace procscope::ui {

class FileCommands;
class FilterBar;
class ProcessTreeView;
class Workspace;

// The window's menus, toolbar and keyboard shortcuts, enabled as the workspace's state allows
// (nothing that would touch a capture still arriving), with a tooltip saying why not.
class MainActions : public QObject {
    Q_OBJECT
public:
    MainActions(QMainWindow* window, Workspace* workspace, FileCommands* files, ProcessTreeView* tree, FilterBar* filterBar);

    QAction* stopAction() const { return m_stop; }
    void update();

private:
    QAction* make(const QString& text, const QKeySequence& key, const QString& tip);
    void createFileActions();
    void createViewActions();
    void createMenus();
    void updateRecentMenu();

    QMainWindow* m_window;
    Workspace* m_workspace;
    FileCommands* m_files;
    ProcessTreeView* m_tree;
    FilterBar* m_filterBar;
    QAction* m_open = nullptr;
    QAction* m_openSample = nullptr;
    QAction* m_save = nullptr;
    QAction* m_saveAs = nullptr;
    QAction* m_export = nullptr;
    QAction* m_close = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_capture = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_find = nullptr;
    QAction* m_filter = nullptr;
    QAction* m_back = nullptr;
    QAction* m_forward = nullptr;
    QAction* m_wholeTree = nullptr;
    QAction* m_expand = nullptr;
    QAction* m_collapse = nullptr;
    QAction* m_follow = nullptr;
    QAction* m_showHelper = nullptr;
    QAction* m_about = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_hideExitedMenu = nullptr;
};

} // namespace procscope::ui
