// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QPersistentModelIndex>
#include <QTimer>
#include <QWidget>
#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QTreeView;

namespace procscope::ui {

class CaptureDocument;
class Navigator;
class ProcessTreeFilter;
class ViewOptions;

// The live process tree with its search bar: search selects and reveals matches (name, PID or
// command line; Enter/F3 for the next, Shift+F3 the previous), expand/collapse all, and an
// optional follow mode that reveals each new process. While rows arrive the selection and the
// row at the top of the view stay where they are.
class ProcessTreeView : public QWidget {
    Q_OBJECT
public:
    explicit ProcessTreeView(CaptureDocument* document, QWidget* parent = nullptr);

    QTreeView* tree() const { return m_tree; }
    ProcessTreeFilter* filter() const { return m_filter; }
    // Whether the rows go through the filter (sorted, display filter, exited processes hidden)
    // rather than being the tree model's own.
    bool showsThroughProxy() const;
    // An index of the tree model as the view shows it (invalid when filtered out).
    QModelIndex viewIndex(const QModelIndex& treeIndex) const;
    // A header saved with saveState(): a sort it holds is applied, through the filter.
    void restoreHeader(const QByteArray& state);
    QLineEdit* searchField() const { return m_search; }
    QString matchSummary() const;

    void focusSearch();
    // Sets the view option (remembered; the View menu and the check box follow).
    void setFollowNew(bool follow);
    bool followNew() const { return m_follow; }
    // Searches now (the field searches by itself a moment after typing stops).
    void search(const QString& text);
    void nextMatch(int step = 1);
    session::NodeId currentNode() const;
    void selectNode(session::NodeId node);

    // Expands the processes that have children under `from` (kNoNode: everything), `depth`
    // levels deep (negative: all the way). Leaves are never marked expanded: QTreeView's own
    // expandAll()/expandToDepth() keep a persistent index for every row they pass, and with a
    // 300,000-child storm each later filter change spent a fifth of a second updating them.
    void openAsNew(); // expanded as a capture first shows, the kernel's threads folded
    // `depth` < 0: all the way down, crowded parents too (the user asked for everything).
    void expandParents(session::NodeId from, int depth);
    // A parent with more children than this stays folded unless the user opens it: an open
    // level is laid out whole on every update, and a storm puts millions under one parent.
    static constexpr int kCrowdedChildren = 10'000;

public slots:
    void expandAll();
    void collapseAll();

signals:
    void currentNodeChanged(session::NodeId node);

private:
    void bindTo(Navigator* navigator, ViewOptions* options);
    void onFilterApplied();
    bool needsProxy() const;
    void showThroughProxy(bool throughProxy);
    void followCurrentRow();
    void rememberTop();
    void restoreTop();
    void onRowsInserted(const QModelIndex& parent, int first, int last);

    CaptureDocument* m_document;
    ProcessTreeFilter* m_filter;
    QTreeView* m_tree;
    QLineEdit* m_search;
    QLabel* m_matchLabel;
    QCheckBox* m_followBox;
    QTimer m_searchDelay;
    QTimer m_clock; // hiding exited processes: the capture's time moves on
    std::vector<session::NodeId> m_matches;
    int m_matchIndex = -1;
    bool m_follow = false;
    QPersistentModelIndex m_topAnchor;
    int m_topOffset = 0;
    bool m_restorePending = false;
};

} // namespace procscope::ui
