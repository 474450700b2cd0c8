// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/cost_columns.h"

#include "session/cost_fields.h"

#include <QCoreApplication>

namespace procscope::ui {

using namespace session;

namespace {

struct Column {
    const char* title;
    const char* filterField;
    SubtreeFigure figure;
    bool subtree;
};

constexpr Column kColumns[kCostColumnCount] = {
    { QT_TRANSLATE_NOOP("CostColumns", "CPU"), "cpu_time", SubtreeFigure::CpuTime, false },
    { QT_TRANSLATE_NOOP("CostColumns", "CPU incl. children"), "tree.cpu_time", SubtreeFigure::CpuTime, true },
    { QT_TRANSLATE_NOOP("CostColumns", "Peak memory"), "max_rss", SubtreeFigure::MaxRss, false },
    { QT_TRANSLATE_NOOP("CostColumns", "Peaks incl. children"), "tree.max_rss", SubtreeFigure::MaxRss, true },
    { QT_TRANSLATE_NOOP("CostColumns", "Disk read"), "read_bytes", SubtreeFigure::ReadBytes, false },
    { QT_TRANSLATE_NOOP("CostColumns", "Disk read incl. children"), "tree.read_bytes", SubtreeFigure::ReadBytes, true },
    { QT_TRANSLATE_NOOP("CostColumns", "Disk written"), "write_bytes", SubtreeFigure::WriteBytes, false },
    { QT_TRANSLATE_NOOP("CostColumns", "Disk written incl. children"), "tree.write_bytes", SubtreeFigure::WriteBytes, true },
};

const Column& info(CostColumn column) { return kColumns[static_cast<int>(column)]; }

CostUnit unitOf(CostColumn column) { return info(column).figure == SubtreeFigure::CpuTime ? CostUnit::Nanoseconds : CostUnit::Bytes; }

std::optional<std::uint64_t> value(const Session& session, NodeId node, CostColumn column)
{
    const ProcessCosts& costs = session.costs();
    if (!costs.any() || node == kNoNode)
        return std::nullopt;
    if (info(column).subtree)
        return subtreeValue(costs.subtree(node), info(column).figure);
    const ProcessCost* own = costs.own(node);
    return own ? std::optional(subtreeValue(contribution(*own), info(column).figure)) : std::nullopt;
}

} // namespace

QString quantityText(std::uint64_t amount, CostUnit unit) { return QString::fromStdString(formatQuantity(amount, unit)); }

QString costColumnTitle(CostColumn column) { return QCoreApplication::translate("CostColumns", info(column).title); }

QString costColumnToolTip(CostColumn column)
{
    const QString field = QString::fromLatin1(info(column).filterField);
    switch (column) {
    case CostColumn::Cpu:
        return QCoreApplication::translate("CostColumns", "CPU time of the process, its threads added up (it can exceed the wall-clock time on several cores); "
                                                          "for a process running since before the capture, its whole life so far (filter: %1)").arg(field);
    case CostColumn::Memory: return QCoreApplication::translate("CostColumns", "Peak resident memory (filter: %1)").arg(field);
    case CostColumn::Read:
        return QCoreApplication::translate("CostColumns", "Bytes read from the disk; reads served from the page cache count as 0 (filter: %1)").arg(field);
    case CostColumn::Written: return QCoreApplication::translate("CostColumns", "Bytes written to the disk (filter: %1)").arg(field);
    case CostColumn::TreeMemory:
        return QCoreApplication::translate("CostColumns", "Peaks of the process and all its descendants, added up: not at the same time, so at most what they held at once (filter: %1)").arg(field);
    default: return QCoreApplication::translate("CostColumns", "The process and all its descendants (children, their children...) together (filter: %1)").arg(field);
    }
}

QString costText(const Session& session, NodeId node, CostColumn column)
{
    const auto amount = value(session, node, column);
    return amount ? quantityText(*amount, unitOf(column)) : QString();
}

QVariant costSortKey(const Session& session, NodeId node, CostColumn column)
{
    return QVariant::fromValue<qulonglong>(value(session, node, column).value_or(0));
}

QString costFilterExpression(const Session& session, NodeId node, CostColumn column)
{
    const auto amount = value(session, node, column);
    if (!amount)
        return {};
    return QString::fromLatin1(info(column).filterField) + u" >= "_qs + QString::fromStdString(filterQuantity(*amount, unitOf(column)));
}

QVariant costCellToolTip(const Session& session, NodeId node, CostColumn column)
{
    const ProcessCost* own = node == kNoNode ? nullptr : session.costs().own(node);
    if (!info(column).subtree && own && own->running)
        return QCoreApplication::translate("CostColumns", "So far: the process was still running when the capture stopped");
    if (!own && !info(column).subtree && session.costs().any() && !session.lineage().node(node).running())
        return QCoreApplication::translate("CostColumns", "No figures came for this process (see the losses)");
    return {};
}

} // namespace procscope::ui
