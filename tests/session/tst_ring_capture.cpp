// SPDX-License-Identifier: GPL-3.0-or-later
// A ring capture (capture::RingWriter) keeps the newest part of a stream within its limit, in
// files that each open alone and together open as one capture, saying what the ring discarded.

#include "capture/encoder.h"
#include "capture/live_processes.h"
#include "capture/ring_files.h"
#include "capture/ring_limits_text.h"
#include "capture/ring_writer.h"
#include "session/capture_loader.h"
#include "session/session.h"
#include "session/summary.h"
#include "support/capture_samples.h"
#include "support/small_disk.h"
#include "support/storm_capture.h"

#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <cstring>
#include <numeric>

using namespace procscope;
using capture::RingLimits;
using capture::RingWriter;

namespace {

constexpr std::uint32_t kMake = 900; // the storm's parent, forked before it

struct Stream
{
    std::vector<std::byte> bytes;
    std::uint64_t events = 0;
    std::uint64_t forks = 0;
};

// `make` (pid 900, child of 1) starts first, then runs a storm of children and exits last:
// its fork is in the ring's first file, its exit in the last.
Stream makeStorm(std::size_t children, std::uint64_t realtimeNs = 0)
{
    Stream s;
    testing::StormWriter::begin(s.bytes, realtimeNs);
    const auto event = [&](std::uint32_t what, const testing::Bytes& payload) {
        capture::appendKernelEvent(static_cast<std::uint32_t>(s.events), 0,
            testing::procEvent(what, 0, testing::StormWriter::kOriginNs, testing::paddedPayload(payload)), s.bytes);
        ++s.events;
    };
    event(0x1, testing::words({ 1, 1, kMake, kMake }));
    ++s.forks;
    event(0x2, testing::words({ kMake, kMake }));
    capture::ProcessRecord make;
    make.source = capture::ProcessSource::Exec;
    make.pid = make.tgid = kMake;
    make.ppid = 1;
    make.eventTimestampNs = testing::StormWriter::kOriginNs;
    make.exe = "/usr/bin/make";
    make.argv = { "make", "-j2" };
    make.comm = "make";
    make.readable = capture::readable::kExe | capture::readable::kArgv | capture::readable::kComm;
    capture::appendRecord(make, s.bytes);
    testing::StormWriter storm;
    for (std::size_t i = 0; i < children; ++i) {
        s.events += storm.child(s.bytes);
        ++s.forks;
    }
    event(0x80000000, testing::words({ kMake, kMake, 0, 17, 1, 1 }));
    storm.end(s.bytes);
    return s;
}

// Feeds `bytes` in pieces of odd sizes, as a socket delivers them.
bool feed(RingWriter& ring, const std::vector<std::byte>& bytes, std::size_t piece = 7001)
{
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        if (!ring.write(std::span(bytes).subspan(at, std::min(piece, bytes.size() - at))))
            return false;
    }
    return true;
}

std::uint64_t bytesOnDisk(const std::vector<std::string>& files)
{
    std::uint64_t total = 0;
    for (const std::string& file : files)
        total += std::filesystem::file_size(file);
    return total;
}

} // namespace

class TestRingCapture : public QObject {
    Q_OBJECT

private slots:
    void fileNames()
    {
        // 2026-12-03 15:50:12 UTC
        const std::string path = capture::ringFilePath("/tmp/x/build.pscap", 7, 1796313012);
        QCOMPARE(QString::fromStdString(path), u"/tmp/x/build_00007_20261203155012.pscap"_qs);
        const capture::RingFileName parsed = capture::parseRingFileName(path);
        QCOMPARE(parsed.number, 7u);
        QCOMPARE(QString::fromStdString(parsed.stem), u"build"_qs);
        QCOMPARE(QString::fromStdString(parsed.extension), u".pscap"_qs);
        QCOMPARE(capture::parseRingFileName("/tmp/x/my_build_00123_20261203155012.pscap").stem, std::string("my_build"));
        QCOMPARE(capture::parseRingFileName("/tmp/x/build_123456_20261203155012").number, 123456u);
        // Not ring files: plain names, too few digits, a time that is not 14 digits, number 0.
        for (const char* plain : { "/tmp/build.pscap", "/tmp/build_0001_20261203155012.pscap", "/tmp/build_00001_2026120315501.pscap",
                 "/tmp/build_00000_20261203155012.pscap", "/tmp/_00001_20261203155012.pscap", "/tmp/build_0000a_20261203155012.pscap" })
            QVERIFY2(capture::parseRingFileName(plain).number == 0, plain);
        QVERIFY(capture::ringFiles("/tmp/build.pscap").empty());
    }

    void limitsAsPeopleWriteThem()
    {
        std::string error;
        QCOMPARE(capture::parseRingSize("500M", error), std::optional<std::uint64_t>(500ull << 20));
        QCOMPARE(capture::parseRingSize("2G", error), std::optional<std::uint64_t>(2ull << 30));
        QCOMPARE(capture::parseRingSize("1.5GiB", error), std::optional<std::uint64_t>(3ull << 29));
        QCOMPARE(capture::parseRingSize("800 mb", error), std::optional<std::uint64_t>(800ull << 20));
        for (const char* bad : { "", "G", "2X", "-1G", "512K", "2000T", ".5G", "1e9" }) {
            error.clear();
            QVERIFY2(!capture::parseRingSize(bad, error), bad);
            QVERIFY2(!error.empty(), bad);
        }
        constexpr std::uint64_t kSecond = 1'000'000'000;
        QCOMPARE(capture::parseRingAge("12h", error), std::optional<std::uint64_t>(12 * 3600 * kSecond));
        QCOMPARE(capture::parseRingAge("30m", error), std::optional<std::uint64_t>(30 * 60 * kSecond));
        QCOMPARE(capture::parseRingAge("2d", error), std::optional<std::uint64_t>(2 * 86400 * kSecond));
        QCOMPARE(capture::parseRingAge("90s", error), std::optional<std::uint64_t>(90 * kSecond));
        for (const char* bad : { "12", "5s", "400d", "h", "3w" }) {
            error.clear();
            QVERIFY2(!capture::parseRingAge(bad, error), bad);
            QVERIFY2(!error.empty(), bad);
        }
        QCOMPARE(capture::describeRingSize(2ull << 30), std::string("2 GiB"));
        QCOMPARE(capture::describeRingSize(3ull << 29), std::string("1.5 GiB"));
        QCOMPARE(capture::describeRingAge(12 * 3600 * kSecond), std::string("12 h"));
        QCOMPARE(capture::describeRingAge(2 * 86400 * kSecond), std::string("2 d"));
        QCOMPARE(capture::describeRingAge(30 * 60 * kSecond), std::string("30 min"));
    }

    void keepsItsBoundAndOpensAsOne()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        const Stream stream = makeStorm(40'000); // about 9 MiB
        constexpr std::uint64_t kLimit = 2 << 20;
        std::string error;
        auto ring = RingWriter::create(base, RingLimits { kLimit, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        QVERIFY(feed(*ring, stream.bytes));
        ring->sync();

        const std::vector<std::string> files = capture::ringFilesOf(base);
        QCOMPARE(files, ring->keptFiles());
        QVERIFY2(files.size() >= 7 && files.size() <= 8, qPrintable(QString::number(files.size())));
        QVERIFY(capture::parseRingFileName(files.front()).number > 1); // the first ones went
        const std::uint64_t onDisk = bytesOnDisk(files);
        QCOMPARE(onDisk, ring->keptBytes());
        QVERIFY2(onDisk <= kLimit + 4096, qPrintable(QString::number(onDisk)));
        QVERIFY(ring->discardedEvents() > stream.events / 2);
        QVERIFY(ring->discardedFiles() > 0);
        for (const std::string& file : files) {
            const std::vector<std::byte> head = testing::readBytes(file);
            QVERIFY(head.size() > capture::kPreambleSize);
            QCOMPARE(std::to_integer<int>(head[10]), int(capture::kRingMinorVersion)); // 2.2: holds RingFile records
        }

        // Any one of the files opens the whole ring.
        session::Session session;
        const session::LoadResult loaded = session::loadCapture(files[files.size() / 2], session);
        QVERIFY2(loaded.ok(), loaded.damage ? loaded.damage->message().c_str() : "");
        QVERIFY(loaded.skipped.empty());
        QVERIFY(session.trailer()); // the last file ends as the stream did
        const session::RingDiscards& discards = session.ringDiscards();
        QVERIFY(discards.ring);
        QCOMPARE(discards.firstFile, capture::parseRingFileName(files.front()).number);
        QCOMPARE(discards.events, ring->discardedEvents());
        QCOMPARE(session.host(0).events + discards.events, stream.events);
        QCOMPARE(std::accumulate(discards.byKind.begin(), discards.byKind.end(), std::uint64_t { 0 }), discards.events);
        std::uint64_t forksKept = 0;
        for (const session::StoredEvent& row : session.events())
            forksKept += row.kind == session::EventKind::Fork ? 1 : 0;
        QCOMPARE(forksKept + discards.byKind[0], stream.forks);
        // --summary says so, apart from the losses.
        const std::string summary = session::summarize(session);
        const std::string line = "ring:       read from file " + std::to_string(discards.firstFile)
            + "; older events discarded by the ring: " + std::to_string(discards.events) + " (fork " + std::to_string(discards.byKind[0]);
        QVERIFY2(summary.find(line) != std::string::npos, summary.c_str());
        QVERIFY2(summary.find("losses:     none") != std::string::npos, summary.c_str());

        // make's fork is in a discarded file: it still has its parent, its name, its command
        // line, its children and its exit, once, however many files repeated it.
        const session::Lineage& lineage = session.lineage();
        std::size_t makes = 0;
        session::NodeId make = session::kNoNode;
        for (session::NodeId id = 0; id < lineage.size(); ++id) {
            if (lineage.node(id).pid == kMake) {
                ++makes;
                make = id;
            }
        }
        QCOMPARE(makes, std::size_t(1));
        const session::ProcessNode& node = lineage.node(make);
        QCOMPARE(node.parentPid, 1u);
        QCOMPARE(session.strings().view(node.name), std::string_view("make"));
        QVERIFY(node.exitStatus.has_value());
        QVERIFY(node.firstChild != session::kNoNode);
    }

    void aFileOpensAlone()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        const Stream stream = makeStorm(10'000);
        std::string error;
        auto ring = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        QVERIFY(feed(*ring, stream.bytes, 65536));
        const std::vector<std::string> files = ring->keptFiles();
        QVERIFY(files.size() >= 3);
        // A copy under another name is not part of a ring: it opens alone.
        const std::string alone = dir.filePath(u"one-file.pscap"_qs).toStdString();
        std::filesystem::copy_file(files[1], alone);
        session::Session session;
        QVERIFY(session::loadCapture(alone, session).ok());
        QVERIFY(session.ringDiscards().ring);
        QCOMPARE(session.ringDiscards().firstFile, capture::parseRingFileName(files[1]).number);
        QVERIFY(session.ringDiscards().events > 0);
        QVERIFY(!session.trailer()); // the capture went on in the next file
        // Its snapshot: make is running, with its parent, before any event of this file.
        const session::NodeId make = session.lineage().find(kMake);
        QVERIFY(make != session::kNoNode);
        QCOMPARE(session.lineage().node(make).parentPid, 1u);
        QVERIFY(session.lineage().node(make).fromSnapshot);
        QVERIFY(session.lineage().node(make).firstChild != session::kNoNode);
    }

    void missingFilesCountAsDiscarded()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        const Stream stream = makeStorm(10'000);
        std::string error;
        auto ring = RingWriter::create(base, RingLimits { 4 << 20, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        QVERIFY(feed(*ring, stream.bytes));
        const std::vector<std::string> files = ring->keptFiles();
        QVERIFY(files.size() >= 4);
        QCOMPARE(ring->discardedEvents(), std::uint64_t(0));
        session::Session whole;
        QVERIFY(session::loadCapture(files.front(), whole).ok());
        const std::uint64_t middle = whole.host(0).events;
        QCOMPARE(middle, stream.events);
        std::filesystem::remove(files[2]);
        session::Session gapped;
        QVERIFY(session::loadCapture(files.back(), gapped).ok());
        QVERIFY(gapped.ringDiscards().events > 0);
        QCOMPARE(gapped.host(0).events + gapped.ringDiscards().events, stream.events);
        // The processes described again after the gap are not doubled.
        std::size_t makes = 0;
        for (session::NodeId id = 0; id < gapped.lineage().size(); ++id)
            makes += gapped.lineage().node(id).pid == kMake ? 1 : 0;
        QCOMPARE(makes, std::size_t(1));
    }

    void anotherCapturesFileStopsTheSet()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        std::string error;
        auto ring = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        QVERIFY(feed(*ring, makeStorm(6'000).bytes));
        const std::vector<std::string> files = ring->keptFiles();
        QVERIFY(files.size() >= 3);
        // Another capture's file, named as if it were the next of this ring.
        const std::string stranger = capture::ringFilePath(base, capture::parseRingFileName(files.back()).number + 1, 0);
        const Stream other = makeStorm(10, 5'000'000'000);
        {
            std::vector<std::byte> bytes = other.bytes;
            std::FILE* f = std::fopen(stranger.c_str(), "wb");
            QVERIFY(f);
            QCOMPARE(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
            std::fclose(f);
        }
        // Its header differs in its clock: it is refused, and what came before it is kept.
        session::Session session;
        const session::LoadResult loaded = session::loadCapture(files.front(), session);
        QVERIFY(loaded.ioError);
        QVERIFY2(loaded.ioError->find("another capture") != std::string::npos, loaded.ioError->c_str());
        QVERIFY(session.host(0).events > 0);
    }

    void keepsByAge()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        std::uint64_t now = 0;
        std::string error;
        constexpr std::uint64_t kSecond = 1'000'000'000;
        auto ring = RingWriter::create(base, RingLimits { 0, 80 * kSecond }, &error, [&now] { return now; });
        QVERIFY2(ring, error.c_str());
        const Stream stream = makeStorm(20'000);
        // A second passes with every piece: 10 s per file, 80 s kept.
        constexpr std::size_t kPiece = 4096;
        for (std::size_t at = 0; at < stream.bytes.size(); at += kPiece, now += kSecond)
            QVERIFY(ring->write(std::span(stream.bytes).subspan(at, std::min(kPiece, stream.bytes.size() - at))));
        const std::size_t pieces = (stream.bytes.size() + kPiece - 1) / kPiece;
        QVERIFY(pieces > 200);
        const std::vector<std::string> files = capture::ringFilesOf(base);
        QCOMPARE(files, ring->keptFiles());
        // 80 s of closed files at 10 s each, and the one being written (one more when a file
        // ended just inside the 80 s).
        QVERIFY2(files.size() >= 8 && files.size() <= 10, qPrintable(QString::number(files.size())));
        QVERIFY(ring->discardedEvents() > 0);
        session::Session session;
        QVERIFY(session::loadCapture(files.front(), session).ok());
        QCOMPARE(session.host(0).events + session.ringDiscards().events, stream.events);
    }

    void aNewRingReplacesTheOld()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        std::string error;
        {
            auto first = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error);
            QVERIFY(first);
            QVERIFY(feed(*first, makeStorm(6'000).bytes));
            QVERIFY(capture::ringFilesOf(base).size() > 2);
        }
        auto second = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error);
        QVERIFY(second);
        QVERIFY(feed(*second, makeStorm(10).bytes));
        QCOMPARE(capture::ringFilesOf(base).size(), std::size_t(1));
        session::Session session;
        QVERIFY(session::loadCapture(capture::ringFilesOf(base).front(), session).ok());
        QCOMPARE(session.ringDiscards().events, std::uint64_t(0));
        QCOMPARE(session.ringDiscards().firstFile, 1u);
    }

    // Thousands of running processes make each file's opening larger than its share of a small
    // ring: the files grow past their share instead of starting one per event, and the disk
    // still holds no more than the ring.
    void aLargeOpeningKeepsTheBound()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"busy.pscap"_qs).toStdString();
        std::vector<std::byte> bytes;
        testing::StormWriter::begin(bytes);
        for (std::uint32_t pid = 40'000; pid < 43'000; ++pid) { // the helper's start-up snapshot (pids the storm does not use)
            capture::ProcessRecord p;
            p.pid = p.tgid = pid;
            p.ppid = 1;
            p.comm = "worker";
            p.exe = "/usr/lib/some/long/path/to/a/service/binary";
            p.argv = { p.exe, "--config", "/etc/service/instance-" + std::to_string(pid) + ".conf", "--verbose" };
            p.readable = capture::readable::kComm | capture::readable::kExe | capture::readable::kArgv | capture::readable::kPpid;
            capture::appendRecord(p, bytes);
        }
        const std::size_t snapshotBytes = bytes.size();
        QVERIFY(snapshotBytes > 256 * 1024); // more than a 1 MiB ring's eighth
        testing::StormWriter storm;
        std::uint64_t events = 0;
        while (bytes.size() < snapshotBytes + (4 << 20))
            events += storm.child(bytes);
        std::string error;
        auto ring = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        QVERIFY(feed(*ring, bytes));
        const std::vector<std::string> files = capture::ringFilesOf(base);
        QVERIFY2(bytesOnDisk(files) <= (1 << 20) + 4096, qPrintable(QString::number(bytesOnDisk(files))));
        QVERIFY2(capture::parseRingFileName(files.back()).number < 40, files.back().c_str()); // not a file per event
        session::Session session;
        QVERIFY(session::loadCapture(files.front(), session).ok());
        QCOMPARE(session.host(0).events + session.ringDiscards().events, events);
        QVERIFY(session.lineage().find(42'999) != session::kNoNode); // from the opening's snapshot
    }

    // What a file's opening describes as running: not a process whose description came after
    // its exit, nor one the system says is gone.
    void theSnapshotHoldsOnlyRunningProcesses()
    {
        capture::LiveProcesses live;
        const auto event = [&](std::uint32_t what, const testing::Bytes& payload, std::uint64_t ts) {
            capture::KernelEventRecord record;
            record.procEvent = testing::procEvent(what, 0, ts, testing::paddedPayload(payload));
            live.note(record);
        };
        const auto described = [&](std::uint32_t pid, std::uint64_t execNs) {
            capture::ProcessRecord p;
            p.source = capture::ProcessSource::Exec;
            p.pid = p.tgid = pid;
            p.eventTimestampNs = execNs;
            p.comm = "p" + std::to_string(pid);
            p.readable = capture::readable::kComm;
            live.note(p);
        };
        event(0x1, testing::words({ 1, 1, 10, 10 }), 100);
        event(0x2, testing::words({ 10, 10 }), 110);
        event(0x80000000, testing::words({ 10, 10, 0, 17, 1, 1 }), 120);
        described(10, 110); // read at its exec, written after its exit
        event(0x1, testing::words({ 1, 1, 11, 11 }), 130);
        event(0x2, testing::words({ 11, 11 }), 140);
        described(11, 140);
        event(0x1, testing::words({ 1, 1, 12, 12 }), 150); // its exit is never seen
        event(0x1, testing::words({ 11, 11, 13, 13 }), 160); // a child running what 11 runs
        std::vector<std::uint32_t> pids;
        for (const capture::ProcessRecord& p : live.snapshot())
            pids.push_back(p.tgid);
        QCOMPARE(pids, (std::vector<std::uint32_t> { 11, 12, 13 }));
        QCOMPARE(live.snapshot()[2].comm, std::string("p11"));
        QCOMPARE(live.snapshot()[2].ppid, 11u);
        QCOMPARE(live.events(), std::uint64_t(7));
        live.forgetGone([](std::uint32_t tgid) { return tgid != 12; });
        QCOMPARE(live.size(), std::size_t(2));
        // A pid used again after an exit is running again.
        event(0x1, testing::words({ 1, 1, 10, 10 }), 170);
        described(10, 180);
        QCOMPARE(live.size(), std::size_t(3));
    }

    void aCaptureThatNeverStartedReplacesNothing()
    {
        QTemporaryDir dir;
        const std::string base = dir.filePath(u"storm.pscap"_qs).toStdString();
        std::string error;
        {
            auto first = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error, {}, [] { return std::int64_t(1'700'000'000); });
            QVERIFY(first);
            QVERIFY(feed(*first, makeStorm(6'000).bytes));
        }
        const std::vector<std::string> before = capture::ringFilesOf(base);
        QVERIFY(before.size() > 2);
        {
            // Started, but no helper ever said anything (a password prompt cancelled, say).
            auto second = RingWriter::create(base, RingLimits { 1 << 20, 0 }, &error, {}, [] { return std::int64_t(1'800'000'000); });
            QVERIFY(second);
        }
        QCOMPARE(capture::ringFilesOf(base), before); // and its own empty file is gone
    }

    void cannotCreate()
    {
        std::string error;
        QVERIFY(!RingWriter::create("/nonexistent-directory/x.pscap", RingLimits { 1 << 20, 0 }, &error));
        QVERIFY2(error.find("/nonexistent-directory/x_00001_") == 0 && error.find("No such file") != std::string::npos, error.c_str());
    }

    void saysWhenTheDiskIsNearlyFull()
    {
        testing::SmallDisk disk(3 * 1024);
        if (!disk.mounted())
            QSKIP(qPrintable(disk.problem()));
        std::string error;
        // A ring larger than the disk: the capture is told to stop before the disk fills.
        auto ring = RingWriter::create(disk.filePath(u"storm.pscap"_qs).toStdString(), RingLimits { 64 << 20, 0 }, &error);
        QVERIFY2(ring, error.c_str());
        const Stream stream = makeStorm(12'000);
        constexpr std::size_t kPiece = 4096;
        std::size_t at = 0;
        for (; at < stream.bytes.size() && !ring->nearlyFull(); at += kPiece)
            QVERIFY2(ring->write(std::span(stream.bytes).subspan(at, std::min(kPiece, stream.bytes.size() - at))), std::strerror(ring->error()));
        QVERIFY(ring->nearlyFull());
        QVERIFY(at < stream.bytes.size());
        QVERIFY(ring->freeBytes() < 2 << 20);
        // What was written reads whole: the capture can stop with its file intact.
        session::Session session;
        QVERIFY(session::loadCapture(ring->currentFile(), session).ok());
        QVERIFY(session.host(0).events > 1000);
    }
};

QTEST_GUILESS_MAIN(TestRingCapture)
#include "tst_ring_capture.moc"
