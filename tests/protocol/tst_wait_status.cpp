// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/wait_status.h"

#include <QTest>

using namespace procscope::protocol;

class TestWaitStatus : public QObject {
    Q_OBJECT

private slots:
    void decode_data()
    {
        QTest::addColumn<quint32>("status");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("signal");
        QTest::addColumn<bool>("core");
        QTest::addColumn<QString>("text");
        const int exited = int(WaitStatus::Kind::Exited), killed = int(WaitStatus::Kind::Killed),
                  stopped = int(WaitStatus::Kind::Stopped);
        QTest::newRow("exit 0") << 0x0u << exited << 0 << 0 << false << u"exited 0"_qs;
        QTest::newRow("exit 3") << 0x300u << exited << 3 << 0 << false << u"exited 3"_qs;
        QTest::newRow("exit 5 (every thread)") << 0x500u << exited << 5 << 0 << false << u"exited 5"_qs;
        QTest::newRow("exit 255") << 0xff00u << exited << 255 << 0 << false << u"exited 255"_qs;
        QTest::newRow("SIGTERM") << 15u << killed << 0 << 15 << false << u"killed by SIGTERM"_qs;
        QTest::newRow("SIGKILL") << 9u << killed << 0 << 9 << false << u"killed by SIGKILL"_qs;
        QTest::newRow("abort with core") << 0x86u << killed << 0 << 6 << true << u"killed by SIGABRT (core dumped)"_qs;
        QTest::newRow("SIGSEGV with core") << 0x8bu << killed << 0 << 11 << true << u"killed by SIGSEGV (core dumped)"_qs;
        QTest::newRow("SIGSEGV no core") << 0x0bu << killed << 0 << 11 << false << u"killed by SIGSEGV"_qs;
        QTest::newRow("realtime signal") << 34u << killed << 0 << 34 << false << u"killed by SIGRTMIN+2"_qs;
        QTest::newRow("stopped (never in exit)") << 0x137fu << stopped << 0 << 19 << false << u"stopped by SIGSTOP"_qs;
        QTest::newRow("high bits ignored") << 0xffff0300u << exited << 3 << 0 << false << u"exited 3"_qs;
    }

    void decode()
    {
        QFETCH(quint32, status);
        QFETCH(int, kind);
        QFETCH(int, code);
        QFETCH(int, signal);
        QFETCH(bool, core);
        QFETCH(QString, text);
        const WaitStatus decoded = decodeWaitStatus(status);
        QCOMPARE(int(decoded.kind), kind);
        QCOMPARE(decoded.code, code);
        QCOMPARE(decoded.signal, signal);
        QCOMPARE(decoded.coreDumped, core);
        QCOMPARE(QString::fromStdString(describeWaitStatus(decoded)), text);
    }

    void signalNames_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("name");
        QTest::newRow("1") << 1 << u"SIGHUP"_qs;
        QTest::newRow("6") << 6 << u"SIGABRT"_qs;
        QTest::newRow("9") << 9 << u"SIGKILL"_qs;
        QTest::newRow("11") << 11 << u"SIGSEGV"_qs;
        QTest::newRow("17") << 17 << u"SIGCHLD"_qs;
        QTest::newRow("31") << 31 << u"SIGSYS"_qs;
        QTest::newRow("32") << 32 << u"SIGRTMIN"_qs;
        QTest::newRow("64") << 64 << u"SIGRTMIN+32"_qs;
        QTest::newRow("0") << 0 << u"signal 0"_qs;
        QTest::newRow("65") << 65 << u"signal 65"_qs;
        QTest::newRow("-1") << -1 << u"signal -1"_qs;
    }

    void signalNames()
    {
        QFETCH(int, signal);
        QFETCH(QString, name);
        QCOMPARE(QString::fromStdString(signalName(signal)), name);
    }

    void signalFromNames()
    {
        QCOMPARE(signalFromName("SIGSEGV"), 11);
        QCOMPARE(signalFromName("SEGV"), 11);
        QCOMPARE(signalFromName("SIGKILL"), 9);
        QCOMPARE(signalFromName("SIGSYS"), 31);
        QCOMPARE(signalFromName("SIGBOGUS"), -1);
        QCOMPARE(signalFromName(""), -1);
        QCOMPARE(signalFromName("SIG"), -1);
        for (int s = 1; s < 32; ++s)
            QCOMPARE(signalFromName(signalName(s)), s);
    }
};

QTEST_APPLESS_MAIN(TestWaitStatus)
#include "tst_wait_status.moc"
