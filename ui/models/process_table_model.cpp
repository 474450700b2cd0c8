// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/process_table_model.h"

#include "models/cost_columns.h"
#include "models/display_text.h"
#include "models/row_runs.h"

#include <QApplication>
#include <QColor>
#include <QPalette>

namespace procscope::ui {

using namespace session;

ProcessTableModel::ProcessTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

ProcessTableModel::~ProcessTableModel()
{
    if (m_session)
        m_session->lineage().removeListener(this);
}

void ProcessTableModel::setSession(Session* session)
{
    beginResetModel();
    if (m_session)
        m_session->lineage().removeListener(this);
    m_session = session;
    m_rows = session ? session->lineage().size() : 0;
    m_changed.clear();
    if (m_session)
        m_session->lineage().addListener(this);
    endResetModel();
}

void ProcessTableModel::flush()
{
    if (!m_session)
        return;
    const std::size_t total = m_session->lineage().size();
    const std::size_t known = m_rows;
    if (total > m_rows) {
        beginInsertRows({}, static_cast<int>(m_rows), static_cast<int>(total - 1));
        m_rows = total;
        endInsertRows();
    }
    std::vector<int> changed;
    for (const NodeId id : m_changed.take()) {
        if (id < known) // rows inserted just now are new to the views anyway
            changed.push_back(static_cast<int>(id));
    }
    for (const RowRun run : rowRuns(std::move(changed)))
        emit dataChanged(index(run.first, 0), index(run.last, ColumnCount - 1));
}

int ProcessTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_rows); }

int ProcessTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ProcessTableModel::alignment(int column)
{
    switch (column) {
    case Pid:
    case Ppid:
    case Duration:
    case Execs:
    case Children:
    case Threads: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (column >= Cpu && column <= TreeWritten)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
}

QVariant ProcessTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::TextAlignmentRole)
        return alignment(section); // a heading sits over its numbers
    if (orientation == Qt::Horizontal && section >= Cpu && section <= TreeWritten && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        const auto column = static_cast<CostColumn>(section - Cpu);
        return role == Qt::DisplayRole ? costColumnTitle(column) : costColumnToolTip(column);
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const kTitles[] = { QT_TR_NOOP("Process"), QT_TR_NOOP("PID"), QT_TR_NOOP("PPID"), QT_TR_NOOP("User"),
        QT_TR_NOOP("Started"), QT_TR_NOOP("Ended"), QT_TR_NOOP("Duration"), QT_TR_NOOP("Status"), QT_TR_NOOP("Execs"),
        QT_TR_NOOP("Children"), QT_TR_NOOP("Threads") };
    if (section == CommandLine)
        return tr("Command line");
    if (section == Host)
        return tr("Host");
    return section >= 0 && section < Cpu ? tr(kTitles[section]) : QVariant();
}

QVariant ProcessTableModel::value(NodeId id, int column, bool forSorting) const
{
    const Lineage& lineage = m_session->lineage();
    const ProcessNode& node = lineage.node(id);
    switch (column) {
    case Name: return processNameText(*m_session, node);
    case Pid: return node.pid;
    case Ppid: return node.parentPid ? QVariant(node.parentPid) : QVariant();
    case User: return processUser(node);
    case CommandLine: return commandLineText(*m_session, id);
    case Host: return QString::fromStdString(m_session->host(node.host).label);
    case Started:
        if (forSorting)
            return QVariant::fromValue<qulonglong>(node.startNs);
        return node.startNs ? wallClockTime(*m_session, node.startNs) : node.fromSnapshot ? tr("before capture") : QString();
    case Ended:
        if (forSorting)
            return QVariant::fromValue<qulonglong>(node.endNs);
        return node.running() ? QString() : wallClockTime(*m_session, node.endNs);
    case Duration: {
        const bool known = !node.running() && node.startNs != 0 && node.endNs >= node.startNs;
        if (forSorting)
            return QVariant::fromValue<qulonglong>(known ? node.endNs - node.startNs : 0);
        return known ? durationText(node.endNs - node.startNs) : QString();
    }
    case Status: return processStateText(node);
    case Execs: {
        unsigned execs = 0;
        for (std::uint32_t at = node.firstExec; at != kNoEntry; at = lineage.exec(at).next)
            execs += lineage.exec(at).timestampNs != 0 ? 1 : 0; // not the program it ran before the capture
        return execs;
    }
    case Children: {
        unsigned children = 0;
        for (NodeId at = node.firstChild; at != kNoNode; at = lineage.node(at).nextSibling)
            ++children;
        return children;
    }
    case Threads: return node.running() ? node.liveThreads : node.threadsSeen + 1;
    }
    if (column >= Cpu && column <= TreeWritten) {
        const auto cost = static_cast<CostColumn>(column - Cpu);
        return forSorting ? costSortKey(*m_session, id, cost) : QVariant(costText(*m_session, id, cost));
    }
    return {};
}


QVariant ProcessTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_session || !index.isValid() || static_cast<std::size_t>(index.row()) >= m_rows)
        return {};
    const auto id = static_cast<NodeId>(index.row());
    switch (role) {
    case Qt::DisplayRole: return value(id, index.column(), false);
    case SortKeyRole: return value(id, index.column(), true);
    case NodeRole: return id;
    case CellKindRole: return static_cast<int>(processCellKind<ProcessTableModel>(index.column()));
    case Qt::ToolTipRole:
        if (index.column() >= Cpu && index.column() <= TreeWritten)
            return costCellToolTip(*m_session, id, static_cast<CostColumn>(index.column() - Cpu));
        return index.column() == CommandLine || index.column() == Status ? value(id, index.column(), false) : QVariant();
    case Qt::TextAlignmentRole: return alignment(index.column());
    case Qt::ForegroundRole: return processForeground(m_session->lineage().node(id), index.column() == Status);
    }
    return {};
}

} // namespace procscope::ui
