// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/event_table_model.h"

#include "models/display_filter_state.h"
#include "models/display_text.h"
#include "session/time_order.h"

#include <QColor>
#include <algorithm>

namespace procscope::ui {

using namespace session;

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void EventTableModel::setSession(const Session* session)
{
    beginResetModel();
    m_session = session;
    m_order.clear();
    rebuild();
    endResetModel();
}

void EventTableModel::setGroupByHost(bool grouped)
{
    if (grouped == m_groupByHost)
        return;
    beginResetModel();
    m_groupByHost = grouped;
    m_order.clear(); // ordered again by the new key
    rebuild();
    endResetModel();
}

void EventTableModel::setKindMask(std::uint32_t mask)
{
    if (mask == m_mask)
        return;
    beginResetModel();
    m_mask = mask;
    rebuild();
    endResetModel();
}

bool EventTableModel::accepts(std::size_t row, const StoredEvent& event) const
{
    return (m_mask & (1u << static_cast<unsigned>(event.kind))) && (!m_displayFilter || m_displayFilter->rowMatches(row));
}

bool EventTableModel::shows(std::size_t storeRow) const
{
    return m_session && storeRow < m_session->events().size() && accepts(storeRow, m_session->events()[storeRow]);
}

void EventTableModel::refilter()
{
    beginResetModel();
    rebuild();
    endResetModel();
}

void EventTableModel::rebuild()
{
    m_filtered = (m_mask & kAllKinds) != kAllKinds || (m_displayFilter && m_displayFilter->active());
    m_rows.clear();
    m_seen = 0;
    m_count = 0;
    m_ordered = m_session && m_session->severalHosts();
    if (!m_ordered || m_order.size() > m_session->events().size())
        m_order.clear();
    if (!m_session)
        return;
    const EventStore& events = m_session->events();
    m_seen = events.size();
    if (m_ordered)
        time_order::merge(order(), m_order, time_order::sortedRange(order(), m_order.size(), m_seen));
    if (!m_filtered) {
        m_count = m_seen;
        return;
    }
    if (m_ordered) {
        // A pass over every row in time order: several-host captures are the smaller ones.
        if (m_displayFilter && m_displayFilter->active())
            m_seen = m_displayFilter->testedRows(); // later rows come with flush(), once tested
        for (const std::uint32_t row : m_order) {
            if (row < m_seen && accepts(row, events[row]))
                m_rows.push_back(row);
        }
        m_count = m_rows.size();
        return;
    }
    if (m_displayFilter && m_displayFilter->active()) {
        // Only the rows the filter kept are looked at (it collected them as it ran).
        const auto& matching = m_displayFilter->matchingRows();
        if ((m_mask & kAllKinds) == kAllKinds) {
            m_rows = matching;
        } else {
            for (const std::uint32_t row : matching) {
                if (accepts(row, events[row]))
                    m_rows.push_back(row);
            }
        }
        m_seen = m_displayFilter->testedRows(); // later rows come with flush(), once tested
    } else {
        for (std::size_t row = 0; row < m_seen; ++row) {
            if (accepts(row, events[row]))
                m_rows.push_back(static_cast<std::uint32_t>(row));
        }
    }
    m_count = m_rows.size();
}

void EventTableModel::flush()
{
    if (!m_session)
        return;
    const EventStore& events = m_session->events();
    const std::size_t total = events.size();
    if (m_session->severalHosts() != m_ordered) {
        refilter(); // a second host came: list by time from now on
        return;
    }
    if (m_ordered) {
        flushOrdered(total);
        return;
    }
    if (total <= m_seen)
        return;
    std::size_t added = 0;
    if (!m_filtered) {
        added = total - m_seen;
    } else {
        for (std::size_t row = m_seen; row < total; ++row) {
            if (accepts(row, events[row])) {
                m_rows.push_back(static_cast<std::uint32_t>(row));
                ++added;
            }
        }
    }
    m_seen = total;
    if (added == 0)
        return;
    // The rows are already in m_rows: the view asks for nothing before endInsertRows.
    beginInsertRows({}, static_cast<int>(m_count), static_cast<int>(m_count + added - 1));
    m_count += added;
    endInsertRows();
}

void EventTableModel::flushOrdered(std::size_t total)
{
    const EventStore& events = m_session->events();
    if (total > m_order.size()) {
        std::vector<std::uint32_t> added = time_order::sortedRange(order(), m_order.size(), total);
        if (!m_filtered) {
            insertShown(m_order, added);
            m_seen = total;
            return;
        }
        time_order::merge(order(), m_order, added);
    }
    if (!m_filtered || total <= m_seen)
        return;
    std::vector<std::uint32_t> accepted;
    for (std::size_t row = m_seen; row < total; ++row) {
        if (accepts(row, events[row]))
            accepted.push_back(static_cast<std::uint32_t>(row));
    }
    m_seen = total;
    time_order::sort(order(), accepted);
    insertShown(m_rows, accepted);
}

void EventTableModel::insertShown(std::vector<std::uint32_t>& shown, std::span<const std::uint32_t> sorted)
{
    const std::size_t runs = time_order::runs(order(), shown, sorted);
    if (runs == 0)
        return;
    // Late rows usually go in at a few places near the end, each announced where it goes.
    // Scattered over many places (a host far behind the others), they are appended in one
    // insert and then moved where they belong in one layout change: two signals instead of
    // thousands, and a selection stays on its event either way.
    constexpr std::size_t kAnnouncedRuns = 16;
    if (runs <= kAnnouncedRuns) {
        time_order::insert(order(), shown, sorted,
            [this](std::size_t position, std::size_t count) {
                beginInsertRows({}, static_cast<int>(position), static_cast<int>(position + count - 1));
            },
            [this](std::size_t, std::size_t count) {
                m_count += count;
                endInsertRows();
            });
        return;
    }
    const std::size_t before = m_count;
    beginInsertRows({}, static_cast<int>(before), static_cast<int>(before + sorted.size() - 1));
    shown.insert(shown.end(), sorted.begin(), sorted.end());
    m_count += sorted.size();
    endInsertRows();
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList from = persistentIndexList();
    std::vector<std::uint32_t> rowsOf;
    rowsOf.reserve(static_cast<std::size_t>(from.size()));
    for (const QModelIndex& index : from)
        rowsOf.push_back(shown[static_cast<std::size_t>(index.row())]);
    shown.resize(before);
    time_order::merge(order(), shown, sorted);
    QModelIndexList to;
    to.reserve(from.size());
    for (qsizetype i = 0; i < from.size(); ++i)
        to.append(index(static_cast<int>(time_order::find(order(), shown, rowsOf[static_cast<std::size_t>(i)])), from[i].column()));
    changePersistentIndexList(from, to);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int EventTableModel::rowOfStoreRow(std::size_t row) const
{
    if (m_ordered && row < m_session->events().size()) {
        const std::size_t at = time_order::find(order(), m_filtered ? m_rows : m_order, static_cast<std::uint32_t>(row));
        return at != time_order::npos && at < m_count ? static_cast<int>(at) : -1;
    }
    if (!m_filtered)
        return row < m_count ? static_cast<int>(row) : -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(m_count), row);
    return it != m_rows.begin() + static_cast<std::ptrdiff_t>(m_count) && *it == row ? static_cast<int>(it - m_rows.begin()) : -1;
}

int EventTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_count); }

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventTableModel::alignment(int column)
{
    return QVariant::fromValue(column == Pid ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return alignment(section); // a heading sits over its numbers
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Type: return tr("Type");
    case Pid: return tr("PID");
    case Process: return tr("Process");
    case Details: return tr("Details");
    case Host: return tr("Host");
    }
    return {};
}

CellKind EventTableModel::cellKind(int column, EventKind kind)
{
    switch (column) {
    case Type: return CellKind::Type;
    case Pid: return CellKind::Pid;
    case Process: return CellKind::Name;
    case Details: return kind == EventKind::Exec ? CellKind::CommandLine : kind == EventKind::Exit ? CellKind::Status : CellKind::Type;
    }
    return CellKind::Other;
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_session || !index.isValid() || index.row() >= static_cast<int>(m_count))
        return {};
    const std::size_t row = storeRow(index.row());
    const StoredEvent& event = m_session->events()[row];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Time: return role == Qt::ToolTipRole ? wallClockDateTime(*m_session, event.timestampNs) : wallClockTime(*m_session, event.timestampNs);
        case Type: // a new thread is a fork to the kernel; people look for threads apart
            return event.kind == EventKind::Fork && event.pid != event.tgid ? tr("fork (thread)") : eventKindLabel(event.kind);
        case Pid: return event.kind == EventKind::Loss || event.kind == EventKind::Unknown ? QVariant() : QVariant(event.tgid);
        case Process:
            return event.node == kNoNode ? QString() : processNameText(*m_session, m_session->lineage().node(event.node));
        case Details: return eventDetails(*m_session, event);
        case Host: return QString::fromStdString(m_session->host(event.host).label);
        }
        return {};
    case Qt::TextAlignmentRole: return alignment(index.column());
    case Qt::ForegroundRole:
        if (event.kind == EventKind::Loss)
            return QColor(0xe0, 0x30, 0x30);
        if (event.kind == EventKind::Exit && index.column() == Details && event.a != 0)
            return QColor(0xd0, 0x40, 0x30);
        return {};
    case StoreRowRole: return QVariant::fromValue<qulonglong>(row);
    case NodeRole: return event.node;
    case KindRole: return static_cast<int>(event.kind);
    case CellKindRole: return static_cast<int>(cellKind(index.column(), event.kind));
    }
    return {};
}

} // namespace procscope::ui
