// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <QColor>
#include <QString>
#include <vector>

namespace procscope::ui {

// What a timeline bar's colour tells: how the process ended, how busy it kept a CPU over its
// life (CPU time / elapsed time), or its peak memory.
enum class TimelineColouring { Status, CpuShare, PeakMemory };

struct LegendSwatch {
    QColor colour;
    QString label;
};

// Every colour dark enough for the bars' white labels (contrast 4.5:1 or more).
QColor timelineBarColour(const session::Session& session, session::NodeId node, TimelineColouring colouring);
std::vector<LegendSwatch> timelineLegend(TimelineColouring colouring);
QString timelineColouringName(TimelineColouring colouring);

} // namespace procscope::ui
