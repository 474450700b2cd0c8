// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <deque>
#include <utility>

class QLabel;
class QProgressBar;
class QStatusBar;
class QToolButton;

namespace procscope::capture {
class RingWriter;
}

namespace procscope::ui {

class CaptureDocument;

// The status bar's counters: capture state, elapsed time, events (total, how many the event
// table shows when it is filtered, and per second),
// processes running, and losses (red when anything was lost, with the reasons in a tooltip).
class StatusPanel : public QObject {
    Q_OBJECT
public:
    StatusPanel(QStatusBar* bar, const CaptureDocument* document);

    void setState(const QString& state);
    // Called about once a second and after each batch; `elapsedMs` < 0: use the capture's span.
    // `liveRing`: the ring of files a live capture is written to, if any.
    void refresh(qint64 elapsedMs, const capture::RingWriter* liveRing = nullptr);
    void resetRate();
    // A file being opened: how far, in the status bar, so the window stays usable meanwhile
    // (total 0: not known yet). The stop button emits stopLoading().
    void showLoading(const QString& what, qint64 done, qint64 total);
    void hideLoading();

    QLabel* stateLabel() const { return m_state; }
    QLabel* eventsLabel() const { return m_events; }
    QLabel* processesLabel() const { return m_processes; }
    QLabel* lossLabel() const { return m_loss; }
    QLabel* ringLabel() const { return m_ring; }
    QProgressBar* loadingBar() const { return m_loading; }
    QToolButton* stopLoadingButton() const { return m_stopLoading; }

signals:
    void stopLoading();

private:
    void showEventCount(std::uint64_t events); // "N events", or "M of N events shown" when filtered
    // What a ring capture's files discarded: never shown as loss.
    void showRing(const capture::RingWriter* liveRing);

    const CaptureDocument* m_document;
    QLabel* m_state;
    QLabel* m_elapsed;
    QLabel* m_events;
    QLabel* m_rate;
    QLabel* m_processes;
    QLabel* m_loss;
    QLabel* m_ring;
    QProgressBar* m_loading;
    QToolButton* m_stopLoading;
    const void* m_counted = nullptr;
    std::size_t m_scanned = 0;
    std::uint64_t m_lossRows = 0;
    std::uint64_t m_lastEvents = 0;
    std::deque<std::pair<qint64, std::uint64_t>> m_samples; // (elapsed ms, events) over the last second
};

} // namespace procscope::ui
