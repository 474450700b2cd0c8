// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's inspection tools: the details pane following the selection in any view,
// Back / Forward through selections, context menus (copy, go to parent, show only a subtree,
// apply or prepare a cell as a filter), and the keyboard shortcuts for them.
#include "mainwindow/main_window.h"

#include "document/capture_document.h"
#include "document/display_filter_state.h"
#include "models/display_text.h"
#include "models/event_table_model.h"
#include "models/process_table_model.h"
#include "models/process_tree_filter.h"
#include "models/process_tree_model.h"
#include "views/column_chooser.h"
#include "views/details_pane.h"
#include "views/event_table_view.h"
#include "views/filter_bar.h"
#include "views/filter_expressions.h"
#include "views/process_table_view.h"
#include "views/process_tree_view.h"
#include "views/rate_chart_view.h"
#include "views/statistics_view.h"
#include "views/timeline_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QMenu>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>

namespace procscope::ui {

using namespace session;

namespace {

// What a cell of each view holds, for "Apply as filter".
CellKind cellKind(const QAbstractItemView* view, const QModelIndex& index, const StoredEvent* event)
{
    const int column = index.column();
    if (view->objectName() == u"processTree"_qs) {
        switch (column) {
        case ProcessTreeModel::Name: return CellKind::Name;
        case ProcessTreeModel::Pid: return CellKind::Pid;
        case ProcessTreeModel::User: return CellKind::User;
        case ProcessTreeModel::Status: return CellKind::Status;
        case ProcessTreeModel::CommandLine: return CellKind::CommandLine;
        }
        if (column >= ProcessTreeModel::Cpu && column <= ProcessTreeModel::TreeWritten)
            return static_cast<CellKind>(static_cast<int>(CellKind::CostCpu) + column - ProcessTreeModel::Cpu);
        return CellKind::Other;
    }
    if (view->objectName() == u"eventTable"_qs) {
        switch (column) {
        case EventTableModel::Type: return CellKind::Type;
        case EventTableModel::Pid: return CellKind::Pid;
        case EventTableModel::Process: return CellKind::Name;
        case EventTableModel::Details:
            return event && event->kind == EventKind::Exec ? CellKind::CommandLine : event && event->kind == EventKind::Exit ? CellKind::Status : CellKind::Type;
        }
        return CellKind::Other;
    }
    switch (column) {
    case ProcessTableModel::Name: return CellKind::Name;
    case ProcessTableModel::Pid: return CellKind::Pid;
    case ProcessTableModel::User: return CellKind::User;
    case ProcessTableModel::CommandLine: return CellKind::CommandLine;
    case ProcessTableModel::Status: return CellKind::Status;
    }
    if (column >= ProcessTableModel::Cpu && column <= ProcessTableModel::TreeWritten)
        return static_cast<CellKind>(static_cast<int>(CellKind::CostCpu) + column - ProcessTableModel::Cpu);
    return CellKind::Other;
}

QString rowText(const QModelIndex& index)
{
    QStringList cells;
    for (int column = 0; column < index.model()->columnCount(index.parent()); ++column)
        cells << index.siblingAtColumn(column).data().toString();
    return cells.join(u'\t');
}

} // namespace

void MainWindow::createInspectActions()
{
    m_filterAction = new QAction(tr("Display &Filter..."), this);
    m_filterAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    m_filterAction->setStatusTip(tr("Type a display filter (Ctrl+/)"));
    connect(m_filterAction, &QAction::triggered, this, [this] { m_filterBar->focusField(); });
    m_backAction = new QAction(tr("&Back"), this);
    m_backAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_backAction->setStatusTip(tr("The process selected before (Alt+Left)"));
    connect(m_backAction, &QAction::triggered, this, &MainWindow::goBack);
    m_forwardAction = new QAction(tr("For&ward"), this);
    m_forwardAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    m_forwardAction->setStatusTip(tr("The process selected after (Alt+Right)"));
    connect(m_forwardAction, &QAction::triggered, this, &MainWindow::goForward);
    m_wholeTreeAction = new QAction(tr("Show the &Whole Tree"), this);
    m_wholeTreeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    connect(m_wholeTreeAction, &QAction::triggered, this, [this] {
        showWholeTree();
        m_filterBar->clearFilter();
    });
    m_wholeTreeAction->setEnabled(false);
    for (QAction* action : { m_filterAction, m_backAction, m_forwardAction, m_wholeTreeAction })
        addAction(action);
}

void MainWindow::connectSelections()
{
    connect(m_treeView, &ProcessTreeView::currentNodeChanged, this, [this](NodeId node) {
        m_details->showNode(node);
        noteSelection(node);
        m_processView->selectNode(node);
        m_timeline->showNode(node);
    });
    connect(m_processView, &ProcessTableView::currentNodeChanged, this, [this](NodeId node) {
        m_details->showNode(node);
        noteSelection(node);
    });
    connect(m_eventView->table()->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& current) {
        if (!current.isValid())
            return;
        m_details->showEvent(current.data(EventTableModel::StoreRowRole).toULongLong());
        noteSelection(current.data(EventTableModel::NodeRole).toUInt());
    });
    connect(m_eventView, &EventTableView::nodeActivated, this, &MainWindow::selectNode);
    connect(m_details, &DetailsPane::nodeRequested, this, &MainWindow::selectNode);
    connect(m_statistics, &StatisticsView::nodeRequested, this, &MainWindow::selectNode);
    connect(m_statistics, &StatisticsView::filterRequested, this, [this](const QString& expression) { m_filterBar->setExpression(expression, true); });
    connect(m_rateChart, &RateChartView::rangeSelected, this, &MainWindow::selectTimeRange);
    connect(m_timeline, &TimelineView::rangeSelected, this, &MainWindow::selectTimeRange);
    connect(m_timeline, &TimelineView::nodeSelected, this, &MainWindow::selectNode);
    connect(m_details, &DetailsPane::filterRequested, this, [this](const QString& expression) { m_filterBar->setExpression(expression, true); });
    connect(m_document->displayFilter(), &DisplayFilterState::applied, this, [this] {
        if (m_subtreeRoot != kNoNode) { // re-root once the subtree's filter is in place
            const QModelIndex index = m_treeView->filter()->mapFromSource(m_document->treeModel()->indexOf(m_subtreeRoot));
            m_treeView->tree()->setRootIndex(index.isValid() ? index.parent() : QModelIndex());
            m_treeView->expandParents(m_subtreeRoot, -1);
            m_treeView->selectNode(m_subtreeRoot);
        }
        if (!m_document->displayFilter()->active())
            showWholeTree();
    });
    for (QAbstractItemView* view : std::initializer_list<QAbstractItemView*> { m_treeView->tree(), m_eventView->table(), m_processView }) {
        view->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint& at) { showContextMenu(view, at); });
    }
}

void MainWindow::noteSelection(NodeId node)
{
    if (m_navigating || node == kNoNode)
        return;
    if (!m_visited.empty() && m_visited[m_visitedAt] == node)
        return;
    if (!m_visited.empty())
        m_visited.resize(m_visitedAt + 1); // a new branch drops what was ahead
    m_visited.push_back(node);
    m_visitedAt = m_visited.size() - 1;
}

void MainWindow::selectNode(NodeId node)
{
    if (!m_document->session() || node == kNoNode || node >= m_document->session()->lineage().size())
        return;
    m_treeView->selectNode(node);
    m_processView->selectNode(node);
    m_timeline->showNode(node);
    m_details->showNode(node);
    noteSelection(node);
}

void MainWindow::goBack()
{
    if (m_visited.empty() || m_visitedAt == 0)
        return;
    m_navigating = true;
    selectNode(m_visited[--m_visitedAt]);
    m_navigating = false;
}

void MainWindow::goForward()
{
    if (m_visitedAt + 1 >= m_visited.size())
        return;
    m_navigating = true;
    selectNode(m_visited[++m_visitedAt]);
    m_navigating = false;
}

void MainWindow::selectTimeRange(std::uint64_t fromNs, std::uint64_t toNs)
{
    // The filter language has the kernel timestamp: the range is a filter like any other, so
    // the event table holds exactly those events and the tree the processes active in them.
    m_filterBar->setExpression(u"ts >= %1 and ts < %2"_qs.arg(fromNs).arg(toNs), true);
    m_timeline->setTimeRange(fromNs, toNs);
    m_tables->setCurrentWidget(m_eventView);
}

void MainWindow::showOnlySubtree(NodeId node)
{
    m_subtreeRoot = node;
    m_wholeTreeAction->setEnabled(true);
    // The filter also takes the processes it forks later, as they arrive.
    m_filterBar->setExpression(subtreeExpression(m_document->session()->lineage().node(node)), true);
}

void MainWindow::showWholeTree()
{
    m_subtreeRoot = kNoNode;
    m_treeView->tree()->setRootIndex({});
    if (m_wholeTreeAction)
        m_wholeTreeAction->setEnabled(false);
}

void MainWindow::showContextMenu(QAbstractItemView* view, const QPoint& position)
{
    const Session* session = m_document->session();
    const QModelIndex index = view->indexAt(position);
    if (!session || !index.isValid())
        return;
    const StoredEvent* event = nullptr;
    NodeId node = kNoNode;
    if (view == m_eventView->table()) {
        event = &session->events()[index.data(EventTableModel::StoreRowRole).toULongLong()];
        node = event->node;
    } else {
        node = index.data(ProcessTreeModel::NodeRole).toUInt(); // both process models use the same role number
    }
    const CellKind kind = cellKind(view, index, event);
    const QString expression = filterExpressionFor(*session, node, kind, event);

    QMenu menu(this);
    QClipboard* clipboard = QApplication::clipboard();
    menu.addAction(tr("&Apply as Filter: %1").arg(expression), this, [this, expression] { m_filterBar->setExpression(expression, true); });
    menu.addAction(tr("&Prepare as Filter"), this, [this, expression] { m_filterBar->setExpression(expression, false); });
    menu.addSeparator();
    menu.addAction(tr("&Copy"), QKeySequence::Copy, this, [clipboard, index] { clipboard->setText(index.data().toString()); });
    menu.addAction(tr("Copy &Row"), this, [clipboard, index] { clipboard->setText(rowText(index)); });
    if (node != kNoNode) {
        const ProcessNode& process = session->lineage().node(node);
        const QString commandLine = commandLineText(*session, node);
        menu.addAction(tr("Copy Co&mmand Line"), this, [clipboard, commandLine] { clipboard->setText(commandLine); });
        menu.addAction(tr("Copy P&ID"), this, [clipboard, pid = process.pid] { clipboard->setText(QString::number(pid)); });
        menu.addSeparator();
        QAction* parent = menu.addAction(tr("Go to Pa&rent"), this, [this, to = process.parent] { selectNode(to); });
        parent->setEnabled(process.parent != kNoNode);
        if (view != m_treeView->tree())
            menu.addAction(tr("Show in the &Tree"), this, [this, node] { selectNode(node); });
        menu.addAction(tr("Show &Only This Subtree"), this, [this, node] { showOnlySubtree(node); });
        menu.addAction(tr("&Filter Events to This Process"), this, [this, pid = process.pid] { m_filterBar->setExpression(u"pid == %1"_qs.arg(pid), true); });
        if (view == m_treeView->tree())
            menu.addAction(tr("&Expand Subtree"), this, [this, node] { m_treeView->expandParents(node, -1); });
    }
    if (m_wholeTreeAction->isEnabled())
        menu.addAction(m_wholeTreeAction);
    menu.addSeparator();
    addColumnsMenu(menu, view == m_treeView->tree() ? m_treeView->tree()->header() : static_cast<QTableView*>(view)->horizontalHeader());
    menu.exec(view->viewport()->mapToGlobal(position));
}

} // namespace procscope::ui
