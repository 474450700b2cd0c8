// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

namespace procscope::ui {

class DisplayFilterState;

// Sorts the process table by any column (numbers as numbers, times by time) and keeps the
// processes that have an event passing the display filter.
class ProcessTableFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProcessTableFilter(QObject* parent = nullptr);
    void setDisplayFilter(const DisplayFilterState* filter) { m_displayFilter = filter; }
    // A new display filter: mappings are dropped and rebuilt level by level as views ask
    // (invalidateFilter() would remove the rejected rows one interval at a time: quadratic
    // when a filter keeps a few rows scattered among many).
    void refilter() { invalidate(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    const DisplayFilterState* m_displayFilter = nullptr;
};

// Text compares as people read it; numbers and times by value.
bool sortKeyLess(const QVariant& left, const QVariant& right);

} // namespace procscope::ui
