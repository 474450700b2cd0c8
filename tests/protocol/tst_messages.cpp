// SPDX-License-Identifier: GPL-3.0-or-later
// Subscribe/unsubscribe requests, byte for byte, and ack matching.

#include "../support/qt_bytes.h"
#include "protocol/messages.h"

#include <QTest>

using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

template <std::size_t N>
QByteArray toQ(const std::array<std::byte, N>& bytes) { return QByteArray(reinterpret_cast<const char*>(bytes.data()), N); }

QByteArray expectedRequest(std::uint32_t seq, std::uint32_t ack, const Bytes& data)
{
    ConnectorFields cn;
    cn.seq = seq;
    cn.ack = ack;
    NetlinkFields nl;
    nl.seq = seq;
    return toQByteArray(netlinkMessage(connectorMessage(data, cn), nl));
}

SubscribeAck ackWith(std::uint32_t number)
{
    SubscribeAck ack;
    ack.header.ack = number;
    return ack;
}

} // namespace

class TestMessages : public QObject {
    Q_OBJECT

private slots:
    void opForm_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<quint32>("seq");
        QTest::addColumn<quint32>("ack");
        QTest::newRow("listen") << 1 << 0u << 0u;
        QTest::newRow("ignore") << 2 << 7u << 7u;
        QTest::newRow("large numbers") << 1 << 0xFFFFFFFFu << 0xABCDEF01u;
    }

    void opForm()
    {
        QFETCH(int, op);
        QFETCH(quint32, seq);
        QFETCH(quint32, ack);
        const auto request = buildSubscribeOp(static_cast<McastOp>(op), seq, ack);
        QCOMPARE(request.size(), 40u);
        QCOMPARE(toQ(request), expectedRequest(seq, ack, words({ std::uint32_t(op) })));
    }

    void maskForm_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<quint32>("mask");
        QTest::newRow("exit only") << 1 << 0x80000000u;
        QTest::newRow("fork exec exit") << 1 << 0x80000003u;
        QTest::newRow("nonzero exit") << 1 << 0x20000000u;
        QTest::newRow("all") << 1 << kAllEvents;
        QTest::newRow("ignore") << 2 << 0u;
    }

    void maskForm()
    {
        QFETCH(int, op);
        QFETCH(quint32, mask);
        const auto request = buildSubscribeMask(static_cast<McastOp>(op), mask, 3, 4);
        QCOMPARE(request.size(), 44u);
        QCOMPARE(toQ(request), expectedRequest(3, 4, words({ std::uint32_t(op), mask })));
    }

    // The netlink length, connector length and connector id are what the kernel checks.
    void headerFieldsAtKernelOffsets()
    {
        const auto request = buildSubscribeMask(McastOp::Listen, 0x1, 0, 0);
        const std::span<const std::byte> bytes(request);
        QCOMPARE(readAt<std::uint32_t>(bytes, 0), 44u);
        QCOMPARE(readAt<std::uint16_t>(bytes, 4), std::uint16_t(3)); // NLMSG_DONE
        QCOMPARE(readAt<std::uint32_t>(bytes, 16), 1u); // CN_IDX_PROC
        QCOMPARE(readAt<std::uint32_t>(bytes, 20), 1u); // CN_VAL_PROC
        QCOMPARE(readAt<std::uint16_t>(bytes, 32), std::uint16_t(8)); // cn_msg.len
        QCOMPARE(readAt<std::uint32_t>(bytes, 36), 1u); // op
        QCOMPARE(readAt<std::uint32_t>(bytes, 40), 1u); // mask
    }

    void ackMatching_data()
    {
        QTest::addColumn<quint32>("request");
        QTest::addColumn<quint32>("received");
        QTest::addColumn<bool>("matches");
        QTest::newRow("ours") << 100u << 101u << true;
        QTest::newRow("the request number itself") << 100u << 100u << false;
        QTest::newRow("another listener's") << 100u << 5001u << false;
        QTest::newRow("two ahead") << 100u << 102u << false;
        QTest::newRow("wraps to zero") << 0xFFFFFFFFu << 0u << true;
        QTest::newRow("zero request") << 0u << 1u << true;
    }

    void ackMatching()
    {
        QFETCH(quint32, request);
        QFETCH(quint32, received);
        QFETCH(bool, matches);
        QCOMPARE(isAckFor(ackWith(received), request), matches);
    }

    // A request parsed back as if the kernel had echoed it: same connector framing as events.
    void requestParsesAsConnectorMessage()
    {
        const auto request = buildSubscribeOp(McastOp::Listen, 0, 0);
        const auto messages = parseDatagram(request, 0);
        QCOMPARE(messages.size(), 1u);
        // 4 bytes of data are too short for a proc_event header: reported, not misread.
        QCOMPARE(std::get<Malformed>(messages[0]).error.kind(), ErrorKind::TruncatedMessage);
    }
};

QTEST_APPLESS_MAIN(TestMessages)
#include "tst_messages.moc"
