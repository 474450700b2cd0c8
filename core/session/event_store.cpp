// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/event_store.h"

#include "session/spill_file.h"

#include <algorithm>

namespace procscope::session {

namespace {
// A file mapping holds up to this many chunks (22 MiB): a day's capture stays far below the
// kernel's limit on mappings, and a small capture reserves little disk.
constexpr std::size_t kMaxChunksPerExtent = 64;
constexpr std::size_t kChunkBytes = EventStore::kChunkRows * sizeof(StoredEvent);
}

EventStore::EventStore() = default;

EventStore::EventStore(const std::string& spillDirectory)
{
    if (!spillDirectory.empty())
        m_spill = SpillFile::create(spillDirectory, &m_spillProblem);
}

EventStore::~EventStore() = default;

void EventStore::addChunk()
{
    if (m_spill && !m_spillStopped && m_extentChunksLeft == 0) {
        // Extents grow with the capture (as many chunks as are in use, up to the limit), so the
        // number of mappings grows with the logarithm of the capture's size until then.
        const std::size_t chunks = std::clamp<std::size_t>(m_chunks.size(), 1, kMaxChunksPerExtent);
        if (void* extent = m_spill->allocate(chunks * kChunkBytes)) {
            m_extentNext = static_cast<StoredEvent*>(extent);
            m_extentChunksLeft = chunks;
        } else {
            // The rest of the capture stays on the heap; what is in the file stays readable.
            m_spillProblem = m_spill->lastError();
            m_extentNext = nullptr;
            m_extentChunksLeft = 0;
            m_spillStopped = true;
        }
    }
    if (m_extentChunksLeft > 0) {
        m_chunks.push_back(m_extentNext);
        m_extentNext += kChunkRows;
        --m_extentChunksLeft;
        return;
    }
    m_heapChunks.push_back(std::make_unique<StoredEvent[]>(kChunkRows));
    m_chunks.push_back(m_heapChunks.back().get());
}

std::size_t EventStore::bytes() const
{
    return m_heapChunks.size() * kChunkBytes + m_heapChunks.capacity() * sizeof(void*) + m_chunks.capacity() * sizeof(void*);
}

std::size_t EventStore::spilledBytes() const { return m_spill ? m_spill->fileBytes() : 0; }

} // namespace procscope::session
