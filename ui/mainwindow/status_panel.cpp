// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/status_panel.h"

#include "capture/ring_limits_text.h"
#include "capture/ring_writer.h"
#include "document/capture_document.h"
#include "models/display_text.h"
#include "models/event_table_model.h"

#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QStatusBar>
#include <QToolButton>

namespace procscope::ui {

namespace {

QLabel* addLabel(QStatusBar* bar, const QString& accessibleName, int stretch = 0)
{
    auto* label = new QLabel(bar);
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setFocusPolicy(Qt::TabFocus); // reachable by keyboard, so a screen reader reads it
    label->setContentsMargins(6, 0, 6, 0);
    bar->addPermanentWidget(label, stretch);
    return label;
}

QString clock(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2:%3").arg(s / 3600, 2, 10, QLatin1Char('0')).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

StatusPanel::StatusPanel(QStatusBar* bar, const CaptureDocument* document)
    : QObject(bar)
    , m_document(document)
    , m_state(addLabel(bar, tr("Capture state"), 1))
    , m_elapsed(addLabel(bar, tr("Elapsed time")))
    , m_events(addLabel(bar, tr("Events")))
    , m_rate(addLabel(bar, tr("Events per second")))
    , m_processes(addLabel(bar, tr("Processes running")))
    , m_loss(addLabel(bar, tr("Lost events")))
    , m_ring(addLabel(bar, tr("Ring of files")))
    , m_loading(new QProgressBar(bar))
    , m_stopLoading(new QToolButton(bar))
{
    m_loading->setRange(0, 1000);
    m_loading->setMaximumWidth(160);
    m_loading->setAccessibleName(tr("Opening progress"));
    m_loading->setObjectName(u"statusLoading"_qs);
    m_stopLoading->setText(tr("Stop"));
    m_stopLoading->setToolTip(tr("Stop opening: the events read so far stay shown"));
    m_stopLoading->setAccessibleName(tr("Stop opening"));
    m_stopLoading->setObjectName(u"statusStopLoading"_qs);
    // Permanent, so that no passing message or menu tip hides them while a file loads.
    bar->insertPermanentWidget(0, m_loading);
    bar->insertPermanentWidget(1, m_stopLoading);
    m_loading->hide();
    m_stopLoading->hide();
    connect(m_stopLoading, &QToolButton::clicked, this, &StatusPanel::stopLoading);
    m_state->setObjectName(u"statusState"_qs);
    m_events->setObjectName(u"statusEvents"_qs);
    m_processes->setObjectName(u"statusProcesses"_qs);
    m_loss->setObjectName(u"statusLoss"_qs);
    m_ring->setObjectName(u"statusRing"_qs);
    m_ring->hide();
    connect(m_document->eventModel(), &QAbstractItemModel::modelReset, this, [this] { // a filter or the shown types changed
        if (m_document->session())
            showEventCount(m_lastEvents);
    });
    refresh(-1);
}

void StatusPanel::showLoading(const QString& what, qint64 done, qint64 total)
{
    m_loading->setFormat(total > 0 ? tr("%p%") : QString());
    m_loading->setMaximum(total > 0 ? 1000 : 0); // busy until the size is known
    if (total > 0)
        m_loading->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
    m_loading->setToolTip(what);
    m_loading->show();
    m_stopLoading->show();
}

void StatusPanel::hideLoading()
{
    m_loading->hide();
    m_stopLoading->hide();
}

void StatusPanel::setState(const QString& state)
{
    // The dot of "● Capturing" in red, as a recording light.
    static const QString kDot = u"\u25CF"_qs;
    m_state->setTextFormat(state.startsWith(kDot) ? Qt::RichText : Qt::PlainText);
    m_state->setText(state.startsWith(kDot) ? u"<span style=\"color:#d32f2f\">%1</span>%2"_qs.arg(kDot, state.mid(1).toHtmlEscaped()) : state);
    m_state->setAccessibleName(tr("Capture state: %1").arg(state));
}

void StatusPanel::resetRate() { m_samples.clear(); }

void StatusPanel::showEventCount(std::uint64_t events)
{
    const QLocale locale;
    const EventTableModel* table = m_document->eventModel();
    // Filtered, both counts are table rows, loss records included (the table lists them too).
    if (table->filtered())
        m_events->setText(tr("%1 of %2 events shown", nullptr, pluralForm(m_document->session()->events().size()))
                              .arg(locale.toString(qulonglong(table->rowCount())), locale.toString(qulonglong(m_document->session()->events().size()))));
    else
        m_events->setText(tr("%1 events", nullptr, pluralForm(events)).arg(locale.toString(qulonglong(events))));
    m_events->setAccessibleName(m_events->text());
}

void StatusPanel::showRing(const capture::RingWriter* liveRing)
{
    const QLocale locale;
    const session::Session* session = m_document->session();
    QString text;
    QString tip;
    if (liveRing) {
        const std::uint64_t discarded = liveRing->discardedEvents();
        const capture::RingLimits& limits = liveRing->limits();
        QString bound;
        if (limits.maxBytes != 0)
            bound = tr("the newest %1").arg(QString::fromStdString(capture::describeRingSize(limits.maxBytes)));
        if (limits.keepNs != 0)
            bound += (bound.isEmpty() ? QString() : tr(" and ")) + tr("the last %1").arg(QString::fromStdString(capture::describeRingAge(limits.keepNs)));
        text = tr("ring: %n files, %1", nullptr, pluralForm(liveRing->keptFileCount())).arg(locale.formattedDataSize(qint64(liveRing->keptBytes())));
        if (discarded != 0)
            text += tr("; %1 older events discarded from disk").arg(locale.toString(qulonglong(discarded)));
        tip = tr("Written as a ring of files named after %1 that keeps %2. What the ring discards from disk stays shown "
                 "here until the capture is closed; it is not lost by the capture.")
                  .arg(QString::fromStdString(liveRing->base()), bound);
    } else if (session && session->ringDiscards().ring) {
        const session::RingDiscards& ring = session->ringDiscards();
        text = ring.events == 0 ? tr("ring files: nothing discarded")
                                : tr("older events discarded by the ring: %1").arg(locale.toString(qulonglong(ring.events)));
        tip = tr("This capture was written as a ring of files, and opened from the files that were left (the first is number %1). "
                 "The ring deleted its oldest files to stay within its limit: their events were let go, not lost.")
                  .arg(ring.firstFile);
    }
    m_ring->setVisible(!text.isEmpty());
    m_ring->setText(text);
    m_ring->setToolTip(tip);
    m_ring->setAccessibleName(text.isEmpty() ? tr("Ring of files") : text);
    m_ring->setAccessibleDescription(tip);
}

void StatusPanel::refresh(qint64 elapsedMs, const capture::RingWriter* liveRing)
{
    showRing(liveRing);
    const QLocale locale;
    const auto* session = m_document->session();
    if (!session) {
        for (QLabel* label : { m_elapsed, m_events, m_rate, m_processes, m_loss })
            label->clear();
        return;
    }
    // Loss records are rows of the event store too; count them once, as rows arrive.
    if (session != m_counted) {
        m_counted = session;
        m_scanned = 0;
        m_lossRows = 0;
    }
    const auto& store = session->events();
    for (; m_scanned < store.size(); ++m_scanned)
        m_lossRows += store[m_scanned].kind == session::EventKind::Loss ? 1 : 0;
    const std::uint64_t events = store.size() - m_lossRows;
    const std::uint64_t lost = session->totalLost();
    if (elapsedMs < 0) {
        const auto start = session->header() ? session->header()->monotonicNs : 0;
        const auto latest = m_document->latestNs();
        elapsedMs = latest > start ? static_cast<qint64>((latest - start) / 1'000'000) : 0;
        m_rate->setText(elapsedMs > 0 ? tr("%1 events/s on average").arg(locale.toString(double(events) * 1000.0 / double(elapsedMs), 'f', 0)) : QString());
    } else {
        // Over the last second or so: refreshes come in bursts (a batch, the clock), and the
        // rate between two close ones says little.
        if (!m_samples.empty() && (elapsedMs < m_samples.back().first || events < m_samples.back().second))
            m_samples.clear();
        m_samples.emplace_back(elapsedMs, events);
        while (m_samples.size() > 2 && m_samples[1].first <= elapsedMs - 1000)
            m_samples.pop_front();
        const auto& [sinceMs, since] = m_samples.front();
        if (elapsedMs - sinceMs >= 250)
            m_rate->setText(tr("%1 events/s now").arg(locale.toString(double(events - since) * 1000.0 / double(elapsedMs - sinceMs), 'f', 0)));
    }
    m_elapsed->setText(tr("duration %1").arg(clock(elapsedMs)));
    m_lastEvents = events;
    showEventCount(events);
    m_processes->setText((m_document->isLive() ? tr("%1 running") : tr("%1 running at the end")).arg(locale.toString(qulonglong(m_document->runningProcesses()))));
    m_loss->setText(lost == 0 ? tr("no loss") : tr("%1 lost", nullptr, pluralForm(lost)).arg(locale.toString(qulonglong(lost))));
    m_loss->setStyleSheet(lost == 0 ? QString() : u"QLabel { color: white; background: #c62828; font-weight: bold; border-radius: 3px; }"_qs);
    QString reasons;
    for (std::size_t r = 0; r < capture::kLossReasonCount; ++r) {
        if (session->losses()[r] != 0)
            reasons += tr("\n%1: %2").arg(QString::fromLatin1(capture::lossReasonName(static_cast<capture::LossReason>(r + 1))),
                locale.toString(qulonglong(session->losses()[r])));
    }
    m_loss->setToolTip(lost == 0 ? tr("Nothing was lost: every event the kernel sent was captured") : tr("Lost, by reason (events, or the figures of processes' costs):") + reasons);
    m_loss->setAccessibleDescription(m_loss->toolTip());
    // A screen reader reads the name: it carries the value, not only what the value is.
    m_elapsed->setAccessibleName(m_elapsed->text());
    m_rate->setAccessibleName(tr("Rate %1").arg(m_rate->text()));
    m_processes->setAccessibleName(tr("Processes %1").arg(m_processes->text()));
    m_loss->setAccessibleName(tr("Losses: %1").arg(m_loss->text()));
}

} // namespace procscope::ui
