// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Finding a process in the window's tree (the model or any proxy over it) by its PID.

#include "models/process_tree_model.h"

#include <QAbstractItemModel>

namespace procscope::testing {

inline QModelIndex findPid(const QAbstractItemModel& model, std::uint32_t pid, const QModelIndex& parent = {})
{
    for (int row = 0; row < model.rowCount(parent); ++row) {
        const QModelIndex index = model.index(row, 0, parent);
        if (model.index(row, ui::ProcessTreeModel::Pid, parent).data().toUInt() == pid)
            return index;
        if (const QModelIndex found = findPid(model, pid, index); found.isValid())
            return found;
    }
    return {};
}

} // namespace procscope::testing
