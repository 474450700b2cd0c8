// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/process_tree_model.h"

#include "session/process_identity.h"

#include "models/cost_columns.h"
#include "models/display_text.h"
#include "models/row_runs.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <algorithm>
#include <map>

namespace procscope::ui {

using namespace session;

namespace {
constexpr int kHighlightTickMs = 250;
}

ProcessTreeModel::ProcessTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
    m_clock.start();
    m_highlightTimer.setInterval(kHighlightTickMs);
    connect(&m_highlightTimer, &QTimer::timeout, this, &ProcessTreeModel::expireHighlights);
}

ProcessTreeModel::~ProcessTreeModel()
{
    if (m_session)
        m_session->lineage().removeListener(this);
}

void ProcessTreeModel::setHideHelper(bool hide)
{
    if (hide == m_hideHelper)
        return;
    m_hideHelper = hide;
    if (m_session)
        setSession(m_session); // laid out again
}

bool ProcessTreeModel::isHelper(NodeId node) const
{
    return isCaptureHelper(*m_session, m_session->lineage().node(node));
}

void ProcessTreeModel::setSession(Session* session)
{
    beginResetModel();
    if (m_session)
        m_session->lineage().removeListener(this);
    m_session = session;
    m_shownParent.clear();
    m_childList.clear();
    m_childLists.clear();
    m_roots.clear();
    m_hostChildren.clear();
    m_added.clear();
    m_changed.clear();
    m_linked.clear();
    m_fresh.clear();
    m_freshSet.clear();
    if (m_session) {
        const Lineage& lineage = m_session->lineage();
        const auto count = static_cast<NodeId>(lineage.size());
        m_shownParent.assign(count, kRoot);
        m_childList.assign(count, kNoChildList);
        // A hostile capture can describe a parent cycle: the node that closes one is shown as a
        // root.
        std::vector<std::uint8_t> state(count, 0); // 0 new, 1 on the current path, 2 placed
        std::vector<NodeId> path;
        for (NodeId start = 0; start < count; ++start) {
            path.clear();
            for (NodeId at = start; at != kNoNode && state[at] == 0;) {
                state[at] = 1;
                path.push_back(at);
                const NodeId parent = lineage.node(at).parent;
                if (parent != kNoNode && parent < count && state[parent] != 1)
                    m_shownParent[at] = parent;
                at = parent < count ? parent : kNoNode;
            }
            for (const NodeId placed : path)
                state[placed] = 2;
        }
        // Several hosts: each host's top processes under its own row.
        m_hostChildren.resize(m_session->severalHosts() ? m_session->hosts().size() : 0);
        for (std::size_t host = 0; host < m_hostChildren.size(); ++host)
            m_roots.push_back(hostItem(static_cast<std::uint8_t>(host)));
        // The capture's helper and anything it started are left out (when asked).
        std::vector<NodeId> hidden;
        if (m_hideHelper) {
            for (NodeId id = 0; id < count; ++id) {
                for (NodeId at = id, depth = 0; at < count && depth < 64; at = m_shownParent[at], ++depth) {
                    if (isHelper(at)) {
                        hidden.push_back(id);
                        break;
                    }
                }
            }
        }
        for (const NodeId id : hidden)
            m_shownParent[id] = kHidden;
        for (NodeId id = 0; id < count; ++id) {
            if (m_shownParent[id] == kHidden)
                continue;
            if (m_shownParent[id] == kRoot)
                m_shownParent[id] = topOf(id);
            childrenOf(m_shownParent[id]).push_back(id);
        }
        m_session->lineage().addListener(this);
    }
    endResetModel();
}

std::vector<NodeId>& ProcessTreeModel::childrenOf(NodeId parent)
{
    if (isHostItem(parent))
        return m_hostChildren[parent - kHostItems];
    if (parent == kRoot)
        return m_roots;
    std::uint32_t& list = m_childList[parent];
    if (list == kNoChildList) {
        list = static_cast<std::uint32_t>(m_childLists.size());
        m_childLists.emplace_back();
    }
    return m_childLists[list];
}

const std::vector<NodeId>* ProcessTreeModel::childrenOf(NodeId parent) const
{
    if (parent == kRoot)
        return &m_roots;
    if (isHostItem(parent))
        return parent - kHostItems < m_hostChildren.size() ? &m_hostChildren[parent - kHostItems]
                                                           : nullptr;
    static const std::vector<NodeId> kNone;
    if (parent >= m_childList.size())
        return nullptr;
    const std::uint32_t list = m_childList[parent];
    return list == kNoChildList ? &kNone : &m_childLists[list];
}

NodeId ProcessTreeModel::topOf(NodeId node) const
{
    return m_hostChildren.empty() ? kRoot : hostItem(m_session->lineage().node(node).host);
}

QModelIndex ProcessTreeModel::indexOfItem(NodeId item) const
{
    return item == kRoot ? QModelIndex() : indexOf(item);
}

NodeId ProcessTreeModel::itemAt(const QModelIndex& index) const
{
    return index.isValid() && index.model() == this ? static_cast<NodeId>(index.internalId())
                                                    : kRoot;
}

int ProcessTreeModel::hostAt(const QModelIndex& index) const
{
    const NodeId item = itemAt(index);
    return isHostItem(item) ? static_cast<int>(item - kHostItems) : -1;
}

std::span<const NodeId> ProcessTreeModel::shownChildren(NodeId parent) const
{
    const auto* children = childrenOf(parent);
    return children ? std::span<const NodeId>(*children) : std::span<const NodeId>();
}

int ProcessTreeModel::rowOf(NodeId node) const
{
    const auto* siblings = childrenOf(m_shownParent[node]);
    const auto it = std::lower_bound(siblings->begin(), siblings->end(), node);
    return static_cast<int>(it - siblings->begin());
}

NodeId ProcessTreeModel::nodeAt(const QModelIndex& index) const
{
    const NodeId item = itemAt(index);
    return isHostItem(item) ? kNoNode : item;
}

NodeId ProcessTreeModel::childNode(const QModelIndex& parent, int row) const
{
    const auto* children = childrenOf(itemAt(parent));
    return children && row >= 0 && row < static_cast<int>(children->size())
        ? (*children)[static_cast<std::size_t>(row)]
        : kNoNode;
}

QModelIndex ProcessTreeModel::indexOf(NodeId node, int column) const
{
    if (isHostItem(node)) {
        const auto at = std::lower_bound(m_roots.begin(), m_roots.end(), node);
        return at != m_roots.end() && *at == node
            ? createIndex(static_cast<int>(at - m_roots.begin()), column, quintptr(node))
            : QModelIndex();
    }
    if (!shown(node))
        return {};
    return createIndex(rowOf(node), column, quintptr(node));
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const auto* children = childrenOf(itemAt(parent));
    if (!children || row >= static_cast<int>(children->size()))
        return {};
    return createIndex(row, column, quintptr((*children)[static_cast<std::size_t>(row)]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex& child) const
{
    const NodeId node = nodeAt(child);
    if (!shown(node))
        return {};
    return indexOfItem(m_shownParent[node]);
}

int ProcessTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const auto* children = childrenOf(itemAt(parent));
    return children ? static_cast<int>(children->size()) : 0;
}

int ProcessTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant ProcessTreeModel::alignment(int column)
{
    const bool number
        = column == Pid || column == Duration || (column >= Cpu && column <= TreeWritten);
    return QVariant::fromValue(
        number ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return alignment(section); // a heading sits over its numbers
    if (orientation == Qt::Horizontal && section >= Cpu && section <= TreeWritten
        && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        const auto column = static_cast<CostColumn>(section - Cpu);
        return role == Qt::DisplayRole ? costColumnTitle(column) : costColumnToolTip(column);
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Process");
    case Pid:
        return tr("PID");
    case User:
        return tr("User");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Status:
        return tr("Status");
    case CommandLine:
        return tr("Command line");
    }
    return {};
}

QVariant ProcessTreeModel::displayData(NodeId id, int column) const
{
    const ProcessNode& node = m_session->lineage().node(id);
    switch (column) {
    case Name: {
        // A parent of thousands opens folded (the view): its row says what it holds.
        const auto* children = childrenOf(id);
        const std::size_t count = children ? children->size() : 0;
        if (count < kChildCountShownFrom)
            return processNameText(*m_session, node);
        return tr("%1 (%2 children)", nullptr, pluralForm(count))
            .arg(processNameText(*m_session, node), QLocale().toString(qulonglong(count)));
    }
    case Pid:
        return node.pid;
    case User:
        return processUser(node);
    case Started:
        if (node.startNs == 0)
            return node.fromSnapshot ? tr("before capture") : QString();
        return wallClockTime(*m_session, node.startNs);
    case Duration:
        return !node.running() && node.startNs != 0 && node.endNs >= node.startNs
            ? durationText(node.endNs - node.startNs)
            : QString();
    case Status:
        return processStateText(node);
    case CommandLine:
        return commandLineText(*m_session, id);
    }
    if (column >= Cpu && column <= TreeWritten)
        return costText(*m_session, id, static_cast<CostColumn>(column - Cpu));
    return {};
}

QVariant ProcessTreeModel::hostData(std::uint8_t hostIndex, int column, int role) const
{
    const session::SessionHost& host = m_session->host(hostIndex);
    const auto status = [&]() -> QString {
        if (host.end && host.end->reason == capture::HostEndReason::ConnectionLost)
            return tr("connection lost");
        if (host.end && host.end->reason == capture::HostEndReason::FailedToStart)
            return tr("did not start");
        return host.trailer ? tr("ended") : QString();
    };
    const auto started = [&]() -> std::uint64_t {
        return host.header ? host.header->monotonicNs + static_cast<std::uint64_t>(host.clockOffsetNs) : 0; // modulo 2^64
    };
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name:
            return QString::fromStdString(host.label);
        case Started:
            return started() ? wallClockTime(*m_session, started()) : QString();
        case Status:
            return status();
        case CommandLine: {
            QStringList parts;
            if (!host.address.empty())
                parts << QString::fromStdString(host.address);
            if (host.header)
                parts << tr("Linux %1").arg(QString::fromStdString(host.header->kernelRelease));
            parts << tr("events: %1").arg(QLocale().toString(qulonglong(host.events)));
            return parts.join(u" · "_qs);
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (host.end && !host.end->message.empty())
            return QString::fromStdString(host.end->message);
        return column == Name
            ? tr("Host %1: its processes are below").arg(QString::fromStdString(host.label))
            : QVariant();
    case Qt::FontRole: {
        if (column != Name)
            return {}; // bold figures would not fit the columns sized for the processes'
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    case Qt::TextAlignmentRole:
        return alignment(column);
    case Qt::ForegroundRole:
        return host.end && host.end->reason != capture::HostEndReason::Finished && column == Status
            ? QVariant(QColor(Qt::darkRed))
            : QVariant();
    case NodeRole:
        return session::kNoNode;
    case HostRole:
    case SortKeyRole:
        return hostIndex;
    }
    return {};
}

QVariant ProcessTreeModel::data(const QModelIndex& index, int role) const
{
    if (const int host = hostAt(index); host >= 0 && m_session)
        return hostData(static_cast<std::uint8_t>(host), index.column(), role);
    const NodeId id = nodeAt(index);
    if (!m_session || !shown(id))
        return {};
    const ProcessNode& node = m_session->lineage().node(id);
    switch (role) {
    case Qt::DisplayRole:
        return displayData(id, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Started && node.startNs)
            return wallClockDateTime(*m_session, node.startNs);
        if (index.column() == CommandLine || index.column() == Status)
            return displayData(id, index.column());
        if (index.column() >= Cpu && index.column() <= TreeWritten)
            return costCellToolTip(*m_session, id, static_cast<CostColumn>(index.column() - Cpu));
        return {};
    case Qt::TextAlignmentRole:
        return alignment(index.column());
    case Qt::ForegroundRole:
        return processForeground(node, index.column() == Status);
    case Qt::BackgroundRole:
        if (isHighlighted(id))
            return QColor(80, 200, 90, 70);
        return {};
    case NodeRole:
        return id;
    case CellKindRole:
        return static_cast<int>(processCellKind<ProcessTreeModel>(index.column()));
    case OutcomeRole:
        return static_cast<int>(processOutcome(node));
    case SortKeyRole:
        if (index.column() == Pid)
            return node.pid;
        if (index.column() == Name) // by name alone, not with a child count beside it
            return processNameText(*m_session, node);
        if (index.column() == Started)
            return QVariant::fromValue<qulonglong>(node.startNs);
        if (index.column() == Duration)
            return QVariant::fromValue<qulonglong>(
                node.running() || !node.startNs ? 0 : node.endNs - node.startNs);
        if (index.column() >= Cpu && index.column() <= TreeWritten)
            return costSortKey(*m_session, id, static_cast<CostColumn>(index.column() - Cpu));
        return displayData(id, index.column());
    }
    return {};
}

bool ProcessTreeModel::isHighlighted(NodeId node) const
{
    return m_freshSet.count(node) != 0;
}

void ProcessTreeModel::nodeAdded(NodeId node)
{
    m_added.push_back(node);
}

void ProcessTreeModel::nodeChanged(NodeId node)
{
    m_changed.add(node);
}

void ProcessTreeModel::childAdded(NodeId, NodeId child)
{
    m_linked.push_back(child);
}

bool ProcessTreeModel::isAncestorOrSelf(NodeId candidate, NodeId node) const
{
    for (NodeId at = node; at != kRoot && !isHostItem(at); at = m_shownParent[at]) {
        if (at == candidate)
            return true;
    }
    return false;
}

void ProcessTreeModel::insertNew(std::vector<NodeId> pending)
{
    const Lineage& lineage = m_session->lineage();
    std::vector<NodeId> countsChanged;
    while (!pending.empty()) {
        // Place every node whose parent is already shown, one insert per parent; a parent
        // that is itself new goes in first, its children in the next round.
        std::map<NodeId, std::vector<NodeId>> byParent;
        std::vector<NodeId> later;
        bool hidSome = false;
        for (const NodeId id : pending) {
            const NodeId parent = lineage.node(id).parent;
            if (m_hideHelper && (isHelper(id) || (parent < m_shownParent.size() && m_shownParent[parent] == kHidden))) {
                m_shownParent[id] = kHidden; // the helper, or something it started
                hidSome = true;
            } else if (parent == kNoNode || parent == id)
                byParent[topOf(id)].push_back(id);
            else if (shown(parent))
                byParent[parent].push_back(id);
            else
                later.push_back(id);
        }
        if (byParent.empty() && !hidSome) { // the rest wait for each other (a cycle): show them as roots
            for (const NodeId id : later)
                byParent[topOf(id)].push_back(id);
            later.clear();
        }
        for (auto& [parent, ids] : byParent) {
            std::sort(ids.begin(), ids.end());
            auto& siblings = childrenOf(parent);
            const QModelIndex parentIndex = indexOfItem(parent);
            if (siblings.size() + ids.size() >= kChildCountShownFrom && parent < m_shownParent.size())
                countsChanged.push_back(parent); // its name says how many
            if (siblings.empty() || siblings.back() < ids.front()) {
                const int first = static_cast<int>(siblings.size());
                beginInsertRows(parentIndex, first, first + static_cast<int>(ids.size()) - 1);
                for (const NodeId id : ids)
                    m_shownParent[id] = parent;
                siblings.insert(siblings.end(), ids.begin(), ids.end());
                endInsertRows();
                continue;
            }
            for (const NodeId id : ids) {
                const auto at = std::lower_bound(siblings.begin(), siblings.end(), id);
                const int row = static_cast<int>(at - siblings.begin());
                beginInsertRows(parentIndex, row, row);
                m_shownParent[id] = parent;
                siblings.insert(at, id);
                endInsertRows();
            }
        }
        pending = std::move(later);
    }
    for (const NodeId parent : countsChanged) {
        if (shown(parent))
            emit dataChanged(indexOf(parent, Name), indexOf(parent, Name), { Qt::DisplayRole });
    }
}

void ProcessTreeModel::reparent(NodeId node, NodeId newParent)
{
    const NodeId oldParent = m_shownParent[node];
    auto& from = childrenOf(oldParent);
    auto& to = childrenOf(newParent);
    const int fromRow = rowOf(node);
    const int toRow = static_cast<int>(std::lower_bound(to.begin(), to.end(), node) - to.begin());
    const QModelIndex fromIndex = indexOfItem(oldParent);
    const QModelIndex toIndex = indexOfItem(newParent);
    if (!beginMoveRows(fromIndex, fromRow, fromRow, toIndex, toRow))
        return;
    from.erase(from.begin() + fromRow);
    to.insert(to.begin() + toRow, node);
    m_shownParent[node] = newParent;
    endMoveRows();
    for (const NodeId parent : { oldParent, newParent }) { // a child count beside a name moves on
        if (parent < m_shownParent.size() && shown(parent))
            emit dataChanged(indexOf(parent, Name), indexOf(parent, Name), { Qt::DisplayRole });
    }
}

void ProcessTreeModel::flush(bool highlightNew)
{
    if (!m_session)
        return;
    const Lineage& lineage = m_session->lineage();
    const std::size_t hostRows = m_session->severalHosts() ? m_session->hosts().size() : 0;
    if (hostRows != m_hostChildren.size()) { // a host joined: the top level is laid out again
        setSession(m_session);
        return;
    }
    const std::size_t known = m_shownParent.size(); // nodes before this flush: the rest are new
    if (m_shownParent.size() < lineage.size()) {
        m_shownParent.resize(lineage.size(), kUnshown);
        m_childList.resize(lineage.size(), kNoChildList);
    }
    std::vector<NodeId> added = std::move(m_added);
    m_added.clear();
    insertNew(added);

    for (const NodeId child : m_linked) {
        const NodeId wanted = lineage.node(child).parent;
        if (!shown(child) || wanted == kNoNode || !shown(wanted) || m_shownParent[child] == wanted
            || isAncestorOrSelf(child, wanted))
            continue;
        reparent(child, wanted);
    }
    m_linked.clear();

    // Rows inserted just now show what they hold anyway: in a storm most processes start and
    // end between two updates, and a signal each cost more than their insertion.
    // Changed siblings are mostly neighbours (the processes of a storm end in the order they
    // started): one signal per run of rows under each parent.
    std::map<NodeId, std::vector<int>> changedRows; // by shown parent
    for (const NodeId id : m_changed.take()) {
        if (id < known && shown(id))
            changedRows[m_shownParent[id]].push_back(rowOf(id));
    }
    for (auto& [parent, rows] : changedRows) {
        const QModelIndex parentIndex = indexOfItem(parent);
        for (const RowRun run : rowRuns(std::move(rows)))
            emit dataChanged(index(run.first, 0, parentIndex), index(run.last, ColumnCount - 1, parentIndex));
    }

    // Host rows: their events, state and start (the header comes after the row) move on.
    if (!m_roots.empty() && isHostItem(m_roots.front()))
        emit dataChanged(index(0, 0), index(static_cast<int>(m_roots.size()) - 1, ColumnCount - 1));

    if (highlightNew && m_highlightMs > 0 && !added.empty()) {
        const qint64 now = m_clock.elapsed();
        for (const NodeId id : added) {
            m_fresh.emplace_back(id, now);
            m_freshSet.insert(id);
        }
        if (!m_highlightTimer.isActive())
            m_highlightTimer.start();
    }
}

void ProcessTreeModel::expireHighlights()
{
    const qint64 now = m_clock.elapsed();
    std::size_t expired = 0;
    while (expired < m_fresh.size() && now - m_fresh[expired].second >= m_highlightMs) {
        const NodeId id = m_fresh[expired].first;
        m_freshSet.erase(id);
        if (shown(id))
            emit dataChanged(indexOf(id, 0), indexOf(id, ColumnCount - 1), { Qt::BackgroundRole });
        ++expired;
    }
    m_fresh.erase(m_fresh.begin(), m_fresh.begin() + static_cast<std::ptrdiff_t>(expired));
    if (m_fresh.empty())
        m_highlightTimer.stop();
}

} // namespace procscope::ui
