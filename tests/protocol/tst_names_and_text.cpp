// SPDX-License-Identifier: GPL-3.0-or-later
// Event type names and lists, kernel release parsing, and the human-readable event lines.

#include "../support/qt_bytes.h"
#include "protocol/event_names.h"
#include "protocol/kernel_version.h"

#include <QTest>

using namespace procscope::protocol;
using namespace procscope::testing;

class TestNamesAndText : public QObject {
    Q_OBJECT

private slots:
    void eventNames()
    {
        QCOMPARE(eventTypeName(0x1).value_or("?"), "fork");
        QCOMPARE(eventTypeName(0x80000000).value_or("?"), "exit");
        QCOMPARE(eventTypeName(0x20000000).value_or("?"), "nonzero-exit");
        QCOMPARE(eventTypeName(0).value_or("?"), "none");
        QVERIFY(!eventTypeName(0x8));
        QVERIFY(!eventTypeName(0x3));
        for (const char* name : { "fork", "exec", "uid", "gid", "sid", "ptrace", "comm", "coredump", "exit", "nonzero-exit" }) {
            const auto type = eventTypeFromName(name);
            QVERIFY2(type, name);
            QCOMPARE(eventTypeName(maskOf(*type)).value_or("?"), std::string_view(name));
        }
        QVERIFY(!eventTypeFromName("Fork"));
    }

    void eventLists_data()
    {
        QTest::addColumn<QString>("list");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint32>("mask");
        QTest::addColumn<QString>("bad");
        QTest::newRow("one") << u"exit"_qs << true << 0x80000000u << QString();
        QTest::newRow("three") << u"fork,exec,exit"_qs << true << 0x80000003u << QString();
        QTest::newRow("all names") << u"fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,nonzero-exit"_qs << true << kAllEvents << QString();
        QTest::newRow("repeated") << u"fork,fork"_qs << true << 0x1u << QString();
        QTest::newRow("unknown") << u"fork,spawn"_qs << false << 0u << u"spawn"_qs;
        QTest::newRow("empty") << QString() << false << 0u << QString();
        QTest::newRow("trailing comma") << u"fork,"_qs << false << 0u << QString();
        QTest::newRow("space") << u"fork, exec"_qs << false << 0u << u" exec"_qs;
        QTest::newRow("none is not a subscription") << u"none"_qs << false << 0u << u"none"_qs;
    }

    void eventLists()
    {
        QFETCH(QString, list);
        QFETCH(bool, valid);
        QFETCH(quint32, mask);
        QFETCH(QString, bad);
        const std::string text = list.toStdString();
        std::string_view badItem = "untouched";
        const auto parsed = parseEventList(text, &badItem);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, mask);
        else
            QCOMPARE(QString::fromUtf8(badItem.data(), qsizetype(badItem.size())), bad);
    }

    void kernelRelease_data()
    {
        QTest::addColumn<QString>("release");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("major");
        QTest::addColumn<int>("minor");
        QTest::addColumn<int>("patch");
        QTest::addColumn<bool>("filter");
        QTest::newRow("this machine's form") << u"6.18.44-fc-v782"_qs << true << 6 << 18 << 44 << true;
        QTest::newRow("debian 12") << u"6.1.0-28-amd64"_qs << true << 6 << 1 << 0 << false;
        QTest::newRow("exactly 6.6") << u"6.6.0"_qs << true << 6 << 6 << 0 << true;
        QTest::newRow("6.5 last without") << u"6.5.13"_qs << true << 6 << 5 << 13 << false;
        QTest::newRow("two parts") << u"6.6"_qs << true << 6 << 6 << 0 << true;
        QTest::newRow("rc") << u"6.7-rc1"_qs << true << 6 << 7 << 0 << true;
        QTest::newRow("old") << u"4.19.0"_qs << true << 4 << 19 << 0 << false;
        QTest::newRow("7.x") << u"7.0.1"_qs << true << 7 << 0 << 1 << true;
        QTest::newRow("garbage") << u"linux"_qs << false << 0 << 0 << 0 << false;
        QTest::newRow("empty") << QString() << false << 0 << 0 << 0 << false;
    }

    void kernelRelease()
    {
        QFETCH(QString, release);
        QFETCH(bool, valid);
        QFETCH(int, major);
        QFETCH(int, minor);
        QFETCH(int, patch);
        QFETCH(bool, filter);
        const std::string text = release.toStdString();
        const auto version = parseKernelRelease(text);
        QCOMPARE(version.has_value(), valid);
        if (valid)
            QCOMPARE(*version, (KernelVersion { major, minor, patch }));
        QCOMPARE(supportsEventFilter(version), filter);
    }

    void runningKernelParses() { QVERIFY(parseKernelRelease(runningKernelRelease())); }

    void escape()
    {
        QCOMPARE(escapeBytes("make"), std::string("make"));
        QCOMPARE(escapeBytes(std::string_view("a\0b", 3)), std::string("a\\x00b"));
        QCOMPARE(escapeBytes("tab\there"), std::string("tab\\x09here"));
        QCOMPARE(escapeBytes("back\\slash"), std::string("back\\\\slash"));
        QCOMPARE(escapeBytes("\xc3\xa9"), std::string("\\xc3\\xa9"));
        QCOMPARE(escapeBytes("\x1b[31m"), std::string("\\x1b[31m"));
    }

    void describe_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<QString>("line");
        auto row = [](const char* name, const Bytes& bytes, const QString& line) { QTest::newRow(name) << toQByteArray(bytes) << line; };
        row("fork", eventDatagram(0x1, words({ 1, 1, 812, 812 })), u"fork parent=1/1 child=812/812"_qs);
        row("thread", eventDatagram(0x1, words({ 1, 1, 813, 812 })), u"fork(thread) parent=1/1 child=813/812"_qs);
        row("exec", eventDatagram(0x2, words({ 812, 812 })), u"exec pid=812 tgid=812"_qs);
        row("uid", eventDatagram(0x4, words({ 5, 5, 1000, 0 })), u"uid pid=5 tgid=5 ruid=1000 euid=0"_qs);
        row("gid", eventDatagram(0x40, words({ 5, 5, 100, 27 })), u"gid pid=5 tgid=5 rgid=100 egid=27"_qs);
        row("sid", eventDatagram(0x80, words({ 5, 5 })), u"sid pid=5 tgid=5"_qs);
        row("ptrace", eventDatagram(0x100, words({ 5, 5, 6, 6 })), u"ptrace pid=5 tgid=5 tracer=6/6"_qs);
        row("ptrace detach", eventDatagram(0x100, words({ 5, 5, 0, 0 })), u"ptrace pid=5 tgid=5 detach"_qs);
        row("comm", eventDatagram(0x200, commBytes(5, 5, "a\x1b" "b\0\0\0\0\0\0\0\0\0\0\0\0\0")), u"comm pid=5 tgid=5 comm=\"a\\x1bb\""_qs);
        row("coredump", eventDatagram(0x40000000, words({ 5, 5, 1, 1 })), u"coredump pid=5 tgid=5 parent=1/1"_qs);
        row("exit", eventDatagram(0x80000000, words({ 812, 812, 0x300, 17, 1, 1 })),
            u"exit pid=812 tgid=812 exited 3 (status 0x300) signal_to_parent=17 parent=1/1"_qs);
        row("exit core", eventDatagram(0x80000000, words({ 812, 812, 0x86, 17, 1, 1 })),
            u"exit pid=812 tgid=812 killed by SIGABRT (core dumped) (status 0x86) signal_to_parent=17 parent=1/1"_qs);
        row("unknown", eventDatagram(0x8, words({})), u"unknown what=0x8 bytes=24"_qs);
        row("ack", eventDatagram(0, words({ 0 }), 0, 0, 0, 9), u"ack ack=9 err=0"_qs);
        row("malformed", Bytes(4), u"malformed at offset 0: truncated netlink header: needs 16 bytes, only 4 available"_qs);
    }

    void describe()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(QString, line);
        const auto messages = parseDatagram(asBytes(datagram), 0);
        QCOMPARE(messages.size(), 1u);
        QCOMPARE(QString::fromStdString(describeMessage(messages[0])), line);
    }
};

QTEST_APPLESS_MAIN(TestNamesAndText)
#include "tst_names_and_text.moc"
