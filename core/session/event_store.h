// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "protocol/events.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace procscope::session {

enum class EventKind : std::uint8_t {
    Fork,
    Exec,
    Exit,
    Uid,
    Gid,
    Sid,
    Ptrace,
    Comm,
    Coredump,
    Unknown,
    Loss, // a loss record of the capture, shown among the events
};
constexpr std::size_t kEventKindCount = 11;
const char* eventKindName(EventKind kind);
EventKind eventKindOf(const protocol::EventPayload& payload);

using NodeId = std::uint32_t;
constexpr NodeId kNoNode = 0xFFFFFFFF;

// One row of the event table. 44 bytes; the meaning of a..d depends on the kind:
//   fork      pid/tgid = child,  a = parent_pid, b = parent_tgid
//   exec      pid/tgid,          a = index in the node's exec history
//   exit      pid/tgid,          a = wait_status (raw), b = signal_to_parent (the kernel's exit_signal, signed),
//                                c = parent_pid, d = parent_tgid (0 when not sent)
//   uid, gid  pid/tgid,          a = real, b = effective
//   ptrace    pid/tgid,          a = tracer_pid, b = tracer_tgid
//   comm      pid/tgid,          a = interned comm
//   coredump  pid/tgid,          c = parent_pid, d = parent_tgid
//   unknown   what in a
//   loss      a = reason, b = count (low 32 bits), c = count (high 32 bits); cpu as recorded
constexpr std::uint16_t kNoCpuRow = 0xFFFF;

// A 64-bit value kept as two 32-bit halves, so the structs holding it need only 4-byte
// alignment (a row is 44 bytes, not 48) without #pragma pack, whose misaligned members
// cannot safely be bound to references.
class SplitU64 {
public:
    constexpr SplitU64(std::uint64_t value = 0)
        : m_low(static_cast<std::uint32_t>(value))
        , m_high(static_cast<std::uint32_t>(value >> 32))
    {
    }
    constexpr operator std::uint64_t() const { return (std::uint64_t(m_high) << 32) | m_low; }

private:
    std::uint32_t m_low;
    std::uint32_t m_high;
};

struct StoredEvent {
    SplitU64 timestampNs = 0;
    std::uint32_t seq = 0;
    std::uint32_t pid = 0;
    std::uint32_t tgid = 0;
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::uint32_t c = 0;
    std::uint32_t d = 0;
    NodeId node = kNoNode; // the process the event is about
    std::uint16_t cpu = 0; // kNoCpuRow when not known
    EventKind kind = EventKind::Unknown;
    std::uint8_t flags : 3 = 0; // bit 0: exit/coredump carried parent fields
    std::uint8_t host : 5 = 0; // the session's host it came from (below capture::kMaxHosts)
};
static_assert(capture::kMaxHosts <= 32, "StoredEvent::host holds 5 bits");
static_assert(sizeof(StoredEvent) == 44);

class SpillFile;

// Append-only and indexable by row: the event table's rows. Rows live in fixed-size chunks, so
// appending never moves earlier rows (no reallocation copies, no doubling slack). Given a
// directory, the chunks are carved from an unnamed file there (SpillFile): the rows of a long
// capture are then paged by the kernel instead of held by the process. Without one, or when the
// file cannot grow, chunks come from the heap.
class EventStore {
public:
    static constexpr std::size_t kChunkRows = 8192;

    EventStore();
    explicit EventStore(const std::string& spillDirectory);
    ~EventStore();
    EventStore(const EventStore&) = delete;
    EventStore& operator=(const EventStore&) = delete;

    std::size_t size() const { return m_size; }
    const StoredEvent& operator[](std::size_t row) const { return m_chunks[row / kChunkRows][row % kChunkRows]; }
    void append(const StoredEvent& event)
    {
        if (m_size % kChunkRows == 0)
            addChunk();
        new (&m_chunks.back()[m_size % kChunkRows]) StoredEvent(event);
        ++m_size;
    }
    // Memory the process holds for the rows (heap chunks and the chunk table).
    std::size_t bytes() const;
    // Bytes of the file the rows are paged to (0 when they are all on the heap).
    std::size_t spilledBytes() const;
    // Why rows are on the heap although a directory was given (empty when they are not).
    const std::string& spillProblem() const { return m_spillProblem; }

    class Iterator {
    public:
        Iterator(const EventStore* store, std::size_t row)
            : m_store(store)
            , m_row(row)
        {
        }
        const StoredEvent& operator*() const { return (*m_store)[m_row]; }
        Iterator& operator++()
        {
            ++m_row;
            return *this;
        }
        bool operator!=(const Iterator& other) const { return m_row != other.m_row; }

    private:
        const EventStore* m_store;
        std::size_t m_row;
    };
    Iterator begin() const { return { this, 0 }; }
    Iterator end() const { return { this, m_size }; }

private:
    void addChunk();

    std::vector<StoredEvent*> m_chunks;
    std::vector<std::unique_ptr<StoredEvent[]>> m_heapChunks;
    std::unique_ptr<SpillFile> m_spill;
    StoredEvent* m_extentNext = nullptr; // spilled chunks not yet in use
    std::size_t m_extentChunksLeft = 0;
    bool m_spillStopped = false; // the file could not (or should not) grow: the rest goes to the heap
    std::size_t m_size = 0;
    std::string m_spillProblem;
};

} // namespace procscope::session
