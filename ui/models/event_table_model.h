// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/item_roles.h"
#include "session/session.h"
#include "session/time_order.h"

#include <QAbstractTableModel>
#include <cstdint>
#include <span>
#include <vector>

namespace procscope::ui {

class DisplayFilterState;

// Every event of the session, newest last, computed on demand from the event store (no
// per-row objects). Per-kind toggles select which rows are shown; with all kinds on, a row
// is the store's row and nothing is kept per row at all. flush() appends what the session
// gained since the last call with one beginInsertRows.
// A session of several hosts is listed in the order events happened (session::time_order),
// not as the hosts' batches arrived: then a row maps to the store through that order, and rows
// that arrive late are inserted where they belong.
class EventTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Host: shown when a session has several (placed second by the view).
    enum Column { Time, Type, Pid, Process, Details, Host, ColumnCount };
    static constexpr std::uint32_t kAllKinds = (1u << session::kEventKindCount) - 1;

    explicit EventTableModel(QObject* parent = nullptr);

    void setSession(const session::Session* session);
    void flush();
    void setKindMask(std::uint32_t mask);
    // Rows must also pass this display filter (when it is active); refilter() after it changed.
    void setDisplayFilter(const DisplayFilterState* filter) { m_displayFilter = filter; }
    void refilter();
    std::uint32_t kindMask() const { return m_mask; }

    // Some event types are hidden or a display filter applies: not every stored row is shown.
    bool filtered() const { return m_filtered; }
    std::size_t storeRow(int row) const
    {
        const auto at = static_cast<std::size_t>(row);
        return m_filtered ? m_rows[at] : m_ordered ? m_order[at] : at;
    }
    // Rows are in the order events happened, not as they were stored (several hosts).
    bool timeOrdered() const { return m_ordered; }
    // Several hosts: each host's events together (in host order), in time order within each.
    void setGroupByHost(bool grouped);
    bool groupedByHost() const { return m_groupByHost; }
    // Whether the table shows this store row (its type is not hidden and it passes the filter).
    bool shows(std::size_t storeRow) const;
    // The model row of a store row, or -1 when it is hidden by the kind toggles.
    int rowOfStoreRow(std::size_t storeRow) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    static CellKind cellKind(int column, session::EventKind kind);
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static QVariant alignment(int column); // of cells and their heading
    bool accepts(std::size_t row, const session::StoredEvent& event) const;
    void rebuild();
    void flushOrdered(std::size_t total);
    session::time_order::Before order() const { return { m_session->events(), m_groupByHost }; }
    // Inserts store rows (in time order) into the shown rows, announcing them.
    void insertShown(std::vector<std::uint32_t>& shown, std::span<const std::uint32_t> sorted);

    const session::Session* m_session = nullptr;
    const DisplayFilterState* m_displayFilter = nullptr;
    std::uint32_t m_mask = kAllKinds;
    bool m_filtered = false;
    std::vector<std::uint32_t> m_rows; // store rows shown, when filtered
    bool m_ordered = false;
    bool m_groupByHost = false;
    std::vector<std::uint32_t> m_order; // every store row in time order, when ordered
    std::size_t m_seen = 0; // store rows looked at
    std::size_t m_count = 0; // rows shown
};

} // namespace procscope::ui
