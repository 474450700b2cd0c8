// SPDX-License-Identifier: GPL-3.0-or-later
// Every event kind the kernel sends, parsed to exact field values; forward-compatible longer
// payloads; older shorter payloads; and each kind one byte short.

#include "../support/qt_bytes.h"

#include <QTest>

using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

constexpr std::uint32_t kFork = 0x1, kExec = 0x2, kUid = 0x4, kGid = 0x40, kSid = 0x80,
                        kPtrace = 0x100, kComm = 0x200, kCoredump = 0x40000000, kExit = 0x80000000;

struct KindSample {
    const char* name;
    std::uint32_t what;
    Bytes payload; // exactly the minimum the parser needs
    std::size_t minimum;
};

std::vector<KindSample> minimalSamples()
{
    return {
        { "ack", 0, words({ 0 }), 4 },
        { "fork", kFork, words({ 1, 1, 2, 2 }), 16 },
        { "exec", kExec, words({ 2, 2 }), 8 },
        { "uid", kUid, words({ 2, 2, 1000, 1000 }), 16 },
        { "gid", kGid, words({ 2, 2, 1000, 1000 }), 16 },
        { "sid", kSid, words({ 2, 2 }), 8 },
        { "ptrace", kPtrace, words({ 2, 2, 3, 3 }), 16 },
        { "comm", kComm, commBytes(2, 2, "name\0\0\0\0\0\0\0\0\0\0\0\0"), 24 },
        { "coredump", kCoredump, words({ 2, 2 }), 8 },
        { "exit", kExit, words({ 2, 2, 0, 17 }), 16 },
    };
}

QByteArray unpaddedEvent(std::uint32_t what, const Bytes& payload)
{
    return toQByteArray(netlinkMessage(connectorMessage(procEvent(what, 1, 7, payload))));
}

} // namespace

class TestParserEvents : public QObject {
    Q_OBJECT

private slots:
    void eachKind_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char* name, const Bytes& bytes, const QString& expected) {
            QTest::newRow(name) << toQByteArray(bytes) << QStringList { expected };
        };
        row("fork", eventDatagram(kFork, words({ 100, 101, 200, 201 }), 1, 5000, 42, 0),
            u"fork cpu=1 ts=5000 seq=42 ack=0 parent=100/101 child=200/201"_qs);
        row("fork thread", eventDatagram(kFork, words({ 1, 1, 301, 300 }), 0, 1, 2, 0),
            u"fork cpu=0 ts=1 seq=2 ack=0 parent=1/1 child=301/300"_qs);
        row("fork max pids", eventDatagram(kFork, words({ 4194304, 4194304, 4194303, 4194303 })),
            u"fork cpu=0 ts=0 seq=0 ack=0 parent=4194304/4194304 child=4194303/4194303"_qs);
        row("exec", eventDatagram(kExec, words({ 777, 777 }), 1, 123456789012345ULL, 9),
            u"exec cpu=1 ts=123456789012345 seq=9 ack=0 pid=777/777"_qs);
        row("exec from thread", eventDatagram(kExec, words({ 778, 777 })),
            u"exec cpu=0 ts=0 seq=0 ack=0 pid=778/777"_qs);
        row("uid", eventDatagram(kUid, words({ 5, 5, 1000, 0 })),
            u"uid cpu=0 ts=0 seq=0 ack=0 pid=5/5 ruid=1000 euid=0"_qs);
        row("uid nobody", eventDatagram(kUid, words({ 5, 5, 65534, 65534 })),
            u"uid cpu=0 ts=0 seq=0 ack=0 pid=5/5 ruid=65534 euid=65534"_qs);
        row("gid", eventDatagram(kGid, words({ 6, 6, 100, 27 })),
            u"gid cpu=0 ts=0 seq=0 ack=0 pid=6/6 rgid=100 egid=27"_qs);
        row("sid", eventDatagram(kSid, words({ 7, 7 }), 1, 99, 3),
            u"sid cpu=1 ts=99 seq=3 ack=0 pid=7/7"_qs);
        row("ptrace attach", eventDatagram(kPtrace, words({ 8, 8, 9, 9 })),
            u"ptrace cpu=0 ts=0 seq=0 ack=0 pid=8/8 tracer=9/9"_qs);
        row("ptrace detach", eventDatagram(kPtrace, words({ 8, 8, 0, 0 })),
            u"ptrace cpu=0 ts=0 seq=0 ack=0 pid=8/8 tracer=0/0"_qs);
        row("comm", eventDatagram(kComm, commBytes(10, 10, "worker\0\0\0\0\0\0\0\0\0\0")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"worker\""_qs);
        row("comm from thread", eventDatagram(kComm, commBytes(11, 10, "pool-3\0\0\0\0\0\0\0\0\0\0")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=11/10 comm=\"pool-3\""_qs);
        row("comm 15 chars", eventDatagram(kComm, commBytes(10, 10, "abcdefghijklmno\0")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"abcdefghijklmno\""_qs);
        row("comm without NUL", eventDatagram(kComm, commBytes(10, 10, "abcdefghijklmnop")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"abcdefghijklmnop\""_qs);
        row("comm empty", eventDatagram(kComm, commBytes(10, 10, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"\""_qs);
        row("comm garbage after NUL", eventDatagram(kComm, commBytes(10, 10, "ab\0cdefghijklmno")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"ab\""_qs);
        row("comm not utf-8", eventDatagram(kComm, commBytes(10, 10, "a\xff\xfe\x01\0\0\0\0\0\0\0\0\0\0\0\0")),
            u"comm cpu=0 ts=0 seq=0 ack=0 pid=10/10 comm=\"a\\xff\\xfe\\x01\""_qs);
        row("coredump", eventDatagram(kCoredump, words({ 12, 12, 1, 1 })),
            u"coredump cpu=0 ts=0 seq=0 ack=0 pid=12/12 parent=1/1"_qs);
        row("exit 3", eventDatagram(kExit, words({ 13, 13, 0x300, 17, 1, 1 })),
            u"exit cpu=0 ts=0 seq=0 ack=0 pid=13/13 code=768 signal=17 parent=1/1"_qs);
        row("exit killed", eventDatagram(kExit, words({ 13, 13, 9, 17, 50, 50 })),
            u"exit cpu=0 ts=0 seq=0 ack=0 pid=13/13 code=9 signal=17 parent=50/50"_qs);
        row("exit thread", eventDatagram(kExit, words({ 14, 13, 0, 0xFFFFFFFF, 0, 0 })),
            u"exit cpu=0 ts=0 seq=0 ack=0 pid=14/13 code=0 signal=-1 parent=0/0"_qs);
        row("exit orphan reaped by init", eventDatagram(kExit, words({ 15, 15, 0, 17, 1, 1 })),
            u"exit cpu=0 ts=0 seq=0 ack=0 pid=15/15 code=0 signal=17 parent=1/1"_qs);
        row("exit core dumped", eventDatagram(kExit, words({ 16, 16, 0x86, 17, 1, 1 })),
            u"exit cpu=0 ts=0 seq=0 ack=0 pid=16/16 code=134 signal=17 parent=1/1"_qs);
        row("ack ok", eventDatagram(0, words({ 0 }), 0, 10, 0, 0x1235),
            u"ack cpu=0 ts=10 seq=0 ack=4661 err=0"_qs);
        row("ack eperm", eventDatagram(0, words({ 1 }), 1, 10, 4, 2),
            u"ack cpu=1 ts=10 seq=4 ack=2 err=1"_qs);
        row("ack old-kernel cpu", eventDatagram(0, words({ 0 }), kNoCpu, 10, 0, 8),
            u"ack cpu=4294967295 ts=10 seq=0 ack=8 err=0"_qs);
        row("unknown kind", eventDatagram(0x8, words({ 1, 2, 3 })),
            u"unknown cpu=0 ts=0 seq=0 ack=0 what=8 bytes=24"_qs);
        row("nonzero-exit bit is not an event", eventDatagram(0x20000000, words({ 1 })),
            u"unknown cpu=0 ts=0 seq=0 ack=0 what=536870912 bytes=24"_qs);
        row("unknown combined bits", eventDatagram(0x3, words({ 1 })),
            u"unknown cpu=0 ts=0 seq=0 ack=0 what=3 bytes=24"_qs);
        row("unknown empty payload", netlinkMessage(connectorMessage(procEvent(0x400, 0, 0, {}))),
            u"unknown cpu=0 ts=0 seq=0 ack=0 what=1024 bytes=0"_qs);
    }

    void eachKind()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(QStringList, expected);
        QCOMPARE(parseToText(datagram), expected);
    }

    // The fields must come out as typed values too, not just as text.
    void typedFields()
    {
        const auto bytes = eventDatagram(kExit, words({ 14, 13, 0x500, 0xFFFFFFFF, 0, 0 }), 1, 77, 5, 6);
        const auto messages = parseDatagram(bytes, 0);
        QCOMPARE(messages.size(), 1u);
        const auto* event = std::get_if<ProcEvent>(&messages[0]);
        QVERIFY(event);
        QCOMPARE(event->what(), kExit);
        QCOMPARE(event->header, (EventHeader { 1, 77, 5, 6 }));
        const auto& exit = std::get<ExitEvent>(event->payload);
        QCOMPARE(exit.exitSignal, -1);
        QCOMPARE(exit, (ExitEvent { 14, 13, 0x500, -1, 0, 0, true }));
    }

    void unknownKeepsRawBytes()
    {
        const Bytes payload = words({ 0xdeadbeef, 0x01020304, 5, 6, 7, 8 });
        const auto bytes = eventDatagram(0x800, payload);
        const auto messages = parseDatagram(bytes, 0);
        const auto& unknown = std::get<UnknownEvent>(std::get<ProcEvent>(messages.at(0)).payload);
        QCOMPARE(unknown.what, 0x800u);
        QVERIFY(std::equal(unknown.data.begin(), unknown.data.end(), payload.begin(), payload.end()));
        QCOMPARE(std::get<ProcEvent>(messages.at(0)).what(), 0x800u);
    }

    // Timestamps sit at datagram offset 44: not 8-byte aligned. Parse from an odd address too.
    void misalignedBuffer()
    {
        const auto bytes = eventDatagram(kFork, words({ 1, 2, 3, 4 }), 1, 0x0102030405060708ULL, 9);
        std::vector<std::byte> shifted(bytes.size() + 1);
        std::copy(bytes.begin(), bytes.end(), shifted.begin() + 1);
        const auto messages = parseDatagram(std::span<const std::byte>(shifted).subspan(1), 0);
        QCOMPARE(std::get<ProcEvent>(messages.at(0)).header.timestampNs, 0x0102030405060708ULL);
    }

    void olderShorterPayloads_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("exit pre-4.18 (16 bytes)") << unpaddedEvent(kExit, words({ 3, 3, 0x100, 17 }))
                                                 << QStringList { u"exit cpu=1 ts=7 seq=0 ack=0 pid=3/3 code=256 signal=17 parent=none"_qs };
        QTest::newRow("exit 20 bytes") << unpaddedEvent(kExit, words({ 3, 3, 0x100, 17, 1 }))
                                      << QStringList { u"exit cpu=1 ts=7 seq=0 ack=0 pid=3/3 code=256 signal=17 parent=none"_qs };
        QTest::newRow("coredump pre-4.18 (8 bytes)") << unpaddedEvent(kCoredump, words({ 4, 4 }))
                                                    << QStringList { u"coredump cpu=1 ts=7 seq=0 ack=0 pid=4/4 parent=none"_qs };
        QTest::newRow("coredump 12 bytes") << unpaddedEvent(kCoredump, words({ 4, 4, 1 }))
                                          << QStringList { u"coredump cpu=1 ts=7 seq=0 ack=0 pid=4/4 parent=none"_qs };
    }

    void olderShorterPayloads() { eachKind(); }

    // A future kernel may grow the union: extra bytes after the known fields are accepted.
    void longerPayloads_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QString>("kind");
        for (const KindSample& sample : minimalSamples()) {
            Bytes longer = sample.payload;
            longer.resize(64, std::byte { 0xAB });
            QTest::newRow(sample.name) << unpaddedEvent(sample.what, longer) << QString::fromLatin1(sample.name);
        }
    }

    void longerPayloads()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(QString, kind);
        const QStringList parsed = parseToText(datagram);
        QCOMPARE(parsed.size(), 1);
        QVERIFY2(parsed.first().startsWith(kind + u' '), qPrintable(parsed.first()));
    }

    void minimalPayloads()
    {
        for (const KindSample& sample : minimalSamples()) {
            const QStringList parsed = parseToText(unpaddedEvent(sample.what, sample.payload));
            QCOMPARE(parsed.size(), 1);
            QVERIFY2(parsed.first().startsWith(QString::fromLatin1(sample.name) + u' '), qPrintable(parsed.first()));
        }
    }

    void oneByteShort_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QStringList>("expected");
        for (const KindSample& sample : minimalSamples()) {
            Bytes shortPayload = sample.payload;
            shortPayload.resize(sample.minimum - 1);
            QTest::newRow(sample.name) << unpaddedEvent(sample.what, shortPayload)
                                       << QStringList { u"malformed truncated-message at=0 needed=%1 available=%2"_qs
                                                            .arg(sample.minimum)
                                                            .arg(sample.minimum - 1) };
        }
        QTest::newRow("proc_event header") << toQByteArray(netlinkMessage(connectorMessage(words({ 1, 0, 0 }))))
                                           << QStringList { u"malformed truncated-message at=0 needed=16 available=12"_qs };
    }

    void oneByteShort() { eachKind(); }
};

QTEST_APPLESS_MAIN(TestParserEvents)
#include "tst_parser_events.moc"
