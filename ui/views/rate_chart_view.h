// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/rates.h"

#include <QColor>
#include <QTimer>
#include <QWidget>
#include <array>

class QAbstractAxis;
class QAreaSeries;
class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;
class QToolButton;

namespace procscope::ui {

class CaptureDocument;
class RangeChartView;

// Events per second for each event type, and failed exits, from the session's rate buckets:
// scrolling over a chosen window (10 s, 1 min, 10 min, all), per-series toggles, values on
// hover, a log scale, and shaded bands where events were lost. Dragging across the chart (or
// clicking a point, or the keyboard: arrows, Shift, Enter) selects that time range: the owner
// limits the views to it.
class RateChartView : public QWidget
{
    Q_OBJECT
public:
    static constexpr std::size_t kSeriesCount = 10; // nine kernel event kinds, failed exits
    static constexpr int kMaxPoints = 600; // per series; buckets are summed beyond that

    explicit RateChartView(CaptureDocument* document, QWidget* parent = nullptr);

    // Rebuilds every series now (one replace() each); also runs on a timer while data arrives.
    void refresh();
    void setWindowSeconds(int seconds); // 0: all
    void setLogScale(bool log);
    void setSeriesVisible(std::size_t series, bool visible);
    QLineSeries* series(std::size_t index) const { return m_series[index]; }
    QChart* chart() const { return m_chart; }
    QChartView* chartView() const;
    static QString seriesName(std::size_t index);
    QColor seriesColour(std::size_t index) const; // follows the palette: lighter on a dark one
    // The kernel timestamps shown: [first, end).
    std::pair<std::uint64_t, std::uint64_t> shownRangeNs() const
    {
        return { m_shownFromNs, m_shownToNs };
    }

signals:
    void rangeSelected(std::uint64_t fromNs, std::uint64_t toNs);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refreshIfShown();
    void rebuildAxes();
    void onDragged(double fromSeconds, double toSeconds);
    void describeRange(
        double fromSeconds, double toSeconds); // under the chart, for the keyboard cursor

    CaptureDocument* m_document;
    QChart* m_chart;
    RangeChartView* m_view;
    std::array<QLineSeries*, kSeriesCount> m_series {};
    std::array<bool, kSeriesCount> m_wanted {}; // the toggles (all on at first)
    std::array<bool, kSeriesCount> m_hasEvents {}; // in the window shown
    QLineSeries* m_lossUpper = nullptr;
    QAreaSeries* m_loss = nullptr;
    QAbstractAxis* m_x = nullptr;
    QAbstractAxis* m_y = nullptr;
    QComboBox* m_window;
    QComboBox* m_host; // a session of several hosts: everyone's rates, or one host's
    void updateHosts();
    QCheckBox* m_log;
    QLabel* m_readout;
    QTimer m_refreshTimer;
    int m_windowSeconds = 60;
    bool m_logScale = false;
    std::uint64_t m_shownFromNs = 0;
    std::uint64_t m_shownToNs = 0;
    double m_secondsPerPoint = 0.1;
    double m_firstSeconds = 0; // where the first point starts
    int m_pointCount = 0;
    bool m_stale = true;
};

} // namespace procscope::ui
