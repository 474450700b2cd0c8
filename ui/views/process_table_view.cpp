// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/process_table_view.h"

#include "document/capture_document.h"
#include "models/display_filter_state.h"
#include "document/navigator.h"
#include "models/process_table_filter.h"
#include "models/process_table_model.h"
#include "views/column_chooser.h"
#include "views/item_actions.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QMenu>

namespace procscope::ui {

ProcessTableView::ProcessTableView(CaptureDocument* document, QWidget* parent)
    : QTableView(parent)
    , m_document(document)
    , m_proxy(new ProcessTableFilter(this))
{
    m_proxy->setDisplayFilter(document->displayFilter()); // its source is set while it is shown
    setModel(document->processModel());
    followCurrentRow();
    setObjectName(u"processTable"_qs);
    setAccessibleName(tr("Process table"));
    setAccessibleDescription(tr("One row per process lifetime; sort by any column"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setShowGrid(false);
    setSortingEnabled(true);
    horizontalHeader()->setSortIndicatorClearable(true); // a third click goes back to the order they became known
    sortByColumn(-1, Qt::AscendingOrder);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    horizontalHeader()->setStretchLastSection(true); // the command line takes what is left
    // Wide enough for their usual contents ("07:35:34.336454", "killed by SIGKILL"), no wider:
    // the command line needs the room.
    const QFontMetrics metrics = fontMetrics();
    const auto fit = [&](int column, const QString& sample) { horizontalHeader()->resizeSection(column, metrics.horizontalAdvance(sample) + 14); };
    fit(ProcessTableModel::Name, u"x86_64-linux-gn"_qs);
    fit(ProcessTableModel::Started, u"00:00:00.000000"_qs);
    fit(ProcessTableModel::Ended, u"00:00:00.000000"_qs);
    fit(ProcessTableModel::Duration, u"000.0 ms"_qs);
    fit(ProcessTableModel::Status, u"killed by SIGKILL"_qs);
    fit(ProcessTableModel::User, u"root00"_qs);
    fit(ProcessTableModel::Pid, u"4194304"_qs);
    fit(ProcessTableModel::Ppid, u"4194304"_qs);
    fit(ProcessTableModel::Execs, u"Execs"_qs);
    fit(ProcessTableModel::Children, u"Children"_qs);
    fit(ProcessTableModel::Threads, u"Threads"_qs);
    for (int column = ProcessTableModel::Cpu; column <= ProcessTableModel::TreeWritten; ++column) {
        const QString title = model()->headerData(column, Qt::Horizontal).toString();
        fit(column, metrics.horizontalAdvance(title) > metrics.horizontalAdvance(u"000.00 MiB"_qs) ? title : u"000.00 MiB"_qs);
        // Own figures shown; the totals with descendants belong to the tree, a right click away here.
        const int own = column - ProcessTableModel::Cpu;
        horizontalHeader()->setSectionHidden(column, own % 2 == 1);
    }
    addColumnChooser(horizontalHeader());
    connect(document->displayFilter(), &DisplayFilterState::applied, this, &ProcessTableView::onFilterApplied);
    followHostCount(horizontalHeader(), ProcessTableModel::Host, document);
    // After QTableView's own handler, which sorts the model shown: the rows in the order they
    // became known need no proxy, a sorted order does.
    connect(horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column, Qt::SortOrder order) {
        if (column >= 0 && !showsThroughProxy()) {
            showThroughProxy(true);
            m_proxy->sort(column, order);
        } else if (column < 0) {
            showThroughProxy(needsProxy()); // a third click: the order they became known
        }
    });
    connect(document->navigator(), &Navigator::currentNodeChanged, this, &ProcessTableView::selectNode);
    installItemMenu(this, horizontalHeader(), document, false);
}

session::NodeId ProcessTableView::currentNode() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(ItemRole::NodeRole).toUInt() : session::kNoNode;
}

void ProcessTableView::followCurrentRow()
{
    // Each model shown comes with a selection model of its own.
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        const session::NodeId node = currentNode();
        m_document->navigator()->selectNode(node);
        emit currentNodeChanged(node);
    });
}

void ProcessTableView::restoreHeader(const QByteArray& state)
{
    // A sort it holds comes through the proxy (showThroughProxy() sorts by the indicator).
    if (horizontalHeader()->restoreState(state))
        showThroughProxy(needsProxy());
}

bool ProcessTableView::needsProxy() const
{
    const int sorted = horizontalHeader()->sortIndicatorSection();
    return m_document->displayFilter()->active() || (sorted >= 0 && sorted < ProcessTableModel::ColumnCount);
}

bool ProcessTableView::showsThroughProxy() const { return model() == m_proxy; }

void ProcessTableView::showThroughProxy(bool throughProxy)
{
    if (throughProxy == showsThroughProxy())
        return;
    const session::NodeId current = currentNode();
    const int scrolled = verticalScrollBar()->value();
    // Column widths, order, hidden columns and the sort indicator stay as the user left them.
    const QByteArray header = horizontalHeader()->saveState();
    // A proxy not shown must not follow the model: it would map every process for nothing.
    QItemSelectionModel* previous = selectionModel(); // setModel() leaves it to its owner
    if (throughProxy) {
        m_proxy->setSourceModel(m_document->processModel());
        setModel(m_proxy);
    } else {
        setModel(m_document->processModel());
        m_proxy->setSourceModel(nullptr);
    }
    delete previous;
    horizontalHeader()->restoreState(header);
    if (throughProxy && horizontalHeader()->sortIndicatorSection() >= 0)
        m_proxy->sort(horizontalHeader()->sortIndicatorSection(), horizontalHeader()->sortIndicatorOrder());
    followCurrentRow();
    if (current != session::kNoNode)
        selectNode(current);
    else
        verticalScrollBar()->setValue(scrolled);
}

void ProcessTableView::selectNode(session::NodeId node)
{
    if (node == session::kNoNode || static_cast<int>(node) >= m_document->processModel()->rowCount())
        return;
    QModelIndex index = m_document->processModel()->index(static_cast<int>(node), 0);
    if (showsThroughProxy())
        index = m_proxy->mapFromSource(index);
    if (!index.isValid())
        return;
    const QSignalBlocker block(selectionModel());
    setCurrentIndex(index);
    scrollTo(index);
}

void ProcessTableView::onFilterApplied()
{
    m_refilterWhenShown = !isVisible();
    if (!m_refilterWhenShown)
        refilter();
}

void ProcessTableView::refilter()
{
    // Without a display filter or a sort, the rows are the model's own: a proxy would map each
    // of millions of processes and follow every insert for nothing.
    if (showsThroughProxy() && needsProxy())
        m_proxy->refilter(); // not when it is about to go: that would map every process for nothing
    showThroughProxy(needsProxy());
}

void ProcessTableView::showEvent(QShowEvent* event)
{
    if (m_refilterWhenShown) {
        m_refilterWhenShown = false;
        refilter();
    }
    QTableView::showEvent(event);
}

} // namespace procscope::ui
