// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"

#include <QMutex>
#include <QWaitCondition>
#include <atomic>
#include <vector>

namespace procscope::ui {

// Records decoded on a worker thread (a live stream, a file being read), waiting for the UI
// thread to take them in batches. The worker tells the UI thread only when the queue turns
// non-empty, so the UI thread must take until it finds the queue empty (Workspace::pump).
class RecordQueue
{
public:
    // `bound`: the most records waiting before push() waits for room (0: no bound; a live
    // stream must never stop reading its socket).
    explicit RecordQueue(std::size_t bound = 0)
        : m_bound(bound)
    { }
    // Appends `batch` and empties it; when bounded, first waits for room unless `stop` is set.
    // True when the queue was empty: time to tell the UI thread.
    bool push(std::vector<capture::Record>& batch, const std::atomic<bool>* stop = nullptr);
    std::vector<capture::Record> take();
    std::size_t size() const;
    // A push() waiting for room looks at its `stop` again.
    void wake();

private:
    const std::size_t m_bound;
    mutable QMutex m_mutex;
    QWaitCondition m_room;
    std::vector<capture::Record> m_records;
};

} // namespace procscope::ui
