// SPDX-License-Identifier: GPL-3.0-or-later
// The taskstats parser against real kernel messages (recorded on Linux 6.18), the distro's
// header, and damaged, truncated, spoofed and unknown input.

#include "protocol/taskstats.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <cstring>
#include <linux/taskstats.h>

using namespace procscope::protocol;

namespace {

using Bytes = std::vector<std::byte>;

Bytes readFile(const QString& name)
{
    QFile file(QDir(QString::fromLatin1(PROCSCOPE_TASKSTATS_CORPUS)).filePath(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray data = file.readAll();
    const auto* begin = reinterpret_cast<const std::byte*>(data.constData());
    return Bytes(begin, begin + data.size());
}

template <typename T>
void put(Bytes& bytes, std::size_t offset, T value)
{
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

template <typename T>
void append(Bytes& bytes, T value)
{
    bytes.resize(bytes.size() + sizeof value);
    put(bytes, bytes.size() - sizeof value, value);
}

void appendAttribute(Bytes& out, std::uint16_t type, const Bytes& payload)
{
    append<std::uint16_t>(out, std::uint16_t(4 + payload.size()));
    append<std::uint16_t>(out, type);
    out.insert(out.end(), payload.begin(), payload.end());
    out.resize((out.size() + 3) & ~std::size_t { 3 });
}

// A message as the kernel builds it: AGGR_PID { PID, STATS } (and AGGR_TGID when a group ends).
Bytes message(std::uint16_t family, std::uint32_t pid, const Bytes& stats, bool groupToo = false, std::uint8_t cmd = taskstats::kCmdNew)
{
    Bytes pidBytes;
    append(pidBytes, pid);
    Bytes nested;
    appendAttribute(nested, taskstats::kTypePid, pidBytes);
    appendAttribute(nested, taskstats::kTypeStats, stats);
    Bytes out(16);
    put<std::uint16_t>(out, 4, family);
    append<std::uint8_t>(out, cmd);
    append<std::uint8_t>(out, 1);
    append<std::uint16_t>(out, 0);
    appendAttribute(out, taskstats::kTypeAggrPid | 0x8000, nested);
    if (groupToo)
        appendAttribute(out, taskstats::kTypeAggrTgid | 0x8000, nested);
    put<std::uint32_t>(out, 0, std::uint32_t(out.size()));
    return out;
}

Bytes stats(std::size_t size = sizeof(struct ::taskstats))
{
    Bytes s(size);
    put<std::uint16_t>(s, taskstats::offset::kVersion, 13);
    put<std::uint32_t>(s, taskstats::offset::kExitCode, 0x300);
    put<std::uint8_t>(s, taskstats::offset::kFlag, taskstats::kFlagGroupEnded);
    put<std::uint64_t>(s, taskstats::offset::kUserTime, 3000); // us, tick-sampled
    put<std::uint64_t>(s, taskstats::offset::kSystemTime, 1000);
    put<std::uint64_t>(s, taskstats::offset::kCpuRunVirtualTotal, 4'200'000); // ns, exact
    put<std::uint64_t>(s, taskstats::offset::kHiwaterRss, 2048); // KiB
    put<std::uint64_t>(s, taskstats::offset::kWriteBytes, 8192);
    put<std::uint64_t>(s, taskstats::offset::kMinorFaults, 77);
    if (size >= taskstats::offset::kTgid + 4)
        put<std::uint32_t>(s, taskstats::offset::kTgid, 41);
    std::memcpy(s.data() + taskstats::offset::kComm, "cc1plus", 7);
    return s;
}

} // namespace

class TestTaskstats : public QObject {
    Q_OBJECT

private slots:
    // Our offsets are our own (the struct grows with the kernel); they must agree with the header.
    void offsetsAgreeWithTheKernelHeader()
    {
        QCOMPARE(taskstats::offset::kExitCode, offsetof(struct ::taskstats, ac_exitcode));
        QCOMPARE(taskstats::offset::kFlag, offsetof(struct ::taskstats, ac_flag));
        QCOMPARE(taskstats::offset::kCpuDelayTotal, offsetof(struct ::taskstats, cpu_delay_total));
        QCOMPARE(taskstats::offset::kBlkioDelayTotal, offsetof(struct ::taskstats, blkio_delay_total));
        QCOMPARE(taskstats::offset::kSwapinDelayTotal, offsetof(struct ::taskstats, swapin_delay_total));
        QCOMPARE(taskstats::offset::kCpuRunVirtualTotal, offsetof(struct ::taskstats, cpu_run_virtual_total));
        QCOMPARE(taskstats::offset::kComm, offsetof(struct ::taskstats, ac_comm));
        QCOMPARE(taskstats::offset::kPpid, offsetof(struct ::taskstats, ac_ppid));
        QCOMPARE(taskstats::offset::kElapsed, offsetof(struct ::taskstats, ac_etime));
        QCOMPARE(taskstats::offset::kUserTime, offsetof(struct ::taskstats, ac_utime));
        QCOMPARE(taskstats::offset::kSystemTime, offsetof(struct ::taskstats, ac_stime));
        QCOMPARE(taskstats::offset::kMinorFaults, offsetof(struct ::taskstats, ac_minflt));
        QCOMPARE(taskstats::offset::kMajorFaults, offsetof(struct ::taskstats, ac_majflt));
        QCOMPARE(taskstats::offset::kHiwaterRss, offsetof(struct ::taskstats, hiwater_rss));
        QCOMPARE(taskstats::offset::kHiwaterVm, offsetof(struct ::taskstats, hiwater_vm));
        QCOMPARE(taskstats::offset::kReadChars, offsetof(struct ::taskstats, read_char));
        QCOMPARE(taskstats::offset::kWriteChars, offsetof(struct ::taskstats, write_char));
        QCOMPARE(taskstats::offset::kReadBytes, offsetof(struct ::taskstats, read_bytes));
        QCOMPARE(taskstats::offset::kWriteBytes, offsetof(struct ::taskstats, write_bytes));
        QCOMPARE(taskstats::offset::kVoluntarySwitches, offsetof(struct ::taskstats, nvcsw));
        QCOMPARE(taskstats::offset::kInvoluntarySwitches, offsetof(struct ::taskstats, nivcsw));
        QCOMPARE(taskstats::offset::kFreepagesDelayTotal, offsetof(struct ::taskstats, freepages_delay_total));
        QCOMPARE(taskstats::offset::kTgid, offsetof(struct ::taskstats, ac_tgid));
        QCOMPARE(std::size_t(taskstats::kCmdNew), std::size_t(TASKSTATS_CMD_NEW));
        QCOMPARE(std::size_t(taskstats::kTypeAggrPid), std::size_t(TASKSTATS_TYPE_AGGR_PID));
        QCOMPARE(std::size_t(taskstats::kCmdAttrRegisterCpumask), std::size_t(TASKSTATS_CMD_ATTR_REGISTER_CPUMASK));
    }

    void realMessages()
    {
        const Bytes task = readFile(u"real-task-0.bin"_qs);
        const Bytes thread = readFile(u"real-thread-1.bin"_qs);
        const Bytes group = readFile(u"real-group-2.bin"_qs);
        QVERIFY(!task.empty() && !thread.empty() && !group.empty());
        const std::uint16_t family = std::to_integer<std::uint16_t>(task[4]) | std::uint16_t(std::to_integer<std::uint16_t>(task[5]) << 8);

        const auto t = parseTaskstats(task, family);
        QVERIFY(t);
        QCOMPARE(t.value().kind, TaskstatsMessage::Kind::Figures);
        QCOMPARE(t.value().figures.pid, t.value().figures.tgid);
        QCOMPARE(t.value().figures.exitCode, 0x300u); // exit(3)
        QVERIFY(t.value().figures.groupEnded);
        QVERIFY(t.value().figures.version >= 12);
        QVERIFY(t.value().figures.maxRssBytes > 0);
        QVERIFY(t.value().figures.elapsedNs > 0);

        // A thread: its own figures, under its process, and not the end of the group.
        const auto th = parseTaskstats(thread, family);
        QVERIFY(th);
        QVERIFY(th.value().figures.pid != th.value().figures.tgid);
        QVERIFY(!th.value().figures.groupEnded);
        // The last thread of a group: the message also carries the group aggregate (skipped).
        const auto g = parseTaskstats(group, family);
        QVERIFY(g);
        QCOMPARE(g.value().figures.pid, th.value().figures.tgid);
        QVERIFY(g.value().figures.groupEnded);
    }

    void convertsUnitsAndSplitsExactCpuTime()
    {
        const auto parsed = parseTaskstats(message(31, 42, stats()), 31);
        QVERIFY(parsed);
        const TaskFigures& f = parsed.value().figures;
        QCOMPARE(f.pid, 42u);
        QCOMPARE(f.tgid, 41u);
        QCOMPARE(f.userNs + f.systemNs, 4'200'000u); // the exact run time...
        QCOMPARE(f.systemNs, 1'050'000u); // ...split as the ticks were (3:1)
        QCOMPARE(f.maxRssBytes, 2048u * 1024);
        QCOMPARE(f.writeBytes, 8192u);
        QCOMPARE(f.minorFaults, 77u);
        QCOMPARE(f.comm, std::string("cc1plus"));
        QCOMPARE(f.exitCode, 0x300u);
    }

    // A newer kernel appends fields: read as before. An older one lacks the later fields: zero.
    void readsByTheAttributesLength()
    {
        const auto longer = parseTaskstats(message(31, 42, stats(sizeof(struct ::taskstats) + 64)), 31);
        QVERIFY(longer);
        QCOMPARE(longer.value().figures.maxRssBytes, 2048u * 1024);
        const auto older = parseTaskstats(message(31, 42, stats(taskstats::kMinimumStatsSize)), 31);
        QVERIFY(older);
        QCOMPARE(older.value().figures.tgid, 0u);
        QCOMPARE(older.value().figures.reclaimDelayNs, 0u);
    }

    void rejectsDamage_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("kind");
        const auto raw = [](const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size())); };
        const Bytes good = message(31, 42, stats());
        QTest::newRow("empty") << QByteArray() << int(ErrorKind::TruncatedMessage);
        QTest::newRow("header cut") << raw(Bytes(good.begin(), good.begin() + 10)) << int(ErrorKind::TruncatedMessage);
        QTest::newRow("body cut") << raw(Bytes(good.begin(), good.end() - 100)) << int(ErrorKind::TruncatedMessage);
        Bytes lying = good;
        put<std::uint32_t>(lying, 0, 8); // shorter than its own header
        QTest::newRow("length below header") << raw(lying) << int(ErrorKind::InvalidLength);
        Bytes shortStats = message(31, 42, stats(taskstats::kMinimumStatsSize - 8));
        QTest::newRow("stats too short") << raw(shortStats) << int(ErrorKind::TruncatedMessage);
        Bytes noVersion = stats();
        put<std::uint16_t>(noVersion, 0, 0);
        QTest::newRow("version 0") << raw(message(31, 42, noVersion)) << int(ErrorKind::InvalidLength);
        Bytes attribute = good;
        put<std::uint16_t>(attribute, 20, 0xFFF0); // the nested attribute claims more than there is
        QTest::newRow("attribute overruns") << raw(attribute) << int(ErrorKind::TruncatedMessage);
        QTest::newRow("unknown command") << raw(message(31, 42, stats(), false, 9)) << int(ErrorKind::UnexpectedMessageType);
    }

    void rejectsDamage()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, kind);
        const auto parsed = parseTaskstats(std::as_bytes(std::span(bytes.constData(), std::size_t(bytes.size()))), 31);
        QVERIFY(!parsed);
        QCOMPARE(int(parsed.error().kind()), kind);
    }

    void everyTruncationOfARealMessageIsAnError()
    {
        const Bytes group = readFile(u"real-group-2.bin"_qs);
        QVERIFY(!group.empty());
        const std::uint16_t family = std::to_integer<std::uint16_t>(group[4]) | std::uint16_t(std::to_integer<std::uint16_t>(group[5]) << 8);
        for (std::size_t size = 0; size < group.size(); ++size)
            QVERIFY2(!parseTaskstats(std::span(group).first(size), family), qPrintable(QString::number(size)));
    }

    void spoofedAcksAndOtherFamilies()
    {
        const Bytes good = message(31, 42, stats());
        const auto spoofed = parseTaskstats(good, 31, 4242);
        QVERIFY(!spoofed);
        QCOMPARE(spoofed.error().kind(), ErrorKind::SpoofedSender);
        const auto other = parseTaskstats(good, 32);
        QVERIFY(other);
        QCOMPARE(other.value().kind, TaskstatsMessage::Kind::Other);
        Bytes ack(20);
        put<std::uint32_t>(ack, 0, 20);
        put<std::uint16_t>(ack, 4, 2); // NLMSG_ERROR
        put<std::int32_t>(ack, 16, -1); // -EPERM
        const auto refused = parseTaskstats(ack, 31);
        QVERIFY(refused);
        QCOMPARE(refused.value().kind, TaskstatsMessage::Kind::Ack);
        QCOMPARE(refused.value().error, 1);
    }

    void requestsAreWellFormed()
    {
        const Bytes family = familyRequest(7);
        QCOMPARE(std::size_t(std::to_integer<int>(family[0])), family.size());
        QCOMPARE(family.size() % 4, 0u);
        const Bytes reg = registerRequest(31, 8, "0-1");
        QCOMPARE(std::size_t(std::to_integer<int>(reg[0])), reg.size());
        QCOMPARE(std::to_integer<int>(reg[4]), 31);
        const std::string tail(reinterpret_cast<const char*>(reg.data()) + 24, 4);
        QCOMPARE(tail, std::string("0-1\0", 4));
    }
};

QTEST_GUILESS_MAIN(TestTaskstats)
#include "tst_taskstats.moc"
