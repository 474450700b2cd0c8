// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QHeaderView;

namespace procscope::ui {

// Right-clicking `header` offers its columns to show or hide (the first one stays), and its
// columns can be dragged into another order, as in most desktop tables. Both are part of the
// header's saved state, so the window remembers them with the column widths (restoring a state
// saved before this existed turns moving off again: call allowColumnMoves() after restoring).
void addColumnChooser(QHeaderView* header);
void allowColumnMoves(QHeaderView* header);

} // namespace procscope::ui
