// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QSortFilterProxyModel>
#include <QTimer>

namespace procscope::ui {

class DisplayFilterState;

// What the tree hides beyond the model's own rows: processes without a match for the display
// filter, and exited processes some seconds after they ended (when asked; a hidden process
// with running descendants stays, so lineage is never cut). Sorting by any column uses the
// tree model's sort keys. The view shows it only while one of these applies.
class ProcessTreeFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ProcessTreeFilter(QObject* parent = nullptr);

    void setSession(const session::Session* session);
    // 0: exited processes stay (as tombstones). Otherwise hidden that long after their exit.
    void setHideExitedAfterSeconds(int seconds);
    // The capture's "now" for hiding exited processes; the owner calls it as time moves on.
    void setNow(std::uint64_t nowNs);
    // Only processes with an event that passes this display filter (and their ancestors).
    void setDisplayFilter(const DisplayFilterState* filter);
    // A new display filter: mappings are dropped and rebuilt level by level as views ask
    // (invalidateFilter() would remove the rejected rows one interval at a time: quadratic
    // when a filter keeps a few rows scattered among many).
    void refilter();

    // Whether a row has children to show, without filtering them all (see kExactChildren).
    bool hasChildren(const QModelIndex& parent = {}) const override;
    // Up to this many children are filtered to answer hasChildren().
    static constexpr int kExactChildren = 1000;
    // Ancestors kept only for context (no matching event of their own) are drawn dimmed, in italics.
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    const session::Session* m_session = nullptr;
    const DisplayFilterState* m_displayFilter = nullptr;
    int m_hideExitedSeconds = 0;
    std::uint64_t m_nowNs = 0;
    std::uint64_t m_filterGeneration = 0; // the display filter's results the rows follow
};

} // namespace procscope::ui
