// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/record_pump.h"

#include "document/capture_document.h"

#include <algorithm>
#include <utility>

namespace procscope::ui {

namespace {
constexpr std::size_t kPumpChunk = 2048; // records applied between looks at the clock
constexpr qint64 kLoadingFlushMs = 250; // model updates while a file loads
} // namespace

RecordPump::RecordPump(CaptureDocument* document, Source take, QObject* parent)
    : QObject(parent)
    , m_document(document)
    , m_take(std::move(take))
{
    m_pumpTimer.setSingleShot(true);
    connect(&m_pumpTimer, &QTimer::timeout, this, &RecordPump::pump);
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] {
        if (m_unflushed)
            flushModels();
    });
}

void RecordPump::restart(bool loading)
{
    m_loading = loading;
    m_pending.clear();
    m_pendingAt = 0;
    m_finishing = nullptr;
    m_finishAfterStage = false;
    m_flushDue = false;
    m_flushCostMs = 0;
    m_lastFlush.invalidate();
}

void RecordPump::wake(int delayMs)
{
    if (!m_pumpTimer.isActive())
        m_pumpTimer.start(delayMs);
}

void RecordPump::whenAllApplied(std::function<void()> then)
{
    // What is still waiting is applied in slices, as before; what follows the source's end
    // comes once it is all in (at once when nothing waits).
    m_finishing = std::move(then);
    pump();
}

void RecordPump::flushModels()
{
    m_flushTimer.stop();
    QElapsedTimer cost;
    cost.start();
    if (m_loading) {
        // While a file loads, each model follows in its own turn of the event loop: the window
        // pauses for the longest of them, not for all in a row; the last update too.
        if (!m_document->flushInProgress())
            m_addedDuringStage = false;
        const bool done = m_document->flushStep();
        m_stagedFlushMs += cost.elapsed();
        if (!done) {
            QTimer::singleShot(0, this, [this] {
                if (m_document->flushInProgress())
                    flushModels();
            });
            return;
        }
        m_flushCostMs = std::exchange(m_stagedFlushMs, 0);
        // Rows applied between its steps were not seen by the models updated before them.
        m_unflushed = std::exchange(m_addedDuringStage, false);
        m_lastFlush.start();
        if (m_unflushed && !m_flushTimer.isActive()) // shown even if the source has nothing more
            m_flushTimer.start(static_cast<int>(kLoadingFlushMs));
        if (std::exchange(m_finishAfterStage, false))
            QTimer::singleShot(0, this, &RecordPump::pump);
        return;
    } else {
        m_document->flush(); // finishes a staged update as well
        m_flushCostMs = cost.elapsed() + std::exchange(m_stagedFlushMs, 0);
    }
    m_unflushed = false;
    m_lastFlush.start();
}

void RecordPump::pump()
{
    // A burst (a fork storm, a helper catching up, a file being read) is applied in chunks
    // until the budget is spent; the rest follows on the next turn of the event loop, so input
    // and painting go on. It takes again whenever it has applied what it had: a source signals
    // only when its queue turns non-empty, so one must never be left with records and no pump.
    if (std::exchange(m_flushDue, false)) {
        // A slice of records and a model update in one turn would hold the window for both.
        if (!m_document->flushInProgress())
            flushModels();
        m_pumpTimer.start(0);
        return;
    }
    QElapsedTimer clock;
    clock.start();
    bool drained = false; // the source had nothing more
    while (clock.elapsed() < kBudgetMs) {
        if (m_pendingAt >= m_pending.size()) {
            m_pending = m_take();
            m_pendingAt = 0;
            if ((drained = m_pending.empty()))
                break;
        }
        const std::size_t end = std::min(m_pending.size(), m_pendingAt + kPumpChunk);
        std::vector<capture::Record> chunk(
            std::make_move_iterator(m_pending.begin() + static_cast<std::ptrdiff_t>(m_pendingAt)),
            std::make_move_iterator(m_pending.begin() + static_cast<std::ptrdiff_t>(end)));
        m_pendingAt = end;
        m_document->add(chunk);
        m_unflushed = true;
        m_addedDuringStage = m_addedDuringStage || m_document->flushInProgress();
    }
    // The models follow once a turn while capturing. While a file loads: four times a second,
    // less often (at most a third of the time, at least every 2.5 s) should updates grow
    // costly, and at once when everything is in. Fewer, larger updates would each hold the
    // window longer: an update's cost follows the rows it adds. A reader slower than the
    // window (a network disk) leaves the queue empty often: no reason to update sooner.
    if (m_unflushed) {
        const qint64 interval
            = std::clamp<qint64>(2 * m_flushCostMs, kLoadingFlushMs, 10 * kLoadingFlushMs);
        const qint64 since = m_lastFlush.isValid() ? m_lastFlush.elapsed() : interval;
        if (!m_loading || (drained && m_finishing)) {
            flushModels();
        } else if (since >= interval) {
            if (!m_document->flushInProgress()) { // its steps are under way in their own turns
                m_flushDue = true;
                m_pumpTimer.start(0);
                return;
            }
        } else if (drained)
            m_flushTimer.start(static_cast<int>(
                interval - since)); // the rows read so far show even if reading stalls
    }
    if (!drained) {
        m_pumpTimer.start(0);
        return;
    }
    m_pending.clear();
    m_pendingAt = 0;
    if (m_finishing && (m_unflushed || m_document->flushInProgress())) {
        if (!m_document->flushInProgress())
            flushModels(); // the models are behind what is applied: one more (staged) update
        if (m_document->flushInProgress() || m_unflushed) {
            m_finishAfterStage = true; // the staged update comes back here when done
            return;
        }
    }
    if (m_finishing) {
        const auto finish = std::move(m_finishing);
        m_finishing = nullptr;
        finish();
    }
}

} // namespace procscope::ui
