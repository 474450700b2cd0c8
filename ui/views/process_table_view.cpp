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
#include <QMenu>

namespace procscope::ui {

ProcessTableView::ProcessTableView(CaptureDocument* document, QWidget* parent)
    : QTableView(parent)
    , m_document(document)
    , m_proxy(new ProcessTableFilter(this))
{
    m_proxy->setSourceModel(document->processModel());
    m_proxy->setDisplayFilter(document->displayFilter());
    setModel(m_proxy);
    setObjectName(u"processTable"_qs);
    setAccessibleName(tr("Process table"));
    setAccessibleDescription(tr("One row per process lifetime; sort by any column"));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setShowGrid(false);
    setSortingEnabled(true);
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
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        const session::NodeId node = currentNode();
        m_document->navigator()->selectNode(node);
        emit currentNodeChanged(node);
    });
    connect(document->navigator(), &Navigator::currentNodeChanged, this, &ProcessTableView::selectNode);
    installItemMenu(this, horizontalHeader(), document, false);
}

session::NodeId ProcessTableView::currentNode() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(ItemRole::NodeRole).toUInt() : session::kNoNode;
}

void ProcessTableView::selectNode(session::NodeId node)
{
    if (node == session::kNoNode || static_cast<int>(node) >= m_document->processModel()->rowCount())
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_document->processModel()->index(static_cast<int>(node), 0));
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
        m_proxy->refilter();
}

void ProcessTableView::showEvent(QShowEvent* event)
{
    if (m_refilterWhenShown) {
        m_refilterWhenShown = false;
        m_proxy->refilter();
    }
    QTableView::showEvent(event);
}

} // namespace procscope::ui
