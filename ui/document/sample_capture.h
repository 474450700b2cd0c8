// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace procscope::ui {

// The bundled recording of a build, for File > Open Sample Capture; empty when not installed.
QString sampleCapturePath();

} // namespace procscope::ui
