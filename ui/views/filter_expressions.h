// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// "Apply as filter": the display-filter expression that selects what a cell shows.

#include "models/item_roles.h"
#include "session/session.h"

#include <QString>

namespace procscope::ui {

// A double-quoted filter string (backslash and quote escaped).
QString filterString(std::string_view bytes);
// `pid == 1234`, `comm == "make"`, `argv contains "gcc"`, `exit_code == 2`, `type == exec`,
// `cpu_time >= 1.67s` (this process and every costlier one)...
QString filterExpressionFor(const session::Session& session, session::NodeId node, CellKind cell,
    const session::StoredEvent* event = nullptr);
// The process and every process it starts, now or later.
QString subtreeExpression(const session::Session& session, const session::ProcessNode& node);
// `expression` about one process, limited to its host when the capture has several.
QString onItsHost(
    const session::Session& session, const session::ProcessNode& node, const QString& expression);

} // namespace procscope::ui
