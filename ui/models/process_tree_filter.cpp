// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/process_tree_filter.h"


#include "models/display_filter_state.h"
#include "models/display_text.h"
#include "models/process_table_filter.h"
#include "models/process_tree_model.h"

#include <QFont>

namespace procscope::ui {

using namespace session;

ProcessTreeFilter::ProcessTreeFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(ItemRole::SortKeyRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void ProcessTreeFilter::setSession(const Session* session)
{
    m_session = session;
    invalidateFilter();
    m_filterGeneration = m_displayFilter ? m_displayFilter->generation() : 0;
}

void ProcessTreeFilter::setDisplayFilter(const DisplayFilterState* filter)
{
    m_displayFilter = filter;
    refilter();
}

void ProcessTreeFilter::setHideExitedAfterSeconds(int seconds)
{
    if (seconds == m_hideExitedSeconds)
        return;
    m_hideExitedSeconds = std::max(0, seconds);
    invalidateFilter();
}

void ProcessTreeFilter::setNow(std::uint64_t nowNs)
{
    m_nowNs = nowNs;
    if (m_hideExitedSeconds > 0)
        invalidateFilter();
}

void ProcessTreeFilter::refilter()
{
    // Mappings are dropped and rebuilt level by level as the view asks (invalidateFilter()
    // would remove rejected rows one interval at a time: quadratic when a filter keeps a few
    // rows scattered among many). Rejecting is cheap: the state knows which subtrees match.
    invalidate();
    m_filterGeneration = m_displayFilter ? m_displayFilter->generation() : 0; // after: see hasChildren()
}

bool ProcessTreeFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_session)
        return true;
    const auto id = static_cast<const ProcessTreeModel*>(sourceModel())->childNode(sourceParent, sourceRow);
    if (id >= m_session->lineage().size())
        return true;
    const bool displayFiltered = m_displayFilter && m_displayFilter->active();
    if (displayFiltered && !m_displayFilter->subtreeMatches(id))
        return false;
    const ProcessNode& node = m_session->lineage().node(id);
    // Hiding exited processes relies on recursive filtering to keep their running descendants;
    // while a display filter decides what is shown, it does not apply.
    if (!displayFiltered && m_hideExitedSeconds > 0 && !node.running() && m_nowNs > node.endNs
        && m_nowNs - node.endNs > std::uint64_t(m_hideExitedSeconds) * 1'000'000'000ULL)
        return false;
    return true;
}

bool ProcessTreeFilter::hasChildren(const QModelIndex& parent) const
{
    // The view asks this of every row it lays out, and the base class builds the row's whole
    // mapping to answer: a folded parent of a million children was filtered row by row at
    // every update of a loading file, and again for each display filter. A crowded parent is
    // answered from what is known of its children as a whole.
    if (!m_session || m_hideExitedSeconds > 0)
        return QSortFilterProxyModel::hasChildren(parent);
    const QModelIndex source = mapToSource(parent);
    const NodeId node = static_cast<const ProcessTreeModel*>(sourceModel())->nodeAt(source);
    if (node == kNoNode || sourceModel()->rowCount(source) <= kExactChildren)
        return QSortFilterProxyModel::hasChildren(parent);
    // Results newer than the rows shown (refilter() follows) would contradict them.
    if (m_displayFilter && m_displayFilter->generation() != m_filterGeneration)
        return QSortFilterProxyModel::hasChildren(parent);
    // Nothing is hidden without a display filter (the tree model leaves the helper out).
    if (!m_displayFilter || !m_displayFilter->active())
        return true;
    // A mark says a descendant matched; without one the answer is not sure (a process moved
    // under this one after its match was marked): the exact answer, built once per filter.
    return m_displayFilter->descendantMatches(node) || QSortFilterProxyModel::hasChildren(parent);
}

QVariant ProcessTreeFilter::data(const QModelIndex& index, int role) const
{
    if ((role == Qt::ForegroundRole || role == Qt::FontRole) && m_displayFilter && m_displayFilter->active()) {
        const auto id = QSortFilterProxyModel::data(index, ItemRole::NodeRole).toUInt();
        if (m_session && id < m_session->lineage().size() && !m_displayFilter->nodeMatches(id)) {
            if (role == Qt::ForegroundRole)
                return tombstoneColour();
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

bool ProcessTreeFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    return sortKeyLess(left.data(sortRole()), right.data(sortRole()));
}

} // namespace procscope::ui
