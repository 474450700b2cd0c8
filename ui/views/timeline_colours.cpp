// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timeline_colours.h"

#include "models/display_text.h"

#include <QCoreApplication>
#include <array>

namespace procscope::ui {

using namespace session;

namespace {

struct TimelineColours {
    Q_DECLARE_TR_FUNCTIONS(TimelineColours)
};

QColor outcomeColour(ProcessOutcome outcome)
{
    switch (outcome) {
    case ProcessOutcome::Running: return QColor(0x1f, 0x5f, 0xb0);
    case ProcessOutcome::Succeeded: return QColor(0x2e, 0x7d, 0x32);
    case ProcessOutcome::Failed: return QColor(0xa8, 0x56, 0x00);
    case ProcessOutcome::Killed: return QColor(0xb7, 0x1c, 0x1c);
    case ProcessOutcome::Unknown: break;
    }
    return QColor(0x61, 0x61, 0x61);
}

const QColor kNoFigures(0x75, 0x75, 0x75);
// Low to high: a quiet slate, then teal, olive, orange and red, each dark enough for white
// labels and each step a different hue, so neighbours do not pass for one another.
constexpr std::array<QRgb, 5> kRamp { 0x37474f, 0x00695c, 0x6d6a00, 0xc2410c, 0xb71c1c };
constexpr std::array<const char*, 5> kCpuSteps { QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "under 10% of a CPU"),
    QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "10-30%"), QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "30-60%"),
    QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "60-90%"), QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "90% or more") };
constexpr std::array<double, 4> kCpuBounds { 0.1, 0.3, 0.6, 0.9 };
constexpr std::array<const char*, 5> kMemorySteps { QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "under 16 MiB"),
    QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "16-64 MiB"), QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "64-256 MiB"),
    QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "256 MiB-1 GiB"), QT_TRANSLATE_NOOP("procscope::ui::TimelineView", "1 GiB or more") };
constexpr std::array<std::uint64_t, 4> kMemoryBounds { 16ull << 20, 64ull << 20, 256ull << 20, 1ull << 30 };

template <typename T, std::size_t N>
QColor step(T value, const std::array<T, N>& bounds)
{
    std::size_t at = 0;
    while (at < bounds.size() && value >= bounds[at])
        ++at;
    return QColor(kRamp[at]);
}

} // namespace

QColor timelineBarColour(const Session& session, NodeId node, TimelineColouring colouring)
{
    if (colouring == TimelineColouring::Status)
        return outcomeColour(processOutcome(session.lineage().node(node)));
    const ProcessCost* cost = session.costs().own(node);
    if (!cost)
        return kNoFigures;
    if (colouring == TimelineColouring::PeakMemory)
        return step(cost->maxRssBytes, kMemoryBounds);
    const double share = cost->elapsedNs ? double(cost->cpuNs()) / double(cost->elapsedNs) : 0.0;
    return step(share, kCpuBounds);
}

std::vector<LegendSwatch> timelineLegend(TimelineColouring colouring)
{
    std::vector<LegendSwatch> swatches;
    if (colouring == TimelineColouring::Status) {
        swatches = { { outcomeColour(ProcessOutcome::Running), TimelineColours::tr("running") }, { outcomeColour(ProcessOutcome::Succeeded), TimelineColours::tr("exited 0") },
            { outcomeColour(ProcessOutcome::Failed), TimelineColours::tr("failed") }, { outcomeColour(ProcessOutcome::Killed), TimelineColours::tr("killed") },
            { outcomeColour(ProcessOutcome::Unknown), TimelineColours::tr("ended, status not seen") } };
        return swatches;
    }
    const auto& steps = colouring == TimelineColouring::CpuShare ? kCpuSteps : kMemorySteps;
    for (std::size_t i = 0; i < steps.size(); ++i)
        swatches.push_back({ QColor(kRamp[i]), TimelineColours::tr(steps[i]) });
    swatches.push_back({ kNoFigures, TimelineColours::tr("no cost data") });
    return swatches;
}

QString timelineColouringName(TimelineColouring colouring)
{
    switch (colouring) {
    case TimelineColouring::Status: return TimelineColours::tr("Status");
    case TimelineColouring::CpuShare: return TimelineColours::tr("CPU share of its lifetime");
    case TimelineColouring::PeakMemory: return TimelineColours::tr("Peak memory");
    }
    return {};
}

} // namespace procscope::ui
