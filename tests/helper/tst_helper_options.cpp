// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/options.h"
#include "support/command_line.h"

#include <QTest>

using namespace procscope;
using namespace procscope::helper;

namespace {

ParsedCommandLine parse(const QStringList& args)
{
    const procscope::testing::CommandLine command("procscope-helper", args);
    return parseHelperCommandLine(command.argc(), command.argv());
}

} // namespace

class TestHelperOptions : public QObject {
    Q_OBJECT

private slots:
    void valid_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("output");
        QTest::addColumn<double>("duration");
        QTest::addColumn<quint32>("events");
        QTest::addColumn<bool>("snapshot");
        QTest::addColumn<qulonglong>("buffer");
        const qulonglong def = kDefaultOutputBuffer;
        QTest::newRow("defaults") << QStringList {} << QString() << 0.0 << protocol::kAllEvents << true << def;
        QTest::newRow("output") << QStringList { u"--output"_qs, u"/tmp/x.pscap"_qs } << u"/tmp/x.pscap"_qs << 0.0 << protocol::kAllEvents << true << def;
        QTest::newRow("duration") << QStringList { u"--duration"_qs, u"2"_qs } << QString() << 2.0 << protocol::kAllEvents << true << def;
        QTest::newRow("fractional duration") << QStringList { u"--duration"_qs, u"0.25"_qs } << QString() << 0.25 << protocol::kAllEvents << true << def;
        QTest::newRow("events") << QStringList { u"--events"_qs, u"fork,exit"_qs } << QString() << 0.0 << 0x80000001u << true << def;
        QTest::newRow("no snapshot") << QStringList { u"--no-snapshot"_qs } << QString() << 0.0 << protocol::kAllEvents << false << def;
        QTest::newRow("buffer bytes") << QStringList { u"--buffer"_qs, u"1048576"_qs } << QString() << 0.0 << protocol::kAllEvents << true << 1048576ull;
        QTest::newRow("buffer K") << QStringList { u"--buffer"_qs, u"64K"_qs } << QString() << 0.0 << protocol::kAllEvents << true << 65536ull;
        QTest::newRow("buffer M") << QStringList { u"--buffer"_qs, u"32M"_qs } << QString() << 0.0 << protocol::kAllEvents << true << 33554432ull;
        QTest::newRow("buffer G") << QStringList { u"--buffer"_qs, u"1G"_qs } << QString() << 0.0 << protocol::kAllEvents << true << 1073741824ull;
        QTest::newRow("everything") << QStringList { u"--no-snapshot"_qs, u"--events"_qs, u"exec"_qs, u"--output"_qs, u"f"_qs, u"--duration"_qs, u"1"_qs }
                                    << u"f"_qs << 1.0 << 0x2u << false << def;
    }

    void valid()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, output);
        QFETCH(double, duration);
        QFETCH(quint32, events);
        QFETCH(bool, snapshot);
        QFETCH(qulonglong, buffer);
        const auto parsed = parse(args);
        const auto* options = std::get_if<HelperOptions>(&parsed);
        QVERIFY2(options, std::holds_alternative<UsageError>(parsed) ? std::get<UsageError>(parsed).message.c_str() : "");
        QCOMPARE(QString::fromStdString(options->output.value_or("")), output);
        QCOMPARE(options->durationSeconds.value_or(0.0), duration);
        QCOMPARE(options->events, events);
        QCOMPARE(options->snapshot, snapshot);
        QCOMPARE(qulonglong(options->bufferBytes), buffer);
    }

    void invalid_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList { u"--verbose"_qs } << u"unknown option '--verbose'"_qs;
        QTest::newRow("short option") << QStringList { u"-o"_qs, u"x"_qs } << u"unexpected argument '-o'"_qs;
        QTest::newRow("positional") << QStringList { u"file"_qs } << u"unexpected argument 'file'"_qs;
        QTest::newRow("missing value") << QStringList { u"--output"_qs } << u"--output needs a value"_qs;
        QTest::newRow("empty output") << QStringList { u"--output"_qs, QString() } << u"--output needs a file name"_qs;
        QTest::newRow("repeated") << QStringList { u"--duration"_qs, u"1"_qs, u"--duration"_qs, u"2"_qs } << u"--duration given more than once"_qs;
        QTest::newRow("repeated flag") << QStringList { u"--no-snapshot"_qs, u"--no-snapshot"_qs } << u"--no-snapshot given more than once"_qs;
        QTest::newRow("duration zero") << QStringList { u"--duration"_qs, u"0"_qs } << u"--duration needs a positive number of seconds, not '0'"_qs;
        QTest::newRow("duration negative") << QStringList { u"--duration"_qs, u"-1"_qs } << u"--duration needs a positive number of seconds, not '-1'"_qs;
        QTest::newRow("duration text") << QStringList { u"--duration"_qs, u"5s"_qs } << u"--duration needs a positive number of seconds, not '5s'"_qs;
        QTest::newRow("duration nan") << QStringList { u"--duration"_qs, u"nan"_qs } << u"--duration needs a positive number of seconds, not 'nan'"_qs;
        QTest::newRow("duration inf") << QStringList { u"--duration"_qs, u"inf"_qs } << u"--duration needs a positive number of seconds, not 'inf'"_qs;
        QTest::newRow("events unknown") << QStringList { u"--events"_qs, u"fork,clone"_qs } << u"unknown event type 'clone' in --events"_qs;
        QTest::newRow("events empty") << QStringList { u"--events"_qs, QString() } << u"unknown event type '' in --events"_qs;
        QTest::newRow("buffer small") << QStringList { u"--buffer"_qs, u"1K"_qs } << u"--buffer needs a size from 64K to 1G, not '1K'"_qs;
        QTest::newRow("buffer huge") << QStringList { u"--buffer"_qs, u"2G"_qs } << u"--buffer needs a size from 64K to 1G, not '2G'"_qs;
        QTest::newRow("buffer overflow") << QStringList { u"--buffer"_qs, u"99999999999999999999"_qs } << u"--buffer needs a size"_qs;
        QTest::newRow("buffer lowercase suffix") << QStringList { u"--buffer"_qs, u"64k"_qs } << u"--buffer needs a size"_qs;
        QTest::newRow("buffer bare suffix") << QStringList { u"--buffer"_qs, u"M"_qs } << u"--buffer needs a size"_qs;
    }

    void invalid()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto parsed = parse(args);
        const auto* error = std::get_if<UsageError>(&parsed);
        QVERIFY(error);
        QVERIFY2(QString::fromStdString(error->message).startsWith(message), error->message.c_str());
    }

    void helpAndVersionWin()
    {
        QVERIFY(std::holds_alternative<ShowHelp>(parse({ u"--duration"_qs, u"1"_qs, u"--help"_qs })));
        QVERIFY(std::holds_alternative<ShowVersion>(parse({ u"--version"_qs })));
    }
};

QTEST_APPLESS_MAIN(TestHelperOptions)
#include "tst_helper_options.moc"
