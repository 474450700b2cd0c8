// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/rate_chart_view.h"

#include "document/capture_document.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QRubberBand>
#include <QSignalBlocker>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace procscope::ui {

using namespace session;

namespace {

constexpr double kBucketSeconds = double(Rates::kBucketNs) / 1e9;
// Series index -> the column of Rates::Counts it reads.
constexpr std::size_t kColumns[RateChartView::kSeriesCount]
    = { 0, 1, 2, 3, 4, 5, 6, 7, 8, Rates::kNonzeroExits };
// Okabe and Ito's colours (told apart with the common colour-vision deficiencies), and two more:
// fork, exec, exit, uid, gid, sid, ptrace, comm, coredump, failed exits.
const char* const kColours[RateChartView::kSeriesCount] = { "#0072b2", "#009e73", "#555555",
    "#cc79a7", "#8c564b", "#56b4e9", "#b8a400", "#e69f00", "#9a9a9a", "#d55e00" };

} // namespace

// A chart view that turns a horizontal drag (or a click) into a time range, and the keyboard
// too: Left/Right move a cursor one point (Ctrl: ten), Home/End to either end, Shift extends a
// range from where it started, Enter or Space selects it, Escape drops the cursor. What the
// cursor covers is told through `moved` (the owner shows the values there).
class RangeChartView : public QChartView
{
public:
    struct Grid
    {
        double first = 0; // seconds at the first point
        double step = 0; // seconds per point
        int count = 0; // points shown
    };
    struct Hooks
    {
        std::function<void(double, double)> selected; // seconds [from, to)
        std::function<void(double, double)> moved; // the keyboard range, or from > to when none
        std::function<Grid()> grid;
    };

    RangeChartView(QChart* chart, QWidget* parent, Hooks hooks)
        : QChartView(chart, parent)
        , m_band(new QRubberBand(QRubberBand::Rectangle, this))
        , m_hooks(std::move(hooks))
    {
        setRenderHint(QPainter::Antialiasing);
        setMouseTracking(true);
    }

    // The keyboard range in seconds, [from, to); empty when there is no cursor.
    std::pair<double, double> keyboardRange() const
    {
        const Grid grid = m_hooks.grid();
        if (!m_cursorShown || grid.count == 0)
            return { 0, 0 };
        return { grid.first + std::min(m_anchor, m_cursor) * grid.step,
            grid.first + (std::max(m_anchor, m_cursor) + 1) * grid.step };
    }
    // After the points changed (a refresh): the cursor stays on the grid and on the data (by
    // index, so a scrolling live chart keeps it where it is on screen), and the band follows.
    void placeBand()
    {
        const Grid grid = m_hooks.grid();
        if (grid.count == 0)
            m_cursorShown = false;
        m_cursor = std::clamp(m_cursor, 0, std::max(0, grid.count - 1));
        m_anchor = std::clamp(m_anchor, 0, std::max(0, grid.count - 1));
        if (!m_cursorShown || !hasFocus()) {
            if (!m_dragging)
                m_band->hide();
            return;
        }
        const auto [from, to] = keyboardRange();
        const QRectF plot = chart()->plotArea();
        const double left = std::max(plot.left(), chart()->mapToPosition(QPointF(from, 0)).x());
        const double right = std::min(plot.right(), chart()->mapToPosition(QPointF(to, 0)).x());
        m_band->setGeometry(
            QRectF(QPointF(left, plot.top()), QPointF(std::max(left + 2, right), plot.bottom()))
                .toRect());
        m_band->show();
    }

protected:
    void keyPressEvent(QKeyEvent* event) override
    {
        const Grid grid = m_hooks.grid();
        if (grid.count == 0 || grid.step <= 0) {
            QChartView::keyPressEvent(event);
            return;
        }
        const int last = grid.count - 1;
        const bool extend = event->modifiers() & Qt::ShiftModifier;
        const int stride = (event->modifiers() & Qt::ControlModifier) ? 10 : 1;
        if (!m_cursorShown)
            m_cursor = m_anchor = last; // the newest point first: where a live capture is
        int to = m_cursor;
        switch (event->key()) {
        case Qt::Key_Left:
            to -= stride;
            break;
        case Qt::Key_Right:
            to += stride;
            break;
        case Qt::Key_Home:
            to = 0;
            break;
        case Qt::Key_End:
            to = last;
            break;
        case Qt::Key_Return:
        case Qt::Key_Enter:
        case Qt::Key_Space:
            if (m_cursorShown) {
                const auto [from, until] = keyboardRange();
                m_hooks.selected(from, until);
            }
            m_cursorShown = true;
            placeBand();
            report();
            return;
        case Qt::Key_Escape:
            if (!m_cursorShown) {
                QChartView::keyPressEvent(event);
                return;
            }
            m_cursorShown = false;
            m_band->hide();
            report();
            return;
        default:
            QChartView::keyPressEvent(event);
            return;
        }
        m_cursor = std::clamp(to, 0, last);
        if (!extend)
            m_anchor = m_cursor;
        m_cursorShown = true;
        placeBand();
        report();
    }
    void focusOutEvent(QFocusEvent* event) override
    {
        QChartView::focusOutEvent(event);
        if (!m_dragging)
            m_band->hide();
    }
    void focusInEvent(QFocusEvent* event) override
    {
        QChartView::focusInEvent(event);
        placeBand();
    }
    void mousePressEvent(QMouseEvent* event) override
    {
        m_cursorShown = false;
        report();
        m_dragging = true;
        m_origin = event->position().toPoint();
        m_band->setGeometry(QRect(m_origin, QSize(1, height())));
        m_band->show();
    }
    void mouseMoveEvent(QMouseEvent* event) override
    {
        if (m_dragging) {
            const int x = event->position().toPoint().x();
            const QRect plot = chart()->plotArea().toRect();
            m_band->setGeometry(QRect(QPoint(std::min(x, m_origin.x()), plot.top()),
                QPoint(std::max(x, m_origin.x()), plot.bottom())));
        }
        QChartView::mouseMoveEvent(event);
    }
    void mouseReleaseEvent(QMouseEvent* event) override
    {
        if (!m_dragging)
            return;
        m_dragging = false;
        m_band->hide();
        const double a = chart()->mapToValue(QPointF(m_origin)).x();
        const double b = chart()->mapToValue(event->position()).x();
        m_hooks.selected(std::min(a, b), std::max(a, b));
    }

private:
    void report()
    {
        const auto [from, to] = keyboardRange();
        m_hooks.moved(m_cursorShown ? from : 1, m_cursorShown ? to : 0);
    }

    QRubberBand* m_band;
    QPoint m_origin;
    Hooks m_hooks;
    bool m_dragging = false;
    bool m_cursorShown = false;
    int m_cursor = 0; // point indices
    int m_anchor = 0;
};

QColor RateChartView::seriesColour(std::size_t index) const
{
    // The palette's colours are chosen for a light background: lighter ones read on a dark one.
    const QColor colour(QLatin1String(kColours[index]));
    return palette().color(QPalette::Window).lightness() < 128 ? colour.lighter(150) : colour;
}

RateChartView::RateChartView(CaptureDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_chart(new QChart)
    , m_view(new RangeChartView(m_chart, this,
          { [this](double a, double b) { onDragged(a, b); },
              [this](double a, double b) { describeRange(a, b); },
              [this] {
                  return RangeChartView::Grid { m_firstSeconds, m_secondsPerPoint, m_pointCount };
              } }))
    , m_window(new QComboBox(this))
    , m_host(new QComboBox(this))
    , m_log(new QCheckBox(tr("&Log scale"), this))
    , m_readout(new QLabel(this))
{
    m_wanted.fill(true);
    setObjectName(u"rateChart"_qs);
    m_view->setObjectName(u"rateChartView"_qs);
    m_view->setAccessibleName(tr("Event rates chart"));
    m_view->setAccessibleDescription(
        tr("Events per second for each event type; drag across it, or move with the arrow keys "
           "(Shift extends) and press Enter, to limit the views to that time"));
    m_view->setFocusPolicy(Qt::StrongFocus);
    m_chart->setTheme(palette().color(QPalette::Window).lightness() < 128
            ? QChart::ChartThemeDark
            : QChart::ChartThemeLight);
    m_chart->legend()->hide(); // the coloured toggles above the chart are its legend
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    // Added last first: the first kinds (fork, exec, exit) are drawn on top, and the thick
    // failed-exits line does not hide the others where they all sit at zero.
    for (std::size_t i = kSeriesCount; i-- > 0;) {
        auto* series = new QLineSeries(m_chart);
        series->setName(seriesName(i));
        QPen pen(seriesColour(i));
        pen.setWidthF(i == kSeriesCount - 1 ? 2.5 : 1.6);
        series->setPen(pen);
        m_chart->addSeries(series);
        connect(series, &QLineSeries::hovered, this, [this, i](const QPointF& point, bool inside) {
            if (inside)
                QToolTip::showText(QCursor::pos(),
                    tr("%1: %2 events/s at %3 s")
                        .arg(seriesName(i))
                        .arg(point.y(), 0, 'f', 1)
                        .arg(point.x(), 0, 'f', 1),
                    m_view);
        });
        m_series[i] = series;
    }
    m_lossUpper = new QLineSeries(m_chart);
    m_loss = new QAreaSeries(m_lossUpper);
    m_loss->setName(tr("events lost"));
    m_loss->setColor(QColor(214, 39, 40, 60));
    m_loss->setBorderColor(Qt::transparent);
    m_chart->addSeries(m_loss);
    rebuildAxes();

    auto* toggles = new QHBoxLayout;
    toggles->setSpacing(2);
    for (std::size_t i = 0; i < kSeriesCount; ++i) {
        auto* box = new QCheckBox(seriesName(i), this);
        box->setChecked(true);
        // The text in the usual colour (coloured text is hard to read), a swatch of the line's.
        QPixmap swatch(box->fontMetrics().height() - 2, 4);
        swatch.fill(seriesColour(i));
        box->setIcon(QIcon(swatch));
        box->setIconSize(swatch.size());
        box->setAccessibleName(tr("Show %1").arg(seriesName(i)));
        connect(box, &QCheckBox::toggled, this, [this, i](bool on) { setSeriesVisible(i, on); });
        toggles->addWidget(box);
    }
    toggles->addStretch(1);
    m_window->addItem(tr("Last 10 s"), 10);
    m_window->addItem(tr("Last minute"), 60);
    m_window->addItem(tr("Last 10 minutes"), 600);
    m_window->addItem(tr("Whole capture"), 0);
    m_window->setCurrentIndex(1);
    m_window->setAccessibleName(tr("Time window"));
    connect(m_window, &QComboBox::currentIndexChanged, this,
        [this] { setWindowSeconds(m_window->currentData().toInt()); });
    connect(m_log, &QCheckBox::toggled, this, &RateChartView::setLogScale);
    m_host->setAccessibleName(tr("Host shown"));
    m_host->setToolTip(tr("Everyone's rates, or one host's"));
    m_host->hide();
    connect(m_host, &QComboBox::activated, this, [this] { refresh(); });
    auto* hint = new QLabel(
        tr("Drag across the chart, or use arrows, Shift and Enter, to pick a time"), this);
    hint->setToolTip(tr("The event table and the tree are then limited to that time range"));
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setSizePolicy(
        QSizePolicy::Ignored, QSizePolicy::Preferred); // never what keeps the window wide
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Window:"), this));
    top->addWidget(m_window);
    top->addWidget(m_log);
    top->addWidget(m_host);
    top->addStretch(1);
    top->addWidget(hint);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addLayout(toggles);
    layout->addWidget(m_view, 1);
    m_readout->setObjectName(u"rateChartReadout"_qs);
    m_readout->setAccessibleName(tr("Rates at the chart cursor"));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_readout->setWordWrap(true);
    m_readout->hide();
    layout->addWidget(m_readout);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(500); // a chart redraws everything: at most twice a second
    connect(&m_refreshTimer, &QTimer::timeout, this, &RateChartView::refreshIfShown);
    connect(document, &CaptureDocument::changed, this, [this] {
        if (!m_refreshTimer.isActive())
            m_refreshTimer.start();
    });
    connect(document, &CaptureDocument::reset, this, &RateChartView::refreshIfShown);
}

QChartView* RateChartView::chartView() const
{
    return m_view;
}

void RateChartView::refreshIfShown()
{
    m_stale = !isVisible(); // a hidden chart catches up when it is shown
    if (!m_stale)
        refresh();
}

void RateChartView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
}

QString RateChartView::seriesName(std::size_t index)
{
    return index == kSeriesCount - 1
        ? tr("failed exits")
        : QString::fromLatin1(eventKindName(static_cast<EventKind>(index)));
}

void RateChartView::setWindowSeconds(int seconds)
{
    m_windowSeconds = seconds;
    if (const int index = m_window->findData(seconds);
        index >= 0 && index != m_window->currentIndex()) {
        const QSignalBlocker quiet(m_window);
        m_window->setCurrentIndex(index);
    }
    refresh();
}

void RateChartView::setLogScale(bool log)
{
    m_logScale = log;
    rebuildAxes();
    refresh();
}

void RateChartView::setSeriesVisible(std::size_t series, bool visible)
{
    m_wanted[series] = visible;
    m_series[series]->setVisible(visible && m_hasEvents[series]);
}

void RateChartView::rebuildAxes()
{
    for (QAbstractAxis* axis : m_chart->axes())
        m_chart->removeAxis(axis);
    delete m_x;
    delete m_y;
    auto* x = new QValueAxis;
    x->setTitleText(tr("seconds since the capture started"));
    x->setLabelFormat(u"%.0f"_qs);
    m_x = x;
    if (m_logScale) {
        auto* y = new QLogValueAxis;
        y->setBase(10);
        y->setLabelFormat(u"%g"_qs);
        y->setTitleText(tr("events/s (log)"));
        m_y = y;
    } else {
        auto* y = new QValueAxis;
        y->setLabelFormat(u"%.0f"_qs);
        y->setTitleText(tr("events/s"));
        m_y = y;
    }
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (QLineSeries* series : m_series) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    m_loss->attachAxis(m_x);
    m_loss->attachAxis(m_y);
}

void RateChartView::updateHosts()
{
    const Session* session = m_document->session();
    const int hosts
        = session && session->severalHosts() ? static_cast<int>(session->hosts().size()) : 0;
    if (m_host->count() == (hosts ? hosts + 1 : 0)) {
        for (int i = 1; i < m_host->count(); ++i) // labels arrive with the hosts' headers
            m_host->setItemText(
                i, QString::fromStdString(session->hosts()[static_cast<std::size_t>(i - 1)].label));
        return;
    }
    const int chosen = m_host->currentData().isValid() ? m_host->currentData().toInt() : -1;
    m_host->clear();
    m_host->setVisible(hosts > 0);
    if (hosts == 0)
        return;
    m_host->addItem(tr("All hosts"), -1);
    for (int i = 0; i < hosts; ++i)
        m_host->addItem(
            QString::fromStdString(session->hosts()[static_cast<std::size_t>(i)].label), i);
    m_host->setCurrentIndex(std::max(0, m_host->findData(chosen)));
}

void RateChartView::refresh()
{
    m_stale = false;
    const Session* session = m_document->session();
    const Rates* rates = session ? &session->rates() : nullptr;
    const std::size_t windowBuckets
        = m_windowSeconds > 0 ? static_cast<std::size_t>(m_windowSeconds / kBucketSeconds) : 0;
    updateHosts();
    const int host = session && session->severalHosts() && m_host->currentData().isValid()
        ? m_host->currentData().toInt()
        : -1;
    const Rates::Resampled resampled = !rates ? Rates::Resampled {}
        : host < 0
        ? rates->resample(windowBuckets, kMaxPoints)
        : session->resampleHost(static_cast<std::uint8_t>(host), windowBuckets, kMaxPoints);
    const std::size_t buckets = resampled.end;
    const std::size_t first = resampled.first;
    m_secondsPerPoint = double(resampled.group) * kBucketSeconds;
    m_firstSeconds = double(first) * kBucketSeconds;
    m_pointCount = static_cast<int>(resampled.points.size());
    std::array<QList<QPointF>, kSeriesCount> points;
    QList<QPointF> loss;
    double peak = 1;
    for (std::size_t p = 0; p < resampled.points.size(); ++p) {
        const Rates::Counts& sum = resampled.points[p];
        const double x = double(first + p * resampled.group) * kBucketSeconds;
        const double seconds = resampled.seconds(p);
        for (std::size_t i = 0; i < kSeriesCount; ++i) {
            const double rate = double(sum[kColumns[i]]) / seconds;
            peak = std::max(peak, rate);
            // A log axis cannot show zero: quiet periods sit on its floor.
            points[i].append(QPointF(x, m_logScale ? std::max(rate, 0.1) : rate));
        }
        loss.append(QPointF(x, sum[static_cast<std::size_t>(EventKind::Loss)] ? 1.0 : 0.0));
    }
    for (std::size_t i = 0; i < kSeriesCount; ++i) {
        m_series[i]->replace(points[i]);
        // A kind with no event in view draws no line along zero, where it would hide the others.
        m_hasEvents[i] = std::any_of(points[i].cbegin(), points[i].cend(),
            [floor = m_logScale ? 0.1 : 0.0](const QPointF& p) { return p.y() > floor; });
        m_series[i]->setVisible(m_wanted[i] && m_hasEvents[i]);
    }
    const double top
        = m_logScale ? std::pow(10.0, std::ceil(std::log10(peak * 1.2))) : std::ceil(peak * 1.15);
    for (QPointF& p : loss)
        p.setY(p.y() > 0 ? top : (m_logScale ? 0.1 : 0.0));
    m_lossUpper->replace(loss);
    auto* x = static_cast<QValueAxis*>(m_x);
    const double from = double(first) * kBucketSeconds;
    const double to = std::max(double(buckets) * kBucketSeconds, from + 1);
    x->setRange(from, to);
    // Ticks at 1, 2 or 5 x 10^n seconds, about six of them, without stretching the range.
    const double raw = (to - from) / 6;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double step = raw / magnitude < 2 ? magnitude
        : raw / magnitude < 5               ? 2 * magnitude
                                            : 5 * magnitude;
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(step);
    x->setLabelFormat(step < 1 ? u"%.1f"_qs : u"%.0f"_qs);
    if (m_logScale) {
        static_cast<QLogValueAxis*>(m_y)->setRange(0.1, top);
    } else {
        static_cast<QValueAxis*>(m_y)->setRange(0, top);
        static_cast<QValueAxis*>(m_y)->applyNiceNumbers();
    }
    const std::uint64_t origin = rates ? rates->originNs() : 0;
    m_shownFromNs = origin + first * Rates::kBucketNs;
    m_shownToNs = origin + buckets * Rates::kBucketNs;
    m_view->placeBand();
    const auto [cursorFrom, cursorTo] = m_view->keyboardRange();
    if (cursorTo > cursorFrom)
        describeRange(cursorFrom, cursorTo);
}

void RateChartView::describeRange(double fromSeconds, double toSeconds)
{
    const Session* session = m_document->session();
    if (toSeconds <= fromSeconds || !session) {
        m_readout->hide();
        return;
    }
    // From the buckets themselves, not the plotted points: a log axis lifts zero and small rates
    // to its floor.
    const Rates& rates = session->rates();
    const auto nsAt = [&](double seconds) {
        return rates.originNs()
            + static_cast<std::uint64_t>(std::llround(std::max(0.0, seconds) * 1e9));
    };
    const Rates::Counts sum = rates.total(nsAt(fromSeconds), nsAt(toSeconds));
    QStringList parts;
    for (std::size_t i = 0; i < kSeriesCount; ++i) {
        const double rate = double(sum[kColumns[i]]) / (toSeconds - fromSeconds);
        if (m_wanted[i] && sum[kColumns[i]] > 0)
            parts << tr("%1 %2/s").arg(seriesName(i)).arg(rate, 0, 'f', rate < 10 ? 1 : 0);
    }
    m_readout->setText(tr("%1 to %2 s: %3 (Enter limits the views to this time)")
                           .arg(fromSeconds, 0, 'f', 1)
                           .arg(toSeconds, 0, 'f', 1)
                           .arg(parts.isEmpty() ? tr("no events") : parts.join(u", "_qs)));
    m_readout->show();
}

void RateChartView::onDragged(double fromSeconds, double toSeconds)
{
    const Session* session = m_document->session();
    if (!session)
        return;
    if (toSeconds - fromSeconds < m_secondsPerPoint / 2) { // a click: the point under it
        fromSeconds = m_firstSeconds
            + std::floor((fromSeconds - m_firstSeconds) / m_secondsPerPoint) * m_secondsPerPoint;
        toSeconds = fromSeconds + m_secondsPerPoint;
    }
    fromSeconds = std::max(0.0, fromSeconds);
    const std::uint64_t origin = session->rates().originNs();
    emit rangeSelected(origin + static_cast<std::uint64_t>(fromSeconds * 1e9),
        origin + static_cast<std::uint64_t>(toSeconds * 1e9));
}

} // namespace procscope::ui
