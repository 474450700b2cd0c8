// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QString>

namespace procscope::ui {

// The details pane's Resources section: every figure of what a process cost, with the name the
// filter and the exports use, its totals with descendants, or why there are none.
QString costDetailsHtml(const session::Session& session, session::NodeId node);

} // namespace procscope::ui
