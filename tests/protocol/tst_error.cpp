// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/error.h"

#include <QTest>
#include <cerrno>

using namespace procscope::protocol;

Q_DECLARE_METATYPE(procscope::protocol::Error)

class TestError : public QObject {
    Q_OBJECT

private slots:
    void messages_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("os error") << Error::os(EPERM, "binding to the proc connector group") << int(ErrorKind::OsError)
                                  << u"binding to the proc connector group failed: Operation not permitted (errno 1)"_qs;
        QTest::newRow("os error ENOENT") << Error::os(ENOENT, "opening /proc/1/exe") << int(ErrorKind::OsError)
                                         << u"opening /proc/1/exe failed: No such file or directory (errno 2)"_qs;
        QTest::newRow("truncated") << Error::truncated("exit event", 16, 8) << int(ErrorKind::TruncatedMessage)
                                   << u"truncated exit event: needs 16 bytes, only 8 available"_qs;
        QTest::newRow("buffer too small") << Error::bufferTooSmall(76, 64) << int(ErrorKind::BufferTooSmall)
                                          << u"receive buffer too small: the datagram has 76 bytes, the buffer holds 64"_qs;
        QTest::newRow("interrupted") << Error::interrupted("waiting for proc events") << int(ErrorKind::Interrupted)
                                     << u"waiting for proc events interrupted by a signal"_qs;
        QTest::newRow("connection closed") << Error::connectionClosed("the helper") << int(ErrorKind::ConnectionClosed)
                                           << u"the helper closed the connection"_qs;
        QTest::newRow("overrun") << Error::overrun() << int(ErrorKind::Overrun)
                                 << u"kernel overrun: the proc connector receive queue was full and the kernel dropped events (ENOBUFS)"_qs;
        QTest::newRow("invalid length") << Error::invalidLength("netlink header", 4, 16) << int(ErrorKind::InvalidLength)
                                        << u"invalid length in netlink header: 4 is less than the minimum 16"_qs;
        QTest::newRow("wrong connector") << Error::wrongConnector(3, 1) << int(ErrorKind::WrongConnector)
                                         << u"connector message for id 3.1, expected the proc connector 1.1"_qs;
        QTest::newRow("unexpected type") << Error::unexpectedMessageType(16) << int(ErrorKind::UnexpectedMessageType)
                                         << u"unexpected netlink message type 16"_qs;
        QTest::newRow("spoofed") << Error::spoofedSender(4242) << int(ErrorKind::SpoofedSender)
                                 << u"datagram from netlink port 4242 dropped: only the kernel (port 0) sends proc events"_qs;
    }

    void messages()
    {
        QFETCH(Error, error);
        QFETCH(int, kind);
        QFETCH(QString, message);
        QCOMPARE(int(error.kind()), kind);
        QCOMPARE(QString::fromStdString(error.message()), message);
        QVERIFY(QByteArray(errorKindName(error.kind())) != "unknown");
    }

    void accessors()
    {
        const Error os = Error::os(ENOBUFS, "x");
        QCOMPARE(os.osError(), ENOBUFS);
        const Error small = Error::bufferTooSmall(100, 10);
        QCOMPARE(small.needed(), 100u);
        QCOMPARE(small.available(), 10u);
        QCOMPARE(Error::overrun(), Error::overrun());
        QVERIFY(!(Error::overrun() == Error::bufferTooSmall(1, 1)));
    }

    void result()
    {
        Result<int> good(5);
        QVERIFY(good.ok());
        QVERIFY(bool(good));
        QCOMPARE(good.value(), 5);
        Result<int> bad(Error::overrun());
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().kind(), ErrorKind::Overrun);
        Status done = Ok {};
        QVERIFY(done.ok());
        Result<std::string> moved(std::string("text"));
        QCOMPARE(std::move(moved).value(), std::string("text"));
    }
};

QTEST_APPLESS_MAIN(TestError)
#include "tst_error.moc"
