// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "document/background_work.h"
#include "session/exporters.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace procscope::session {
class Session;
}

namespace procscope::ui {

// The work of Save and Export, run on BackgroundWork's thread; each reports progress and stops
// when cancelled. The Workspace decides whether they may run and tells the user how they ended.

// Copies a capture file to `destination` through QSaveFile: the destination is whole or as it
// was, never half written.
WorkResult copyCaptureFile(const QString& source, const QString& destination, WorkProgress& progress);

// Writes the session's events to `destination` in `format`; `shown` (one byte per store row),
// when not empty, keeps only the rows marked 1.
WorkResult exportCaptureEvents(const session::Session& session, const QString& destination, session::ExportFormat format,
    const std::vector<std::uint8_t>& shown, WorkProgress& progress);

} // namespace procscope::ui
