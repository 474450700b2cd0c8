// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QWidget;

namespace procscope::ui {

// FILTERS.md, the display-filter language: installed under ${datarootdir}/doc/procscope,
// else (build tree) the source tree's core/session/FILTERS.md; empty when neither exists.
QString filterReferencePath();

// Help > Filter Reference: a window that renders FILTERS.md (Markdown, no viewer needed),
// not modal, deleted on close. Says where it looked when the file is missing.
QWidget* showFilterReference(QWidget* parent);

} // namespace procscope::ui
