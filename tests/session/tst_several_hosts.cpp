// SPDX-License-Identifier: GPL-3.0-or-later
// A session of several hosts: the version 3 file that carries each host's own stream, read back
// into one session where pids are per host, clocks are aligned through each host's header, and
// a broken connection is marked where it happened.

#include "capture/encoder.h"
#include "capture/host_multiplexer.h"
#include "session/capture_loader.h"
#include "session/display_filter.h"
#include "session/exporters.h"
#include "session/session.h"
#include "session/timeline_layout.h"
#include "support/capture_samples.h"

#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <sstream>

using namespace procscope;
using namespace procscope::session;

namespace {

std::vector<capture::Record> recordsOf(std::span<const std::byte> bytes)
{
    return testing::decodeAll(bytes).records;
}

// The sample capture as another machine would have sent it: its own name, and its monotonic
// clock `aheadNs` ahead of the sample's at the same wall-clock time.
std::vector<std::byte> asAnotherHost(
    std::span<const std::byte> sample, const std::string& name, std::uint64_t aheadNs)
{
    std::vector<capture::Record> records = recordsOf(sample);
    auto& header = std::get<capture::HeaderRecord>(records.front());
    header.hostName = name;
    header.monotonicNs += aheadNs;
    return testing::encodeStream(records);
}

struct TwoHosts
{
    std::vector<std::byte> local;
    std::vector<std::byte> remote;
};

// Interleaves the two streams in pieces of `piece` bytes, as two readers would write them.
std::vector<std::byte> multiplexed(
    const TwoHosts& hosts, std::size_t piece, std::optional<capture::HostEndRecord> remoteEnd = {})
{
    std::vector<std::byte> out;
    capture::appendPreamble(out, capture::kMultiHostMajorVersion);
    capture::appendRecord(capture::HostRecord { 0, "desk", "local" }, out);
    capture::appendRecord(capture::HostRecord { 1, "build1", "ssh://root@build1" }, out);
    for (std::size_t at = 0; at < std::max(hosts.local.size(), hosts.remote.size()); at += piece) {
        for (const auto& [index, bytes] :
            { std::pair { 0, &hosts.local }, std::pair { 1, &hosts.remote } }) {
            if (at < bytes->size())
                capture::appendHostBytes(std::uint16_t(index),
                    std::span(*bytes).subspan(at, std::min(piece, bytes->size() - at)), out);
        }
    }
    if (remoteEnd)
        capture::appendRecord(*remoteEnd, out);
    return out;
}

std::size_t rowsOfHost(const Session& session, std::uint8_t host, EventKind kind)
{
    std::size_t n = 0;
    for (const StoredEvent& row : session.events())
        n += row.host == host && row.kind == kind ? 1 : 0;
    return n;
}

} // namespace

class TestSeveralHosts : public QObject
{
    Q_OBJECT

    std::vector<std::byte> m_sample = testing::readBytes(PROCSCOPE_SAMPLE_CAPTURE);
    Session m_alone;

private slots:
    void initTestCase()
    {
        QVERIFY(!m_sample.empty());
        QVERIFY(loadCapture(m_sample, m_alone).ok());
        QVERIFY(m_alone.lineage().size() > 10);
    }

    void aOneHostFileIsOneHostNamedByItsHeader()
    {
        QCOMPARE(m_alone.hosts().size(), std::size_t(1));
        QVERIFY(!m_alone.severalHosts());
        QCOMPARE(m_alone.hosts()[0].label, m_alone.header()->hostName);
        QVERIFY(m_alone.hosts()[0].address.empty());
        for (const StoredEvent& row : m_alone.events())
            QCOMPARE(int(row.host), 0);
    }

    void eachHostKeepsItsOwnProcesses_data()
    {
        QTest::addColumn<int>("piece");
        QTest::newRow("whole streams") << (1 << 20); // pieces larger than either stream
        QTest::newRow("small pieces") << 97;
        QTest::newRow("one byte at a time") << 1;
    }
    void eachHostKeepsItsOwnProcesses()
    {
        QFETCH(int, piece);
        const TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", 0) };
        Session session;
        const LoadResult result = loadCapture(multiplexed(hosts, std::size_t(piece)), session);
        QVERIFY2(result.ok(), result.damage ? result.damage->message().c_str() : "");
        QVERIFY(result.skipped.empty());
        QCOMPARE(session.hosts().size(), std::size_t(2));
        QVERIFY(session.severalHosts());
        QCOMPARE(session.hosts()[0].label, std::string("desk"));
        QCOMPARE(session.hosts()[1].label, std::string("build1"));
        QCOMPARE(session.hosts()[1].address, std::string("ssh://root@build1"));
        QCOMPARE(session.hosts()[1].header->hostName, std::string("build1"));
        // The same pids on two machines are different processes.
        QCOMPARE(session.lineage().size(), 2 * m_alone.lineage().size());
        QCOMPARE(session.events().size(), 2 * m_alone.events().size());
        for (const std::uint8_t host : { 0, 1 }) {
            QCOMPARE(session.hosts()[host].events, m_alone.hosts()[0].events);
            QCOMPARE(rowsOfHost(session, host, EventKind::Exec),
                rowsOfHost(m_alone, 0, EventKind::Exec));
            QCOMPARE(session.hosts()[host].losses, m_alone.losses());
            QVERIFY(session.hosts()[host].trailer.has_value());
        }
        const std::uint32_t pid
            = m_alone.lineage().node(m_alone.events()[m_alone.events().size() / 2].node).pid;
        const NodeId onDesk = session.lineage().find(pid, 0);
        const NodeId onBuild1 = session.lineage().find(pid, 1);
        QVERIFY(onDesk != kNoNode && onBuild1 != kNoNode && onDesk != onBuild1);
        QCOMPARE(int(session.lineage().node(onDesk).host), 0);
        QCOMPARE(int(session.lineage().node(onBuild1).host), 1);
        // Parents stay within their host.
        for (NodeId id = 0; id < session.lineage().size(); ++id) {
            const ProcessNode& node = session.lineage().node(id);
            if (node.parent != kNoNode)
                QCOMPARE(session.lineage().node(node.parent).host, node.host);
        }
        QCOMPARE(session.totalLost(), 2 * m_alone.totalLost());
    }

    void filtersAndExportsNameTheHost()
    {
        const TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", 0) };
        Session session;
        QVERIFY(loadCapture(multiplexed(hosts, 4096), session).ok());
        auto compiled = DisplayFilter::compile(R"(host == "build1")");
        QVERIFY(std::holds_alternative<DisplayFilter>(compiled));
        const DisplayFilter& onBuild1 = std::get<DisplayFilter>(compiled);
        std::size_t matched = 0;
        for (std::size_t row = 0; row < session.events().size(); ++row) {
            const bool match = onBuild1.matches(session, row);
            QCOMPARE(match, session.events()[row].host == 1);
            matched += match ? 1 : 0;
        }
        QCOMPARE(matched, m_alone.events().size());

        std::ostringstream jsonl, csv, chrome, alone;
        exportEvents(session, ExportFormat::Jsonl, jsonl);
        exportEvents(session, ExportFormat::Csv, csv);
        exportEvents(session, ExportFormat::ChromeTrace, chrome);
        exportEvents(m_alone, ExportFormat::Jsonl, alone);
        QVERIFY(jsonl.str().find(R"("host":"build1")") != std::string::npos);
        QVERIFY(jsonl.str().find(R"("host":"desk")") != std::string::npos);
        QVERIFY(csv.str().substr(0, csv.str().find('\n')).find(",host,") != std::string::npos);
        // The hosts' events interleave in the order they happened (the file has them in pieces,
        // one host's after the other's): in time order, and both hosts in turn.
        std::istringstream lines(jsonl.str());
        std::uint64_t previous = 0;
        std::size_t lineCount = 0, hostChanges = 0;
        std::string line, previousHost;
        while (std::getline(lines, line)) {
            const std::size_t at = line.find("\"ts_ns\":");
            QVERIFY(at != std::string::npos);
            const std::uint64_t ts = std::stoull(line.substr(at + 8));
            QVERIFY2(ts >= previous, line.c_str());
            previous = ts;
            const std::string host = line.substr(line.find("\"host\":"), 14);
            hostChanges += !previousHost.empty() && host != previousHost ? 1 : 0;
            previousHost = host;
            ++lineCount;
        }
        QCOMPARE(lineCount, session.events().size());
        QVERIFY(hostChanges > session.events().size() / 4); // not one host's block after the other's
        QVERIFY(alone.str().find(R"("host")")
            == std::string::npos); // one host: the export is as it always was
        // Perfetto keeps the hosts' processes apart: host 1's pids are moved up by 10,000,000.
        const std::uint32_t pid = m_alone.lineage().node(0).pid;
        QVERIFY(chrome.str().find("\"pid\":" + std::to_string(10'000'000 + pid) + ",")
            != std::string::npos);
        QVERIFY(chrome.str().find("\"pid\":" + std::to_string(pid) + ",") != std::string::npos);
    }

    void eachHostHasItsRates()
    {
        const TwoHosts hosts { m_sample,
            asAnotherHost(m_sample, "build1", 2'000'000'000ULL) }; // 2 s apart
        Session session;
        QVERIFY(loadCapture(multiplexed(hosts, 4096), session).ok());
        const auto all = session.rates().resample(0, 50);
        const auto desk = session.resampleHost(0, 0, 50);
        const auto build1 = session.resampleHost(1, 0, 50);
        QCOMPARE(desk.points.size(), all.points.size());
        QCOMPARE(build1.points.size(), all.points.size());
        std::uint64_t deskTotal = 0, build1Total = 0;
        for (std::size_t p = 0; p < all.points.size(); ++p) {
            for (std::size_t k = 0; k < all.points[p].size(); ++k) {
                QCOMPARE(desk.points[p][k] + build1.points[p][k], all.points[p][k]);
            }
            deskTotal += desk.points[p][std::size_t(EventKind::Fork)];
            build1Total += build1.points[p][std::size_t(EventKind::Fork)];
        }
        QCOMPARE(deskTotal, build1Total); // the same capture on each
        QVERIFY(deskTotal > 0);
    }

    void theTimelineHasABandPerHost()
    {
        const TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", 0) };
        Session session;
        QVERIFY(loadCapture(multiplexed(hosts, 4096), session).ok());
        const Lineage& lineage = session.lineage();
        // The last process of host 0, left out on both hosts (as each host's capture helper
        // is): the same pid must be found and skipped per host.
        std::uint32_t skippedPid = 0;
        for (NodeId id = 0; id < lineage.size(); ++id)
            skippedPid = lineage.node(id).host == 0 && lineage.node(id).parent != kNoNode ? lineage.node(id).pid : skippedPid;
        QVERIFY(skippedPid != 0);
        TimelineLayout layout;
        layout.setSkippedRoots({ lineage.find(skippedPid, 0), lineage.find(skippedPid, 1) });
        QVERIFY(layout.update(lineage, session.header()->monotonicNs));
        // Each band opens with a header lane naming its host; every process of host 0 lies
        // between the first header and the second, every process of host 1 after it.
        QCOMPARE(layout.headerOf(0), 0);
        QVERIFY(layout.lane(0).empty());
        std::size_t second = 0;
        for (std::size_t l = 1; l < layout.laneCount() && second == 0; ++l)
            second = layout.headerOf(l) == 1 ? l : 0;
        QVERIFY(second > 1);
        QVERIFY(layout.lane(second).empty());
        std::size_t placed[2] = {};
        for (NodeId id = 0; id < lineage.size(); ++id) {
            const ProcessNode& node = lineage.node(id);
            const std::uint32_t lane = layout.laneOf(id);
            if (lane == TimelineLayout::kNoLane)
                continue; // kernel threads and the helpers
            ++placed[node.host];
            QVERIFY2(node.host == 0 ? lane > 0 && lane < second : lane > second,
                qPrintable(u"pid %1 of host %2 in lane %3"_qs.arg(node.pid).arg(node.host).arg(lane)));
            if (node.parent != kNoNode && layout.laneOf(node.parent) != TimelineLayout::kNoLane)
                QVERIFY(layout.laneOf(node.parent) < lane);
        }
        QCOMPARE(placed[0], placed[1]); // the same capture on each
        QVERIFY(placed[0] > 5);
        for (std::uint8_t host : { std::uint8_t(0), std::uint8_t(1) }) {
            const NodeId skipped = lineage.find(skippedPid, host);
            QVERIFY(skipped != kNoNode);
            QCOMPARE(lineage.node(skipped).host, host);
            QCOMPARE(layout.laneOf(skipped), TimelineLayout::kNoLane);
        }
        // One host alone has no header lane.
        TimelineLayout alone;
        QVERIFY(alone.update(m_alone.lineage(), m_alone.header()->monotonicNs));
        for (std::size_t l = 0; l < alone.laneCount(); ++l)
            QCOMPARE(alone.headerOf(l), -1);
    }

    void clocksAreAlignedThroughTheHeaders()
    {
        // build1's monotonic clock reads 5 s more than desk's at the same wall-clock time: its
        // events, stamped with the same numbers, happened 5 s earlier.
        constexpr std::uint64_t kAhead = 5'000'000'000ULL;
        const TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", kAhead) };
        Session session;
        QVERIFY(loadCapture(multiplexed(hosts, 4096), session).ok());
        QCOMPARE(session.hosts()[1].clockOffsetNs, -std::int64_t(kAhead));
        QCOMPARE(session.header()->hostName,
            m_alone.header()->hostName); // the session's clock is the first host's
        std::vector<std::uint64_t> desk, build1;
        for (const StoredEvent& row : session.events())
            (row.host == 0 ? desk : build1).push_back(row.timestampNs);
        QCOMPARE(desk.size(), build1.size());
        for (std::size_t i = 0; i < desk.size(); ++i)
            QCOMPARE(build1[i], desk[i] - kAhead);
        // The processes' start times moved with them.
        const std::uint32_t pid
            = m_alone.lineage().node(m_alone.events()[m_alone.events().size() - 1].node).pid;
        const ProcessNode& a = session.lineage().node(session.lineage().find(pid, 0));
        const ProcessNode& b = session.lineage().node(session.lineage().find(pid, 1));
        if (a.startNs > kAhead)
            QCOMPARE(b.startNs, a.startNs - kAhead);
    }

    void aLostConnectionIsMarkedWhereItHappened()
    {
        TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", 0) };
        hosts.remote.resize(hosts.remote.size() * 2 / 3); // the rest never came
        const auto& header = *m_alone.header();
        const std::uint64_t cutNs = m_alone.events()[m_alone.events().size() / 2].timestampNs;
        const capture::HostEndRecord end { 1, capture::HostEndReason::ConnectionLost,
            header.realtimeNs + (cutNs - header.monotonicNs), "connection to build1 lost" };
        Session session;
        const LoadResult result = loadCapture(multiplexed(hosts, 1000, end), session);
        QVERIFY2(result.ok(), result.damage ? result.damage->message().c_str() : "");
        // The cut inside a record is explained by the lost connection: not damage.
        QVERIFY(session.damage().records == 0);
        QVERIFY(session.hosts()[1].end.has_value());
        QCOMPARE(session.hosts()[1].end->message, std::string("connection to build1 lost"));
        QVERIFY(!session.hosts()[1].trailer);
        QCOMPARE(session.hosts()[0].events, m_alone.hosts()[0].events); // the other host is whole
        QVERIFY(
            session.hosts()[1].events > 0 && session.hosts()[1].events < m_alone.hosts()[0].events);
        const StoredEvent& mark = session.events()[session.events().size() - 1];
        QCOMPARE(mark.kind, EventKind::Loss);
        QCOMPARE(int(mark.host), 1);
        QCOMPARE(mark.a, std::uint32_t(capture::LossReason::ConnectionLost));
        QCOMPARE(std::uint64_t(mark.timestampNs), cutNs);
    }

    void damageCostsOnlyTheDamagedHostsRecord()
    {
        const TwoHosts hosts { m_sample, asAnotherHost(m_sample, "build1", 0) };
        std::vector<std::byte> file = multiplexed(hosts, 512);
        // A byte in the middle of the file: inside one host record, whose checksum then fails.
        file[file.size() / 2] ^= std::byte { 0x40 };
        Session session;
        const LoadResult result = loadCapture(file, session);
        QVERIFY(result.ok());
        QVERIFY(session.damage().records >= 1);
        QVERIFY(
            session.hosts()[0].events + session.hosts()[1].events < 2 * m_alone.hosts()[0].events);
        QVERIFY(session.hosts()[0].events + session.hosts()[1].events
            > 2 * m_alone.hosts()[0].events - 40);
    }

    void bytesOfAnUndeclaredHostAreKept()
    {
        std::vector<std::byte> file;
        capture::appendPreamble(file, capture::kMultiHostMajorVersion);
        capture::appendRecord(capture::HostRecord { 0, "desk", "local" }, file);
        capture::appendHostBytes(0, m_sample, file);
        capture::appendHostBytes(3, m_sample, file); // its declaration was lost
        Session session;
        QVERIFY(loadCapture(file, session).ok());
        QCOMPARE(session.hosts().size(), std::size_t(4));
        QCOMPARE(session.hosts()[3].label, std::string("host 4"));
        QCOMPARE(session.hosts()[3].events, m_alone.hosts()[0].events);
    }

    void hostileHostRecordsAreRefused()
    {
        std::vector<std::byte> file;
        capture::appendPreamble(file, capture::kMultiHostMajorVersion);
        capture::appendRecord(capture::HostRecord { 0, "desk", "local" }, file);
        capture::appendRecord(
            capture::HostRecord { std::uint16_t(capture::kMaxHosts), "far", "x" }, file);
        capture::appendRecord(
            capture::HostEndRecord { 40, capture::HostEndReason::Finished, 0, "" }, file);
        capture::appendRecord(testing::sampleHeader(), file); // a one-host record at the top level
        capture::appendHostBytes(0, m_sample, file);
        Session session;
        const LoadResult result = loadCapture(file, session);
        QVERIFY(result.ok());
        QCOMPARE(result.skipped.size(), std::size_t(2)); // the two out-of-range host indexes
        QCOMPARE(result.unknownRecords, std::uint64_t(1)); // the header where it does not belong
        QCOMPARE(session.hosts().size(), std::size_t(1));
        QCOMPARE(session.hosts()[0].events, m_alone.hosts()[0].events);
    }

    void aHostCannotSpeakForTheOthers()
    {
        // build1's stream claims to be a file of several hosts, renaming host 0 and cutting it.
        std::vector<std::byte> forged;
        capture::appendPreamble(forged, capture::kMultiHostMajorVersion);
        capture::appendRecord(capture::HostRecord { 0, "spoofed", "local" }, forged);
        capture::appendRecord(
            capture::HostEndRecord { 0, capture::HostEndReason::ConnectionLost, 1, "forged" },
            forged);
        capture::appendHostBytes(0, m_sample, forged);
        std::vector<std::byte> file;
        capture::appendPreamble(file, capture::kMultiHostMajorVersion);
        capture::appendRecord(capture::HostRecord { 0, "desk", "local" }, file);
        capture::appendRecord(capture::HostRecord { 1, "build1", "ssh://build1" }, file);
        capture::appendHostBytes(0, m_sample, file);
        capture::appendHostBytes(1, forged, file);
        Session session;
        loadCapture(file, session);
        QCOMPARE(session.hosts()[0].label, std::string("desk"));
        QVERIFY(!session.hosts()[0].end);
        QCOMPARE(session.hosts()[0].events, m_alone.hosts()[0].events);
        QCOMPARE(session.hosts().size(), std::size_t(1)); // build1 sent nothing readable
        QVERIFY(session.damage().records >= 1);
        QVERIFY(session.damage().first.front().detail.find("host build1") != std::string::npos);
    }

    void theMultiplexerWritesWhatTheReaderReads()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(u"two.pscap"_qs).toStdString();
        {
            capture::HostMultiplexer writer(
                ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
            QVERIFY(writer.declare({ 0, "desk", "local" }));
            QVERIFY(writer.declare({ 1, "build1", "ssh://build1" }));
            const std::vector<std::byte> remote = asAnotherHost(m_sample, "build1", 0);
            const std::size_t half = m_sample.size() / 2;
            QVERIFY(writer.write(0, std::span(m_sample).first(half)));
            QVERIFY(writer.write(1, remote));
            QVERIFY(writer.write(0, std::span(m_sample).subspan(half)));
            QVERIFY(writer.end({ 1, capture::HostEndReason::Finished, 1, "" }));
            QCOMPARE(writer.error(), 0);
        }
        Session session;
        const LoadResult result = loadCapture(path, session);
        QVERIFY(result.ok());
        QCOMPARE(session.hosts().size(), std::size_t(2));
        QCOMPARE(session.events().size(), 2 * m_alone.events().size());
    }
};

QTEST_GUILESS_MAIN(TestSeveralHosts)
#include "tst_several_hosts.moc"
