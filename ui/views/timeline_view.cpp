// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/timeline_view.h"

#include "document/capture_document.h"
#include "document/navigator.h"
#include "document/view_options.h"
#include "session/process_identity.h"
#include "models/display_text.h"
#include "views/timeline_colours.h"
#include "views/timeline_legend.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QSettings>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>
#include <utility>

namespace procscope::ui {

using namespace session;

namespace {

constexpr int kAxisHeight = 20;

} // namespace


TimelineView::TimelineView(CaptureDocument* document, QWidget* parent)
    : QAbstractScrollArea(parent)
    , m_document(document)
{
    setObjectName(u"timeline"_qs);
    viewport()->setObjectName(u"timelineViewport"_qs);
    setAccessibleName(tr("Process timeline"));
    setAccessibleDescription(tr("Process lifetimes as bars over time; blue running, green exited 0, orange failed, red killed"));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setMouseTracking(true);
    m_layout.setSkipKernelThreads(true);
    m_legend = new TimelineLegend(this);
    m_legend->setAccessibleName(tr("Timeline colours"));
    m_legend->setAccessibleDescription(tr("Blue running, green exited 0, orange failed, red killed, grey ended with its status not seen"));
    setViewportMargins(0, 0, 0, m_legend->stripHeight());
    m_legend->choice()->setCurrentIndex(std::clamp(QSettings().value(u"timeline/colouring"_qs, 0).toInt(), 0, m_legend->choice()->count() - 1));
    connect(m_legend->choice(), &QComboBox::currentIndexChanged, this, [this](int index) {
        QSettings().setValue(u"timeline/colouring"_qs, index);
        m_legend->update();
        viewport()->update();
    });
    verticalScrollBar()->setSingleStep(laneHeight());
    connect(verticalScrollBar(), &QScrollBar::valueChanged, viewport(), qOverload<>(&QWidget::update));
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(250);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TimelineView::refresh);
    connect(document, &CaptureDocument::changed, this, [this] {
        if (!m_refreshTimer.isActive())
            m_refreshTimer.start();
    });
    connect(document->navigator(), &Navigator::currentNodeChanged, this, &TimelineView::showNode);
    connect(this, &TimelineView::nodeSelected, document->navigator(), &Navigator::selectNode);
    m_hideHelper = !document->viewOptions()->showHelper();
    connect(document->viewOptions(), &ViewOptions::showHelperChanged, this, [this](bool show) { setHideHelper(!show); });
    connect(document, &CaptureDocument::reset, this, [this] {
        m_layout.clear();
        m_selected = kNoNode;
        refresh();
        zoomToFit();
    });
}

void TimelineView::setColouring(int index) { m_legend->choice()->setCurrentIndex(index); }

std::uint64_t TimelineView::originNs() const
{
    const Session* session = m_document->session();
    return session && session->header() ? session->header()->monotonicNs : session ? session->rates().originNs() : 0;
}

std::uint64_t TimelineView::endNs() const { return std::max(m_document->latestNs(), originNs() + 1'000'000); }

double TimelineView::xOf(std::uint64_t ns) const { return (double(ns) - m_viewFromNs) / m_nsPerPixel; }

std::uint64_t TimelineView::nsAt(double x) const { return static_cast<std::uint64_t>(std::max(0.0, m_viewFromNs + x * m_nsPerPixel)); }

std::pair<std::uint64_t, std::uint64_t> TimelineView::visibleRangeNs() const { return { nsAt(0), nsAt(viewport()->width()) }; }

void TimelineView::showEvent(QShowEvent* event)
{
    QAbstractScrollArea::showEvent(event);
    refresh(); // laid out only while shown: opening a file does not wait for it
    if (m_selected != kNoNode)
        showNode(m_selected); // selected while hidden, before it had a lane
}

void TimelineView::setHideHelper(bool hide)
{
    if (hide == m_hideHelper)
        return;
    m_hideHelper = hide;
    relayout();
}

void TimelineView::relayout()
{
    m_layout.clear();
    refresh();
}

int TimelineView::laneHeight() const { return std::max(16, fontMetrics().height() + 6); }

void TimelineView::refresh()
{
    if (!isVisible())
        return;
    // A large capture is laid out a slice of a few milliseconds at a time, painting what is
    // placed so far, so showing the timeline never freezes the window. Slices are timed, not
    // counted: placing gets slower as lanes fill up.
    constexpr std::size_t kPlacedPerStep = 2'000;
    constexpr qint64 kSliceMs = 8;
    const Session* session = m_document->session();
    std::vector<NodeId> helpers;
    for (std::size_t host = 0; m_hideHelper && session && host < std::max<std::size_t>(1, session->hosts().size()); ++host)
        helpers.push_back(captureHelper(*session, static_cast<std::uint8_t>(host)));
    m_layout.setSkippedRoots(std::move(helpers));
    QElapsedTimer slice;
    slice.start();
    bool done = session == nullptr;
    while (!done && slice.elapsed() < kSliceMs)
        done = m_layout.update(session->lineage(), originNs(), kPlacedPerStep);
    if (!done)
        QTimer::singleShot(0, this, &TimelineView::refresh);
    updateScrollBars();
    if (m_fitted)
        zoomToFit(); // a live capture grows: keep all of it in view until the user zooms
    viewport()->update();
}

void TimelineView::updateScrollBars()
{
    const int content = static_cast<int>(m_layout.laneCount()) * laneHeight() + kAxisHeight;
    verticalScrollBar()->setPageStep(viewport()->height());
    verticalScrollBar()->setRange(0, std::max(0, content - viewport()->height()));
}

void TimelineView::zoomToFit()
{
    m_fitted = true;
    const double span = double(endNs() - originNs());
    m_viewFromNs = double(originNs());
    m_nsPerPixel = std::max(1.0, span / std::max(1, viewport()->width() - 10));
    viewport()->update();
}

void TimelineView::setTimeRange(std::uint64_t fromNs, std::uint64_t toNs)
{
    if (toNs <= fromNs)
        return;
    m_fitted = false;
    m_viewFromNs = double(fromNs);
    m_nsPerPixel = std::max(1.0, double(toNs - fromNs) / std::max(1, viewport()->width()));
    viewport()->update();
}

void TimelineView::showNode(NodeId node)
{
    m_selected = node;
    const std::uint32_t lane = m_layout.laneOf(node);
    if (lane != TimelineLayout::kNoLane) {
        const int y = static_cast<int>(lane) * laneHeight();
        if (y < verticalScrollBar()->value() || y > verticalScrollBar()->value() + viewport()->height() - kAxisHeight - laneHeight())
            verticalScrollBar()->setValue(y - viewport()->height() / 2);
        const double x = xOf(m_layout.startOf(node));
        if (x < 0 || x > viewport()->width())
            m_viewFromNs = double(m_layout.startOf(node)) - m_nsPerPixel * viewport()->width() / 4;
    }
    viewport()->update();
}

QRectF TimelineView::barRect(NodeId node) const
{
    const std::uint32_t lane = m_layout.laneOf(node);
    const Session* session = m_document->session();
    if (lane == TimelineLayout::kNoLane || !session)
        return {};
    const ProcessNode& process = session->lineage().node(node);
    const double x1 = xOf(m_layout.startOf(node));
    const double x2 = xOf(process.running() ? endNs() : process.endNs);
    const double y = kAxisHeight + static_cast<int>(lane) * laneHeight() - verticalScrollBar()->value();
    return QRectF(x1, y + 2, std::max(1.0, x2 - x1), laneHeight() - 4);
}

NodeId TimelineView::nodeAt(const QPoint& position) const
{
    const int laneIndex = (position.y() - kAxisHeight + verticalScrollBar()->value()) / laneHeight();
    if (position.y() < kAxisHeight || laneIndex < 0 || static_cast<std::size_t>(laneIndex) >= m_layout.laneCount())
        return kNoNode;
    const auto& lane = m_layout.lane(static_cast<std::size_t>(laneIndex));
    const std::uint64_t at = nsAt(position.x());
    const std::uint64_t slack = static_cast<std::uint64_t>(m_nsPerPixel * 2); // thin bars stay clickable
    const auto next = lane.upper_bound(at);
    if (next != lane.begin() && std::prev(next)->second.endNs > at)
        return std::prev(next)->second.node; // the bar under the pointer
    if (next != lane.begin() && std::prev(next)->second.endNs + slack >= at)
        return std::prev(next)->second.node;
    if (next != lane.end() && next->first <= at + slack)
        return next->second.node;
    return kNoNode;
}

void TimelineView::paintAxis(QPainter& painter, int width)
{
    painter.fillRect(0, 0, width, kAxisHeight, palette().color(QPalette::Window));
    painter.setPen(palette().color(QPalette::WindowText));
    // Ticks every 1, 2 or 5 x 10^n seconds, about 100 pixels apart.
    const double secondsPerPixel = m_nsPerPixel / 1e9;
    const double raw = secondsPerPixel * 100;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / magnitude < 2 ? magnitude : raw / magnitude < 5 ? 2 * magnitude : 5 * magnitude;
    const double origin = double(originNs());
    const double first = std::ceil((m_viewFromNs - origin) / 1e9 / step) * step;
    for (double t = first; ; t += step) {
        const double x = (origin + t * 1e9 - m_viewFromNs) / m_nsPerPixel;
        if (x > width)
            break;
        painter.drawLine(QPointF(x, kAxisHeight - 5), QPointF(x, kAxisHeight));
        const QString label = step < 1 ? QString::number(t, 'f', step < 0.01 ? 3 : step < 0.1 ? 2 : 1) + u" s"_qs : QString::number(t, 'f', 0) + u" s"_qs;
        if (x + 3 + painter.fontMetrics().horizontalAdvance(label) <= width) // a label cut at the edge misleads
            painter.drawText(QPointF(x + 3, kAxisHeight - 6), label);
    }
    painter.drawLine(0, kAxisHeight - 1, width, kAxisHeight - 1);
}

void TimelineView::paintHostHeader(QPainter& painter, const QRect& rect, const Session& session, std::uint8_t host)
{
    // Each host's processes have their own band of lanes, opened by its name.
    painter.fillRect(rect, palette().color(QPalette::AlternateBase));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(rect.topLeft(), rect.topRight());
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::Text));
    const QString name = host < session.hosts().size() ? QString::fromStdString(session.hosts()[host].label) : QString();
    painter.drawText(rect.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft, tr("Host %1").arg(name));
    painter.setFont(font());
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    const int width = viewport()->width();
    const int height = viewport()->height();
    painter.fillRect(viewport()->rect(), palette().color(QPalette::Base));
    const Session* session = m_document->session();
    if (!session) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect(), Qt::AlignCenter, tr("Process lifetimes appear here during a capture or from an opened file."));
        return;
    }
    const Lineage& lineage = session->lineage();
    const std::uint64_t latest = endNs();
    const std::uint64_t viewFrom = nsAt(0);
    const std::uint64_t viewTo = nsAt(width);
    const int scroll = verticalScrollBar()->value();
    const std::size_t firstLane = static_cast<std::size_t>(scroll / laneHeight());
    const std::size_t lastLane = std::min(m_layout.laneCount(), static_cast<std::size_t>((scroll + height) / laneHeight() + 1));
    const QFontMetrics metrics(font());
    const TimelineColouring colouring = m_legend->colouring();
    // Bars are collected first: each one forked during the capture is joined to its parent's
    // lane by a faint line drawn under all bars, so a lane shared by unrelated processes does not
    // pass for lineage.
    struct Visible {
        QRectF rect;
        NodeId node;
        std::uint64_t start;
    };
    std::vector<Visible> visible;
    for (std::size_t l = firstLane; l < lastLane; ++l) {
        const auto& lane = m_layout.lane(l);
        const int y = kAxisHeight + static_cast<int>(l) * laneHeight() - scroll;
        if (const int host = m_layout.headerOf(l); host >= 0) {
            paintHostHeader(painter, QRect(0, y, width, laneHeight()), *session, static_cast<std::uint8_t>(host));
            continue;
        }
        auto it = lane.upper_bound(viewFrom);
        if (it != lane.begin())
            --it; // the bar that may cover the left edge
        double drawnTo = -1;
        while (it != lane.end() && it->first <= viewTo) {
            const auto& [start, bar] = *it;
            const double x1 = std::max(-1.0, xOf(start));
            const double x2 = std::min(double(width) + 1, xOf(bar.endNs == TimelineLayout::kOpenEnd ? latest : bar.endNs));
            if (x2 < 0) {
                ++it;
                continue;
            }
            if (x2 <= drawnTo + 1 && x1 >= drawnTo - 1) {
                // This pixel already holds a bar: skip to the first bar that starts past it
                // (at least the next one, so the walk always moves on).
                const auto skipTo = lane.lower_bound(nsAt(std::floor(drawnTo) + 2));
                it = skipTo != lane.end() && skipTo->first > start ? skipTo : std::next(it);
                drawnTo = std::max(drawnTo, x2);
                continue;
            }
            visible.push_back({ QRectF(x1, y + 2, std::max(1.0, x2 - x1), laneHeight() - 4), bar.node, start });
            drawnTo = std::max(drawnTo, x2);
            ++it;
        }
    }
    QColor connector = palette().color(QPalette::Text);
    connector.setAlpha(90);
    painter.setPen(QPen(connector, 1));
    const std::uint64_t origin = originNs();
    for (const auto& [rect, id, start] : visible) {
        const ProcessNode& node = lineage.node(id);
        const std::uint32_t parentLane = node.parent != kNoNode ? m_layout.laneOf(node.parent) : TimelineLayout::kNoLane;
        if (parentLane == TimelineLayout::kNoLane || node.fromSnapshot || start <= origin || rect.left() < 0)
            continue;
        const double parentBottom = kAxisHeight + double(parentLane + 1) * laneHeight() - 2 - scroll;
        painter.drawLine(QPointF(rect.left() + 0.5, std::max<double>(kAxisHeight, parentBottom)), QPointF(rect.left() + 0.5, rect.top()));
    }
    for (const auto& [rect, id, start] : visible) {
        const ProcessNode& node = lineage.node(id);
        painter.fillRect(rect, timelineBarColour(*session, id, colouring));
        if (rect.width() > 6) {
            painter.setPen(QColor(255, 255, 255, 200));
            for (std::uint32_t e = node.firstExec; e != kNoEntry; e = lineage.exec(e).next) {
                const std::uint64_t at = lineage.exec(e).timestampNs;
                if (at >= start)
                    painter.drawLine(QPointF(xOf(at), rect.top()), QPointF(xOf(at), rect.bottom()));
            }
            if (!node.running()) {
                painter.setPen(QColor(0, 0, 0, 160));
                painter.drawLine(QPointF(rect.right(), rect.top() - 1), QPointF(rect.right(), rect.bottom() + 1));
            }
        }
        if (rect.width() > 40) {
            painter.setPen(Qt::white);
            painter.drawText(rect.adjusted(3, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft,
                metrics.elidedText(u"%1 %2"_qs.arg(processNameText(*session, node)).arg(node.pid), Qt::ElideRight, int(rect.width()) - 5));
        }
        if (id == m_selected) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
            painter.drawRect(rect.adjusted(-1, -1, 1, 1));
        }
    }
    if (m_rangeDrag && m_rangeX >= 0) {
        const int a = std::min(m_rangeX, m_pressAt.x()), b = std::max(m_rangeX, m_pressAt.x());
        painter.fillRect(QRect(a, kAxisHeight, b - a, height), QColor(42, 130, 218, 60));
    }
    paintAxis(painter, width);
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    const QRect lanes = viewport()->geometry();
    m_legend->setGeometry(lanes.left(), lanes.bottom() + 1, lanes.width(), m_legend->stripHeight());
    updateScrollBars();
    if (m_fitted)
        zoomToFit();
}

void TimelineView::zoomAround(double x, double factor)
{
    m_fitted = false;
    const double at = m_viewFromNs + x * m_nsPerPixel;
    m_nsPerPixel = std::clamp(m_nsPerPixel * factor, 1.0, 1e12);
    m_viewFromNs = at - x * m_nsPerPixel;
    viewport()->update();
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ShiftModifier) {
        QAbstractScrollArea::wheelEvent(event); // scroll the lanes
        return;
    }
    zoomAround(event->position().x(), event->angleDelta().y() > 0 ? 1 / 1.25 : 1.25);
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    m_pressAt = event->position().toPoint();
    m_pressViewFrom = m_viewFromNs;
    m_pressScroll = verticalScrollBar()->value();
    m_dragging = false;
    m_rangeDrag = event->modifiers() & Qt::ShiftModifier;
    m_rangeX = -1;
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
    if (event->buttons() & Qt::LeftButton) {
        m_dragging = m_dragging || (at - m_pressAt).manhattanLength() > 3;
        if (m_rangeDrag) {
            m_rangeX = at.x();
        } else if (m_dragging) {
            m_fitted = false;
            m_viewFromNs = m_pressViewFrom - (at.x() - m_pressAt.x()) * m_nsPerPixel;
            verticalScrollBar()->setValue(m_pressScroll - (at.y() - m_pressAt.y()));
        }
        viewport()->update();
        return;
    }
    const NodeId node = nodeAt(at);
    const Session* session = m_document->session();
    if (node != kNoNode && session) {
        const ProcessNode& process = session->lineage().node(node);
        QToolTip::showText(event->globalPosition().toPoint(),
            u"%1 [%2]\n%3\n%4"_qs.arg(processNameText(*session, process)).arg(process.pid).arg(processStateText(process), commandLineText(*session, node)), viewport());
    } else {
        QToolTip::hideText();
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
    if (m_rangeDrag && m_dragging) {
        const int a = std::min(at.x(), m_pressAt.x()), b = std::max(at.x(), m_pressAt.x());
        emit rangeSelected(nsAt(a), nsAt(b));
    } else if (!m_dragging) {
        const NodeId node = nodeAt(at);
        if (node != kNoNode) {
            m_selected = node;
            emit nodeSelected(node);
        }
    }
    m_rangeDrag = false;
    m_dragging = false;
    viewport()->update();
}

NodeId TimelineView::barNear(std::size_t laneIndex, std::uint64_t atNs, int direction) const
{
    // direction 0: the bar covering `atNs` or the nearest one; -1 / +1: the one before / after.
    if (laneIndex >= m_layout.laneCount())
        return kNoNode;
    const auto& lane = m_layout.lane(laneIndex);
    if (lane.empty())
        return kNoNode;
    auto after = lane.upper_bound(atNs); // first bar starting later
    if (direction > 0)
        return after != lane.end() ? after->second.node : kNoNode;
    if (after == lane.begin())
        return direction < 0 ? kNoNode : after->second.node;
    auto covering = std::prev(after); // starts at or before atNs
    if (direction < 0) {
        if (covering->first < atNs)
            return covering->second.node;
        return covering == lane.begin() ? kNoNode : std::prev(covering)->second.node;
    }
    const std::uint64_t end = covering->second.endNs == TimelineLayout::kOpenEnd ? endNs() : covering->second.endNs;
    if (atNs < end || after == lane.end())
        return covering->second.node;
    return atNs - end <= after->first - atNs ? covering->second.node : after->second.node;
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const double pan = m_nsPerPixel * viewport()->width() / 8;
    // Selection by keyboard, as a click does: Up/Down to the bar in the lane above or below
    // (at the selected process's start, or the middle of the view), Ctrl+Left/Right to the
    // previous or next bar of the lane.
    const bool ctrl = event->modifiers() & Qt::ControlModifier;
    if (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down || (ctrl && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right))) {
        const std::uint32_t current = m_selected != kNoNode ? m_layout.laneOf(m_selected) : TimelineLayout::kNoLane;
        const std::uint64_t at = current != TimelineLayout::kNoLane ? m_layout.startOf(m_selected) : nsAt(viewport()->width() / 2.0);
        NodeId next = kNoNode;
        if (event->key() == Qt::Key_Up || event->key() == Qt::Key_Down) {
            const int step = event->key() == Qt::Key_Up ? -1 : 1;
            // The nearest lane in that direction with a bar (a lane can be empty at that time).
            for (long lane = current == TimelineLayout::kNoLane ? (step > 0 ? 0 : long(m_layout.laneCount()) - 1) : long(current) + step;
                 lane >= 0 && lane < long(m_layout.laneCount()) && next == kNoNode; lane += step)
                next = barNear(std::size_t(lane), at, 0);
        } else if (current != TimelineLayout::kNoLane) {
            next = barNear(current, at, event->key() == Qt::Key_Left ? -1 : 1);
        }
        if (next != kNoNode) {
            showNode(next);
            const double x = xOf(m_layout.startOf(next));
            if (x < 0 || x > viewport()->width()) {
                m_fitted = false;
                m_viewFromNs = double(m_layout.startOf(next)) - m_nsPerPixel * viewport()->width() / 4;
            }
            emit nodeSelected(next);
        }
        viewport()->update();
        return;
    }
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAround(viewport()->width() / 2.0, 1 / 1.5); break;
    case Qt::Key_Minus: zoomAround(viewport()->width() / 2.0, 1.5); break;
    case Qt::Key_Left:
        m_fitted = false;
        m_viewFromNs -= pan;
        break;
    case Qt::Key_Right:
        m_fitted = false;
        m_viewFromNs += pan;
        break;
    case Qt::Key_Home: zoomToFit(); break;
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
        verticalScrollBar()->triggerAction(event->key() == Qt::Key_PageUp ? QAbstractSlider::SliderPageStepSub : QAbstractSlider::SliderPageStepAdd);
        break;
    default: QAbstractScrollArea::keyPressEvent(event); return;
    }
    viewport()->update();
}

} // namespace procscope::ui
