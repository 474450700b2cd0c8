// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

class QAbstractItemView;
class QHeaderView;
class QMenu;
class QModelIndex;

namespace procscope::ui {

class CaptureDocument;

// The context menu's entries for a row of any process or event model (asked through the
// shared item roles): apply or prepare the cell as a filter, copy the cell, the row, the
// command line or the PID, go to the parent, show in the tree, show only this subtree, filter
// events to this process, and back to the whole tree.
void addItemActions(QMenu& menu, CaptureDocument& document, const QModelIndex& index, bool inTree);

// Gives `view` that context menu, then `extra` entries (may be empty), then its columns.
void installItemMenu(QAbstractItemView* view, QHeaderView* header, CaptureDocument* document, bool inTree,
    std::function<void(QMenu&, const QModelIndex&)> extra = {});

} // namespace procscope::ui
