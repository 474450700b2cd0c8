// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace procscope::ui {

// The bundled sample capture (a recorded build, for File > Open Sample Capture and the welcome
// page), as a canonical path; empty when it is not installed.
QString sampleCapturePath();

} // namespace procscope::ui
