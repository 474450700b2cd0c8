// SPDX-License-Identifier: GPL-3.0-or-later
// Netlink and connector framing: control messages, malformed headers, truncation, spoofing,
// wrong connector ids, multi-message datagrams.

#include "../support/qt_bytes.h"

#include <QTest>

using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

constexpr std::uint32_t kFork = 0x1, kExec = 0x2, kExit = 0x80000000;

Bytes forkDatagram(std::uint32_t seq = 1) { return eventDatagram(kFork, words({ 1, 1, 2, 2 }), 0, 0, seq); }
Bytes execDatagram() { return eventDatagram(kExec, words({ 2, 2 }), 0, 0, 2); }
Bytes exitDatagram() { return eventDatagram(kExit, words({ 2, 2, 0, 17, 1, 1 }), 0, 0, 3); }

Bytes control(NetlinkType type, const Bytes& payload = {})
{
    NetlinkFields fields;
    fields.type = static_cast<std::uint16_t>(type);
    return netlinkMessage(payload, fields);
}

Bytes withLength(Bytes datagram, std::uint32_t length)
{
    writeAt(std::span<std::byte>(datagram), 0, length);
    return datagram;
}

Bytes truncatedTo(Bytes datagram, std::size_t size)
{
    datagram.resize(size);
    return datagram;
}

const QString kFork1 = u"fork cpu=0 ts=0 seq=1 ack=0 parent=1/1 child=2/2"_qs;
const QString kExec2 = u"exec cpu=0 ts=0 seq=2 ack=0 pid=2/2"_qs;
const QString kExit3 = u"exit cpu=0 ts=0 seq=3 ack=0 pid=2/2 code=0 signal=17 parent=1/1"_qs;

} // namespace

class TestParserFraming : public QObject {
    Q_OBJECT

private slots:
    void framing_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char* name, const Bytes& bytes, const QStringList& expected) {
            QTest::newRow(name) << toQByteArray(bytes) << expected;
        };

        // Control messages.
        row("empty datagram", {}, {});
        row("noop", control(NetlinkType::Noop), { u"noop"_qs });
        row("bare done", control(NetlinkType::Done), { u"done"_qs });
        row("overrun", control(NetlinkType::Overrun), { u"overrun"_qs });
        row("error ENOBUFS", control(NetlinkType::Error, words({ static_cast<std::uint32_t>(-105) })), { u"error errno=105"_qs });
        row("error EPERM with request echo", control(NetlinkType::Error, concat(words({ static_cast<std::uint32_t>(-1) }), Bytes(16))),
            { u"error errno=1"_qs });
        row("error 0 is an ack", control(NetlinkType::Error, words({ 0 })), { u"error errno=0"_qs });
        row("error INT_MIN", control(NetlinkType::Error, words({ 0x80000000 })), { u"error errno=2147483647"_qs });
        row("error payload short", control(NetlinkType::Error, Bytes(3)),
            { u"malformed truncated-message at=0 needed=4 available=3"_qs });
        {
            NetlinkFields fields;
            fields.type = 0x10;
            row("unknown netlink type", netlinkMessage(Bytes(8), fields), { u"malformed unexpected-message-type at=0 needed=16 available=0"_qs });
        }

        // Broken netlink headers.
        row("1 byte", Bytes(1), { u"malformed truncated-message at=0 needed=16 available=1"_qs });
        row("15 bytes", Bytes(15), { u"malformed truncated-message at=0 needed=16 available=15"_qs });
        row("len 0", withLength(forkDatagram(), 0), { u"malformed invalid-length at=0 needed=16 available=0"_qs });
        row("len 15", withLength(forkDatagram(), 15), { u"malformed invalid-length at=0 needed=16 available=15"_qs });
        row("len beyond buffer", withLength(forkDatagram(), 200), { u"malformed truncated-message at=0 needed=200 available=76"_qs });
        row("len 0xffffffff", withLength(forkDatagram(), 0xFFFFFFFF),
            { u"malformed truncated-message at=0 needed=4294967295 available=76"_qs });
        row("len 16 on an event is a bare done", withLength(forkDatagram(), 16), { u"done"_qs, u"malformed invalid-length at=16 needed=16 available=1"_qs });

        // Datagrams cut short, as recv() leaves them under MSG_TRUNC.
        row("cut at 75", truncatedTo(forkDatagram(), 75), { u"malformed truncated-message at=0 needed=76 available=75"_qs });
        row("cut at 36", truncatedTo(forkDatagram(), 36), { u"malformed truncated-message at=0 needed=76 available=36"_qs });
        row("cut at 16", truncatedTo(forkDatagram(), 16), { u"malformed truncated-message at=0 needed=76 available=16"_qs });
        row("cut inside the header", truncatedTo(forkDatagram(), 10), { u"malformed truncated-message at=0 needed=16 available=10"_qs });

        // Connector header problems.
        row("connector header short", netlinkMessage(Bytes(10)), { u"malformed truncated-message at=0 needed=20 available=10"_qs });
        row("connector header 19 bytes", netlinkMessage(Bytes(19)), { u"malformed truncated-message at=0 needed=20 available=19"_qs });
        {
            ConnectorFields cn;
            cn.idx = 2;
            row("wrong connector idx", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, words({ 1, 1, 2, 2 })), cn)),
                { u"malformed wrong-connector at=0 needed=2 available=1"_qs });
            cn.idx = 1;
            cn.val = 2;
            row("wrong connector val", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, words({ 1, 1, 2, 2 })), cn)),
                { u"malformed wrong-connector at=0 needed=1 available=2"_qs });
            cn.idx = 0x7;
            cn.val = 0x7;
            row("other connector (w1)", netlinkMessage(connectorMessage(Bytes(8), cn)), { u"malformed wrong-connector at=0 needed=7 available=7"_qs });
        }
        {
            ConnectorFields cn;
            cn.length = 41;
            row("cn.len one more than data", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, paddedPayload(words({ 1, 1, 2, 2 }))), cn)),
                { u"malformed truncated-message at=0 needed=41 available=40"_qs });
            cn.length = 0xFFFF;
            row("cn.len 65535", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, paddedPayload(words({ 1, 1, 2, 2 }))), cn)),
                { u"malformed truncated-message at=0 needed=65535 available=40"_qs });
            cn.length = 0;
            row("cn.len 0", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, paddedPayload(words({ 1, 1, 2, 2 }))), cn)),
                { u"malformed truncated-message at=0 needed=16 available=0"_qs });
            cn.length = 31;
            row("cn.len cuts the fork payload", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, paddedPayload(words({ 1, 1, 2, 2 }))), cn)),
                { u"malformed truncated-message at=0 needed=16 available=15"_qs });
            cn.length = 32;
            row("cn.len shorter than the union is enough", netlinkMessage(connectorMessage(procEvent(kFork, 0, 0, paddedPayload(words({ 1, 1, 2, 2 }))), cn)),
                { u"fork cpu=0 ts=0 seq=0 ack=0 parent=1/1 child=2/2"_qs });
        }

        // Several messages in one datagram.
        row("three events", concat(concat(forkDatagram(), execDatagram()), exitDatagram()), { kFork1, kExec2, kExit3 });
        row("event noop event", concat(concat(forkDatagram(), control(NetlinkType::Noop)), execDatagram()), { kFork1, u"noop"_qs, kExec2 });
        row("error then event", concat(control(NetlinkType::Error, words({ static_cast<std::uint32_t>(-13) })), forkDatagram()),
            { u"error errno=13"_qs, kFork1 });
        row("event overrun done", concat(concat(forkDatagram(), control(NetlinkType::Overrun)), control(NetlinkType::Done)),
            { kFork1, u"overrun"_qs, u"done"_qs });
        {
            ConnectorFields cn;
            cn.idx = 9;
            row("wrong connector in the middle is skipped",
                concat(concat(forkDatagram(), netlinkMessage(connectorMessage(Bytes(40), cn))), execDatagram()),
                { kFork1, u"malformed wrong-connector at=76 needed=9 available=1"_qs, kExec2 });
        }
        row("short event in the middle is skipped",
            concat(concat(forkDatagram(), netlinkMessage(connectorMessage(procEvent(kExit, 0, 0, words({ 1, 1 }))))), execDatagram()),
            { kFork1, u"malformed truncated-message at=76 needed=16 available=8"_qs, kExec2 });
        row("zero length in the middle stops", concat(concat(forkDatagram(), Bytes(16)), execDatagram()),
            { kFork1, u"malformed invalid-length at=76 needed=16 available=0"_qs });
        row("length past the end in the middle stops", concat(forkDatagram(), withLength(execDatagram(), 77)),
            { kFork1, u"malformed truncated-message at=76 needed=77 available=76"_qs });
        {
            // An unaligned message length: the next message starts at NLMSG_ALIGN(len).
            Bytes odd = netlinkMessage(Bytes(1), { static_cast<std::uint16_t>(NetlinkType::Noop), std::nullopt, 0, 0, true });
            QCOMPARE(odd.size(), 20u);
            row("unaligned length then event", concat(odd, forkDatagram()), { u"noop"_qs, kFork1 });
            Bytes unpadded = netlinkMessage(Bytes(1), { static_cast<std::uint16_t>(NetlinkType::Noop), std::nullopt, 0, 0, false });
            row("last message without padding", unpadded, { u"noop"_qs });
        }
        row("trailing bytes after an event", concat(forkDatagram(), Bytes(3)), { kFork1, u"malformed truncated-message at=76 needed=16 available=3"_qs });
        row("trailing 12 zero bytes", concat(forkDatagram(), Bytes(12)), { kFork1, u"malformed truncated-message at=76 needed=16 available=12"_qs });
    }

    void framing()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(QStringList, expected);
        QCOMPARE(parseToText(datagram), expected);
    }

    void spoofedSender_data()
    {
        QTest::addColumn<quint32>("sender");
        QTest::addColumn<QByteArray>("datagram");
        QTest::newRow("user process") << 4242u << toQByteArray(forkDatagram());
        QTest::newRow("port 1") << 1u << toQByteArray(forkDatagram());
        QTest::newRow("max port") << 0xFFFFFFFFu << toQByteArray(forkDatagram());
        QTest::newRow("spoofed multi-message") << 77u << toQByteArray(concat(forkDatagram(), execDatagram()));
        QTest::newRow("spoofed garbage") << 77u << QByteArray(3, 'x');
    }

    void spoofedSender()
    {
        QFETCH(quint32, sender);
        QFETCH(QByteArray, datagram);
        const auto messages = parseDatagram(asBytes(datagram), sender);
        QCOMPARE(messages.size(), 1u); // the whole datagram is rejected, nothing inside it is trusted
        const auto& malformed = std::get<Malformed>(messages[0]);
        QCOMPARE(malformed.error.kind(), ErrorKind::SpoofedSender);
        QCOMPARE(malformed.error.needed(), quint64(sender));
    }

    void nextAfterEndStaysEmpty()
    {
        const auto bytes = forkDatagram();
        DatagramParser parser(bytes, 0);
        QVERIFY(parser.next());
        QVERIFY(!parser.next());
        QVERIFY(!parser.next());
    }

    // Whatever the bytes, the parser ends within size/16 + 1 results.
    void boundedOnAnyInput()
    {
        std::uint32_t state = 12345;
        for (int round = 0; round < 2000; ++round) {
            Bytes bytes(static_cast<std::size_t>(state % 400));
            for (auto& b : bytes) {
                state = state * 1103515245u + 12345u;
                b = static_cast<std::byte>(state >> 24);
            }
            // Make plausible headers common so deep paths get exercised.
            if (bytes.size() >= 8 && (round % 2) == 0) {
                writeAt<std::uint32_t>(std::span<std::byte>(bytes), 0, static_cast<std::uint32_t>(16 + state % 80));
                writeAt<std::uint16_t>(std::span<std::byte>(bytes), 4, static_cast<std::uint16_t>(1 + state % 4));
            }
            DatagramParser parser(bytes, 0);
            std::size_t results = 0;
            while (parser.next())
                QVERIFY(++results <= bytes.size() / 16 + 1);
        }
    }
};

QTEST_APPLESS_MAIN(TestParserFraming)
#include "tst_parser_framing.moc"
