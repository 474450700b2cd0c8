// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/process_table_view.h"

#include "document/capture_document.h"
#include "document/display_filter_state.h"
#include "models/process_table_filter.h"
#include "models/process_table_model.h"

#include <QHeaderView>

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
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    horizontalHeader()->setStretchLastSection(true); // the command line takes what is left
    horizontalHeader()->resizeSection(ProcessTableModel::Name, 150);
    horizontalHeader()->resizeSection(ProcessTableModel::Duration, 80);
    horizontalHeader()->resizeSection(ProcessTableModel::Status, 135);
    horizontalHeader()->resizeSection(ProcessTableModel::Started, 125);
    horizontalHeader()->resizeSection(ProcessTableModel::Ended, 125);
    for (const int narrow : { ProcessTableModel::Pid, ProcessTableModel::Ppid, ProcessTableModel::Execs, ProcessTableModel::Children, ProcessTableModel::Threads })
        horizontalHeader()->resizeSection(narrow, 58);
    horizontalHeader()->resizeSection(ProcessTableModel::User, 70);
    connect(document->displayFilter(), &DisplayFilterState::applied, m_proxy, &ProcessTableFilter::refilter);
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this, [this] { emit currentNodeChanged(currentNode()); });
}

session::NodeId ProcessTableView::currentNode() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(ProcessTableModel::NodeRole).toUInt() : session::kNoNode;
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

} // namespace procscope::ui
