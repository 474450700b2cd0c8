// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a process cost, as columns the process tree and the process table share: CPU time,
// peak memory, storage read and written, each for the process itself and with its descendants
// (the filter's cpu_time and tree.cpu_time, and so on).

#include "session/cost_fields.h"
#include "session/session.h"

#include <QString>
#include <QVariant>

namespace procscope::ui {

enum class CostColumn { Cpu, TreeCpu, Memory, TreeMemory, Read, TreeRead, Written, TreeWritten };
constexpr int kCostColumnCount = 8;

QString costColumnTitle(CostColumn column);
QString costColumnToolTip(CostColumn column); // the heading's: what it counts, its filter field
// "" where no figures came; the value to sort by (0 when unknown).
QString costText(const session::Session& session, session::NodeId node, CostColumn column);
QVariant costSortKey(const session::Session& session, session::NodeId node, CostColumn column);
// Says when a cell's figures are so far only (the process was still running at the end).
QVariant costCellToolTip(const session::Session& session, session::NodeId node, CostColumn column);

// `cpu_time >= 1.67s`: the cell's process and every one that cost at least as much; "" without figures.
QString costFilterExpression(const session::Session& session, session::NodeId node, CostColumn column);

// Figures in the units people read: "1.20 s", "312 MiB" (the same spelling as --summary).
QString quantityText(std::uint64_t value, session::CostUnit unit);

} // namespace procscope::ui
