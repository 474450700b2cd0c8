// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QIcon>

namespace procscope::ui {

// Start and stop drawn in colour (a green triangle, a red square) rather than taken from the
// style, whose black glyphs vanish on a dark palette. Drawn at every size a toolbar or button
// asks for, so they stay sharp on high-DPI screens.
QIcon startCaptureIcon();
QIcon stopCaptureIcon();

} // namespace procscope::ui
