// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qt>

namespace procscope::ui {

// The data roles every process and event model answers the same way, so a view, a menu or a
// test can ask any model without knowing which one it is.
enum ItemRole {
    NodeRole = Qt::UserRole + 1, // the process (session::NodeId) of the row
    StoreRowRole, // an event row: its index in the session's event store
    KindRole, // an event row: its session::EventKind
    OutcomeRole, // a process row: how it ended (colours)
    SortKeyRole, // the cell's value for sorting
    CellKindRole, // the cell's CellKind, for "Apply as Filter"
    HostRole, // a host's row in the tree (several hosts): its index in Session::hosts()
};

// What a cell holds, for "Apply as Filter". The cost cells follow CostColumn's order
// (CostCpu + column).
enum class CellKind { Pid, Name, User, CommandLine, Type, Status, Other, CostCpu, CostTreeCpu, CostMemory, CostTreeMemory, CostRead,
    CostTreeRead, CostWritten, CostTreeWritten };

// A process model's column as a CellKind: the tree and the process table name their columns
// alike (Name, Pid, User, Status, CommandLine, and the cost columns from Cpu to TreeWritten).
template <typename ProcessModel>
CellKind processCellKind(int column)
{
    switch (column) {
    case ProcessModel::Name: return CellKind::Name;
    case ProcessModel::Pid: return CellKind::Pid;
    case ProcessModel::User: return CellKind::User;
    case ProcessModel::Status: return CellKind::Status;
    case ProcessModel::CommandLine: return CellKind::CommandLine;
    }
    if (column >= ProcessModel::Cpu && column <= ProcessModel::TreeWritten)
        return static_cast<CellKind>(static_cast<int>(CellKind::CostCpu) + column - ProcessModel::Cpu);
    return CellKind::Other;
}

} // namespace procscope::ui
