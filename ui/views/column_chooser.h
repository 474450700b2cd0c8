// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QHeaderView;
class QMenu;

namespace procscope::ui {

class CaptureDocument;

// Right-clicking `header` offers its columns to show or hide (the first one stays), and its
// columns can be dragged into another order, as in most desktop tables. Both are part of the
// header's saved state, so the window remembers them with the column widths (restoring a state
// saved before this existed turns moving off again: call allowColumnMoves() after restoring).
void addColumnChooser(QHeaderView* header);
void allowColumnMoves(QHeaderView* header);
// The same choice as a "Columns" submenu of `menu` (a view's context menu: reachable by keyboard).
void addColumnsMenu(QMenu& menu, QHeaderView* header);
// A table's Host column: shown, second from the left, when the document's capture comes to have
// several hosts, hidden when it has one. Only a change of that is acted on, so a user who hid
// the column keeps it hidden.
void followHostCount(QHeaderView* header, int column, CaptureDocument* document);

} // namespace procscope::ui
