// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>
#include <vector>

namespace procscope::ui {

class CaptureDocument;

// Applies the records of a live capture or of a file being opened to the capture document, in
// slices that leave the event loop running, and has the models follow: once a turn while
// capturing; while a file loads, a few times a second, each model in its own turn.
class RecordPump : public QObject {
    Q_OBJECT
public:
    using Source = std::function<std::vector<capture::Record>()>;
    // `take` hands over what the source has (empty: nothing now).
    RecordPump(CaptureDocument* document, Source take, QObject* parent = nullptr);

    // A new source: what waits and what was to follow are dropped. `loading`: a file is read
    // (staged, less frequent model updates) rather than a capture followed.
    void restart(bool loading);
    // The source has records: applied after `delayMs`, unless a turn is already due.
    void wake(int delayMs);
    // Once everything the source has is applied and shown, `then` runs (at once when nothing
    // waits). The source is done: a file read to its end, a capture that ended.
    void whenAllApplied(std::function<void()> then);
    // Records are still being applied before what follows the source's end.
    bool finishing() const { return m_finishing != nullptr; }

    static constexpr int kIntervalMs = 33; // at most ~30 model updates a second while capturing
    static constexpr int kBudgetMs = 12; // records applied per turn before the UI breathes

private:
    void pump();
    void flushModels();

    CaptureDocument* m_document;
    Source m_take;
    bool m_loading = false;
    QTimer m_pumpTimer;
    QTimer m_flushTimer; // models follow a file whose reading stalls
    std::vector<capture::Record> m_pending; // taken from the source, not yet applied
    std::size_t m_pendingAt = 0;
    bool m_unflushed = false; // records applied that the models do not show yet
    bool m_flushDue = false; // the next turn updates the models (loading), then applies more
    QElapsedTimer m_lastFlush;
    qint64 m_flushCostMs = 0; // how long the models took to follow, the last time
    qint64 m_stagedFlushMs = 0; // the steps so far of a staged update
    bool m_addedDuringStage = false; // records applied while a staged update was under way
    bool m_finishAfterStage = false; // all is in: m_finishing runs once the staged update ends
    std::function<void()> m_finishing; // the source ended: what follows once its last records are in
};

} // namespace procscope::ui
