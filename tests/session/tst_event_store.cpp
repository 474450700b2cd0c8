// SPDX-License-Identifier: GPL-3.0-or-later
// The event store paged to an unnamed file: rows read back as written, the process holds
// almost nothing for them, nothing is left in the directory, and when the file cannot be made
// or cannot grow (a full disk) the rows go to memory instead, none lost.

#include "support/small_disk.h"

#include "session/event_store.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace procscope;
using namespace procscope::session;

namespace {

StoredEvent rowNumber(std::size_t n)
{
    StoredEvent event;
    event.timestampNs = 1'000'000'000ull + n * 1000;
    event.seq = static_cast<std::uint32_t>(n);
    event.pid = event.tgid = static_cast<std::uint32_t>(1000 + n % 30000);
    event.a = static_cast<std::uint32_t>(n * 7);
    event.d = static_cast<std::uint32_t>(~n);
    event.node = static_cast<NodeId>(n / 3);
    event.kind = static_cast<EventKind>(n % kEventKindCount);
    return event;
}

bool same(const StoredEvent& left, const StoredEvent& right) { return std::memcmp(&left, &right, sizeof left) == 0; }

void fill(EventStore& store, std::size_t rows)
{
    for (std::size_t n = 0; n < rows; ++n)
        store.append(rowNumber(n));
}

bool allThere(const EventStore& store, std::size_t rows)
{
    if (store.size() != rows)
        return false;
    for (std::size_t n = 0; n < rows; ++n) {
        if (!same(store[n], rowNumber(n)))
            return false;
    }
    return true;
}

} // namespace

class TestEventStore : public QObject {
    Q_OBJECT

private slots:
    void rowsArePagedToAnUnnamedFile()
    {
        QTemporaryDir dir;
        constexpr std::size_t kRows = 40 * EventStore::kChunkRows + 123;
        {
            EventStore store(QFile::encodeName(dir.path()).toStdString());
            fill(store, kRows);
            QVERIFY(store.spillProblem().empty());
            QVERIFY(allThere(store, kRows));
            QVERIFY(store.spilledBytes() >= kRows * sizeof(StoredEvent));
            // In memory: the table of chunks, not the rows.
            QVERIFY2(store.bytes() < kRows, qPrintable(QString::number(store.bytes())));
            QVERIFY(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
        }
        QVERIFY(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void withoutADirectoryRowsAreInMemory()
    {
        EventStore store;
        fill(store, 3 * EventStore::kChunkRows);
        QVERIFY(allThere(store, 3 * EventStore::kChunkRows));
        QCOMPARE(store.spilledBytes(), std::size_t(0));
        QVERIFY(store.bytes() >= 3 * EventStore::kChunkRows * sizeof(StoredEvent));
        QVERIFY(store.spillProblem().empty());
    }

    void aDirectoryThatCannotBeUsedSaysWhyAndKeepsEverything()
    {
        QTemporaryDir dir;
        EventStore store(QFile::encodeName(dir.filePath(u"missing"_qs)).toStdString());
        QVERIFY(!store.spillProblem().empty());
        QVERIFY2(QString::fromStdString(store.spillProblem()).contains(u"missing"_qs), store.spillProblem().c_str());
        fill(store, EventStore::kChunkRows + 1);
        QVERIFY(allThere(store, EventStore::kChunkRows + 1));
    }

    void aFullDiskMovesTheRestToMemory()
    {
        testing::SmallDisk disk(8 * 1024);
        if (!disk.mounted())
            QSKIP(qPrintable(disk.problem()));
        EventStore store(QFile::encodeName(disk.path()).toStdString());
        QVERIFY(store.spillProblem().empty());
        constexpr std::size_t kRows = 100 * EventStore::kChunkRows; // 35 MiB: more than the disk holds
        fill(store, kRows);
        QVERIFY(allThere(store, kRows));
        // It stopped while the reserve a capture keeps (1 MiB of this disk) was still free.
        QVERIFY2(QString::fromStdString(store.spillProblem()).contains(u"nearly full"_qs), store.spillProblem().c_str());
        QVERIFY(store.spilledBytes() > 0 && store.spilledBytes() <= 7 * 1024 * 1024);
        QVERIFY(store.bytes() + store.spilledBytes() >= kRows * sizeof(StoredEvent));
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_event_store.moc"
