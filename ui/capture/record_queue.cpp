// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/record_queue.h"

namespace procscope::ui {

bool RecordQueue::push(std::vector<capture::Record>& batch, const std::atomic<bool>* stop)
{
    bool wasEmpty = false;
    {
        QMutexLocker lock(&m_mutex);
        while (m_bound != 0 && m_records.size() >= m_bound && !(stop && stop->load()))
            m_room.wait(&m_mutex);
        wasEmpty = m_records.empty();
        if (wasEmpty)
            m_records.swap(batch);
        else
            std::move(batch.begin(), batch.end(), std::back_inserter(m_records));
    }
    batch.clear();
    return wasEmpty;
}

std::vector<capture::Record> RecordQueue::take()
{
    QMutexLocker lock(&m_mutex);
    m_room.wakeAll();
    return std::exchange(m_records, {});
}

std::size_t RecordQueue::size() const
{
    QMutexLocker lock(&m_mutex);
    return m_records.size();
}

void RecordQueue::wake()
{
    QMutexLocker lock(&m_mutex);
    m_room.wakeAll();
}

} // namespace procscope::ui
