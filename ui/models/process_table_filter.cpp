// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/process_table_filter.h"

#include "models/display_filter_state.h"
#include "models/process_table_model.h"

namespace procscope::ui {

bool sortKeyLess(const QVariant& left, const QVariant& right)
{
    if (left.typeId() == QMetaType::QString || right.typeId() == QMetaType::QString)
        return QString::localeAwareCompare(left.toString(), right.toString()) < 0;
    return QVariant::compare(left, right) == QPartialOrdering::Less;
}

ProcessTableFilter::ProcessTableFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ItemRole::SortKeyRole);
}

bool ProcessTableFilter::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    return !m_displayFilter || m_displayFilter->nodeMatches(static_cast<std::uint32_t>(sourceRow));
}

bool ProcessTableFilter::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    return sortKeyLess(left.data(sortRole()), right.data(sortRole()));
}

} // namespace procscope::ui
