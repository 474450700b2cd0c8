// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timeline_legend.h"

#include <QComboBox>
#include <QPainter>

namespace procscope::ui {

TimelineLegend::TimelineLegend(QWidget* parent)
    : QWidget(parent)
    , m_choice(new QComboBox(this))
{
    for (const auto colouring : { TimelineColouring::Status, TimelineColouring::CpuShare, TimelineColouring::PeakMemory })
        m_choice->addItem(timelineColouringName(colouring), int(colouring));
    m_choice->setAccessibleName(tr("Colour the timeline by"));
    m_choice->setToolTip(tr("What the bars' colours tell: how each process ended, how busy it kept a CPU, or its peak memory"));
    m_choice->move(4, 2);
}

int TimelineLegend::stripHeight() const { return std::max(fontMetrics().height() + 8, m_choice->sizeHint().height() + 4); }

TimelineColouring TimelineLegend::colouring() const { return TimelineColouring(m_choice->currentData().toInt()); }

void TimelineLegend::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Window));
    const QFontMetrics metrics(font());
    const int swatch = metrics.height() - 6;
    int x = m_choice->geometry().right() + 12;
    for (const auto& entry : timelineLegend(colouring())) {
        painter.fillRect(QRect(x, height() / 2 - swatch / 2, swatch, swatch), entry.colour);
        x += swatch + 4;
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(QRect(x, 0, metrics.horizontalAdvance(entry.label) + 2, height()), Qt::AlignVCenter | Qt::AlignLeft, entry.label);
        x += metrics.horizontalAdvance(entry.label) + 14;
    }
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(QRect(x, 0, width() - x - 6, height()), Qt::AlignVCenter | Qt::AlignRight, tr("white tick: exec \u00B7 dark tick: exit"));
}

} // namespace procscope::ui
