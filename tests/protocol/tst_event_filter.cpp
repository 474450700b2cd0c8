// SPDX-License-Identifier: GPL-3.0-or-later
// The user-space copy of the kernel's subscription filter. The kernel tests check the same
// masks against the real kernel (kernelFilterExitOnly, nonzeroExitFilter).

#include "protocol/event_filter.h"

#include <QTest>

using namespace procscope::protocol;

class TestEventFilter : public QObject {
    Q_OBJECT

private slots:
    void accepts_data()
    {
        QTest::addColumn<quint32>("mask");
        QTest::addColumn<quint32>("what");
        QTest::addColumn<quint32>("exitCode");
        QTest::addColumn<bool>("accepted");
        const quint32 fork = 0x1, exec = 0x2, exit = 0x80000000, nonzero = 0x20000000, comm = 0x200;
        QTest::newRow("all: fork") << kAllEvents << fork << 0u << true;
        QTest::newRow("all: ack") << kAllEvents << 0u << 0u << true;
        QTest::newRow("zero means all") << 0u << fork << 0u << true;
        QTest::newRow("zero: ack") << 0u << 0u << 0u << true;
        QTest::newRow("unknown bits only mean all") << 0x00000800u << fork << 0u << true;
        QTest::newRow("exit only: exit") << exit << exit << 0u << true;
        QTest::newRow("exit only: fork") << exit << fork << 0u << false;
        QTest::newRow("exit only: ack") << exit << 0u << 0u << false;
        QTest::newRow("fork+exec: exec") << (fork | exec) << exec << 0u << true;
        QTest::newRow("fork+exec: comm") << (fork | exec) << comm << 0u << false;
        QTest::newRow("nonzero: failing exit") << nonzero << exit << 0x300u << true;
        QTest::newRow("nonzero: killed") << nonzero << exit << 9u << true;
        QTest::newRow("nonzero: clean exit") << nonzero << exit << 0u << false;
        QTest::newRow("nonzero: fork") << nonzero << fork << 0u << false;
        QTest::newRow("exit+nonzero: clean exit passes") << (exit | nonzero) << exit << 0u << true;
        QTest::newRow("exit+nonzero: fork") << (exit | nonzero) << fork << 0u << false;
        QTest::newRow("fork+nonzero: clean exit") << (fork | nonzero) << exit << 0u << false;
        QTest::newRow("fork+nonzero: failing exit") << (fork | nonzero) << exit << 0x100u << true;
        QTest::newRow("unknown kind not in mask") << exit << 0x800u << 0u << false;
    }

    void accepts()
    {
        QFETCH(quint32, mask);
        QFETCH(quint32, what);
        QFETCH(quint32, exitCode);
        QFETCH(bool, accepted);
        QCOMPARE(maskAccepts(mask, what, exitCode), accepted);
    }

    void acceptsEvent()
    {
        ProcEvent clean { {}, ExitEvent { 1, 1, 0, 17, 0, 0, true } };
        ProcEvent failing { {}, ExitEvent { 1, 1, 0x100, 17, 0, 0, true } };
        QVERIFY(!maskAccepts(maskOf(EventType::NonzeroExit), clean));
        QVERIFY(maskAccepts(maskOf(EventType::NonzeroExit), failing));
        ProcEvent fork { {}, ForkEvent { 1, 1, 2, 2 } };
        QVERIFY(maskAccepts(maskOf(EventType::Fork), fork));
        QVERIFY(!maskAccepts(maskOf(EventType::Exec), fork));
    }
};

QTEST_APPLESS_MAIN(TestEventFilter)
#include "tst_event_filter.moc"
