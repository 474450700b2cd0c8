// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/timeline_layout.h"

#include <QAbstractScrollArea>
#include <QTimer>

namespace procscope::session {
class Session;
}

namespace procscope::ui {

class CaptureDocument;
class TimelineLegend;

// Process lifetimes as bars over time, one lane per row, children below their parent (see
// session::TimelineLayout; the kernel's threads are left out, the tree has them). Colour tells
// the state, with a legend in the corner: running, exited 0, failed, killed; ticks mark each exec
// and the exit. Wheel zooms around the pointer, dragging pans, a click selects a
// process, Shift+drag selects a time range; keys: + and - zoom, Left/Right pan, Home fits,
// Up/Down select the bar in the lane above or below, Ctrl+Left/Right the previous or next bar of
// the lane, Page Up/Down scroll the lanes. Several hosts have a band of lanes each. Only
// what is visible is drawn, at most one bar per pixel and lane.
class TimelineView : public QAbstractScrollArea {
    Q_OBJECT
public:
    // Tall enough for a label in the view's font.
    int laneHeight() const;

    explicit TimelineView(CaptureDocument* document, QWidget* parent = nullptr);

    void refresh(); // lays out what is new and repaints (when shown)
    // The capture helper's own process (and what it started) left out, as in the tree.
    void setHideHelper(bool hide);
    void relayout(); // from scratch
    void zoomToFit();
    void setTimeRange(std::uint64_t fromNs, std::uint64_t toNs);
    void showNode(session::NodeId node);
    session::NodeId selectedNode() const { return m_selected; }
    const session::TimelineLayout& layout() const { return m_layout; }
    std::pair<std::uint64_t, std::uint64_t> visibleRangeNs() const;
    session::NodeId nodeAt(const QPoint& position) const;
    // Where a process's bar is drawn in the viewport (empty when it is not laid out).
    QRectF barRect(session::NodeId node) const;
    // What the bars' colours tell (remembered): 0 status, 1 CPU share, 2 peak memory.
    void setColouring(int index);

signals:
    void nodeSelected(session::NodeId node);
    void rangeSelected(std::uint64_t fromNs, std::uint64_t toNs);

protected:
    void paintEvent(QPaintEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    std::uint64_t originNs() const;
    std::uint64_t endNs() const;
    double xOf(std::uint64_t ns) const;
    std::uint64_t nsAt(double x) const;
    void zoomAround(double x, double factor);
    void updateScrollBars();
    void paintAxis(QPainter& painter, int top);
    void paintHostHeader(QPainter& painter, const QRect& rect, const session::Session& session, std::uint8_t host);
    // In lane `lane`: the bar at `atNs` or nearest to it (direction 0), or the one before / after.
    session::NodeId barNear(std::size_t lane, std::uint64_t atNs, int direction) const;

    CaptureDocument* m_document;
    TimelineLegend* m_legend = nullptr; // the colour key, under the lanes
    session::TimelineLayout m_layout;
    QTimer m_refreshTimer;
    double m_viewFromNs = 0; // the time at the left edge
    double m_nsPerPixel = 1e6;
    session::NodeId m_selected = session::kNoNode;
    QPoint m_pressAt;
    double m_pressViewFrom = 0;
    int m_pressScroll = 0;
    bool m_dragging = false;
    bool m_rangeDrag = false;
    int m_rangeX = -1;
    bool m_fitted = true;
    bool m_hideHelper = true; // follows the capture's span until the user zooms or pans
};

} // namespace procscope::ui
