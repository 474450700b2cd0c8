// SPDX-License-Identifier: GPL-3.0-or-later
// procscope's command line as a user runs it, without a display: --help and --version,
// --summary and --export of good files and damaged files (everything before the damage is
// still exported, the offset is named), --export - to standard output, and bad command lines
// (one line, status 2).

#include "support/capture_samples.h"
#include "support/procscope_run.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>

namespace {

const QString kSample = QStringLiteral(PROCSCOPE_SAMPLE_CAPTURE);
const QString kSampleV1 = QStringLiteral(PROCSCOPE_SAMPLE_CAPTURE_V1); // the same capture in format version 1

using Run = procscope::testing::ProcscopeRun;

Run run(const QStringList& args) { return procscope::testing::runProcscope(args); }

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Offsets of the version 2 records in `capture` (after the 16-byte preamble), walking lengths.
QList<qsizetype> recordOffsets(const QByteArray& capture)
{
    QList<qsizetype> offsets;
    for (qsizetype at = 16; at + 16 <= capture.size();) {
        offsets << at;
        quint32 length = 0;
        std::memcpy(&length, capture.constData() + at + 4, 4);
        at += 16 + qsizetype(length);
    }
    return offsets;
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT

private slots:
    void summary()
    {
        const Run r = run({ u"--summary"_qs, kSample });
        QCOMPARE(r.status, 0);
        QVERIFY(r.err.isEmpty());
        for (const char* line : { "capture:", "events:", "processes:", "failures:", "losses:     none", "damage:     none" })
            QVERIFY2(r.outText().contains(QLatin1String(line)), qPrintable(r.outText()));
        QVERIFY(r.outText().contains(u"killed by SIGKILL"_qs)); // the sample's shell was killed with -9
    }

    void exportFormats_data()
    {
        QTest::addColumn<QStringList>("format");
        QTest::addColumn<QByteArray>("start");
        QTest::newRow("default jsonl") << QStringList {} << QByteArray("{\"event\":");
        QTest::newRow("jsonl") << QStringList { u"--format"_qs, u"jsonl"_qs } << QByteArray("{\"event\":");
        QTest::newRow("csv") << QStringList { u"--format"_qs, u"csv"_qs } << QByteArray("event,ts_ns,cpu,pid,");
        QTest::newRow("chrome") << QStringList { u"--format"_qs, u"chrome"_qs } << QByteArray("{\"displayTimeUnit\":");
    }

    void exportFormats()
    {
        QFETCH(QStringList, format);
        QFETCH(QByteArray, start);
        QTemporaryDir dir;
        const QString out = dir.filePath(u"out"_qs);
        const Run r = run(QStringList { u"--export"_qs, out } + format + QStringList { kSample });
        QCOMPARE(r.status, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(readAll(out).startsWith(start));
    }

    void exportWithAFilter()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(u"execs.jsonl"_qs);
        const Run r = run({ u"--export"_qs, out, u"--filter"_qs, u"type == exec and exe ~ \"cc1$\""_qs, kSample });
        QCOMPARE(r.status, 0);
        const QList<QByteArray> lines = readAll(out).trimmed().split('\n');
        QVERIFY(!lines.isEmpty() && !lines.first().isEmpty());
        for (const QByteArray& line : lines)
            QVERIFY2(line.startsWith("{\"event\":\"exec\"") && line.contains("cc1\""), line.constData());
    }

    void badFilterNamesTheColumn()
    {
        const Run r = run({ u"--export"_qs, u"o"_qs, u"--filter"_qs, u"pid == x"_qs, kSample });
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.startsWith(u"procscope: --filter: column 8: pid is a number, not 'x'"_qs), qPrintable(r.err));
    }

    // A file cut in the middle of a record: what came before is exported, the offset named.
    void damagedFileKeepsWhatCameBefore()
    {
        QTemporaryDir dir;
        const QByteArray whole = readAll(kSample);
        QVERIFY(whole.size() > 1000);
        const QString cut = dir.filePath(u"cut.pscap"_qs);
        QFile file(cut);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(whole.left(whole.size() / 2));
        file.close();
        const QString out = dir.filePath(u"cut.jsonl"_qs);
        const Run r = run({ u"--export"_qs, out, cut });
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY2(r.err.contains(u"the stream ends inside a record"_qs) && r.err.contains(u"at byte offset"_qs), qPrintable(r.err));
        QVERIFY2(r.err.contains(cut), qPrintable(r.err));
        const QByteArray exported = readAll(out);
        QVERIFY(exported.count('\n') > 10);
        // The summary of the same file still shows what it has, and names the damage.
        const Run s = run({ u"--summary"_qs, cut });
        QCOMPARE(s.status, 1);
        QVERIFY(s.outText().contains(u"cut short (no trailer)"_qs));
    }

    // A timestamp no real capture can have (the 155 billion rate buckets): the summary
    // and the export still run, and the damage is named instead of exhausting memory.
    void absurdTimestampIsNamedNotAllocated()
    {
        using namespace procscope;
        QTemporaryDir dir;
        const QString path = dir.filePath(u"far.pscap"_qs);
        std::vector<capture::Record> records { testing::sampleHeader(), testing::sampleKernelEvent(1) };
        capture::KernelEventRecord far = testing::sampleKernelEvent(2);
        far.procEvent = testing::procEvent(0x1, 0, 0x00FF'0000'0000'0000ULL, testing::paddedPayload(testing::words({ 100, 100, 201, 201 })));
        records.push_back(far);
        records.push_back(capture::TrailerRecord { 9000, capture::StopReason::Duration, 2, 0, {} });
        const auto bytes = testing::encodeStream(records);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
        file.close();

        const Run s = run({ u"--summary"_qs, path });
        QCOMPARE(s.status, 1);
        QCOMPARE(s.err, u"procscope: "_qs + path + u": 1 event has a timestamp more than 31 days from the capture's start (damaged), left out of the rates\n"_qs);
        QVERIFY2(s.outText().contains(u"events:     2 (fork 2)"_qs), qPrintable(s.outText()));
        QVERIFY2(s.outText().contains(u"damage:     1 event with a timestamp beyond 31 days of the start"_qs), qPrintable(s.outText()));

        const QString out = dir.filePath(u"far.jsonl"_qs);
        const Run e = run({ u"--export"_qs, out, path });
        QCOMPARE(e.status, 1);
        QCOMPARE(e.err, s.err);
        QCOMPARE(readAll(out).count('\n'), 2); // both events are exported, the far one as recorded
    }

    // Files written before checksums still open, and say the same.
    void version1FileReadsTheSame_data()
    {
        QTest::addColumn<QStringList>("format");
        QTest::newRow("jsonl") << QStringList { u"--format"_qs, u"jsonl"_qs };
        QTest::newRow("csv") << QStringList { u"--format"_qs, u"csv"_qs };
        QTest::newRow("chrome") << QStringList { u"--format"_qs, u"chrome"_qs };
    }

    void version1FileReadsTheSame()
    {
        QFETCH(QStringList, format);
        QTemporaryDir dir;
        const QString v1 = dir.filePath(u"v1.out"_qs);
        const QString v2 = dir.filePath(u"v2.out"_qs);
        QCOMPARE(run(QStringList { u"--export"_qs, v1 } + format + QStringList { kSampleV1 }).status, 0);
        QCOMPARE(run(QStringList { u"--export"_qs, v2 } + format + QStringList { kSample }).status, 0);
        QVERIFY(readAll(v1).size() > 1000);
        QCOMPARE(readAll(v1), readAll(v2));
        QCOMPARE(run({ u"--summary"_qs, kSampleV1 }).out, run({ u"--summary"_qs, kSample }).out);
    }

    // One damaged byte in the middle of the file: that record is skipped and named, every
    // other record is exported.
    void damagedRecordInTheMiddleCostsOnlyItself_data()
    {
        QTest::addColumn<int>("where"); // byte of the record to damage: in its header, or in its body
        QTest::newRow("body") << 20;
        QTest::newRow("length") << 5;
        QTest::newRow("sync marker") << 0;
    }

    void damagedRecordInTheMiddleCostsOnlyItself()
    {
        QFETCH(int, where);
        const QByteArray whole = readAll(kSample);
        const QList<qsizetype> offsets = recordOffsets(whole);
        // The header, 2 status messages, 39 events and the 2 acknowledgements of the helper's
        // subscription, 14 process descriptions (the build's and the shell's that started it), the trailer.
        QCOMPARE(offsets.size(), 59);
        // A kernel event (kind 2) in the middle: it is one line of the export.
        qsizetype record = -1;
        for (qsizetype i = offsets.size() / 2; i < offsets.size() && record < 0; ++i) {
            if (whole[offsets[i] + 2] == 2 && whole[offsets[i] + 3] == 0)
                record = offsets[i];
        }
        QVERIFY(record > 0);
        QByteArray damaged = whole;
        damaged[record + where] = char(damaged[record + where] ^ 0x40);

        QTemporaryDir dir;
        const QString path = dir.filePath(u"damaged.pscap"_qs);
        QVERIFY(writeFile(path, damaged));
        const QString original = dir.filePath(u"original.jsonl"_qs);
        const QString out = dir.filePath(u"damaged.jsonl"_qs);
        QCOMPARE(run({ u"--export"_qs, original, kSample }).status, 0);
        const Run r = run({ u"--export"_qs, out, path });
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err.count(u'\n'), 1);
        QVERIFY2(r.err.contains(u"1 damaged record skipped"_qs) && r.err.contains(u"at byte offset %1)"_qs.arg(record)), qPrintable(r.err));

        const QList<QByteArray> before = readAll(original).split('\n');
        const QList<QByteArray> after = readAll(out).split('\n');
        QCOMPARE(after.size(), before.size() - 1);
        qsizetype missing = 0; // the lines are the same, but for the lost event's
        for (qsizetype i = 0, j = 0; i < before.size(); ++i) {
            if (j < after.size() && before[i] == after[j])
                ++j;
            else
                ++missing;
        }
        QCOMPARE(missing, 1);

        const Run s = run({ u"--summary"_qs, path });
        QCOMPARE(s.status, 1);
        QVERIFY2(s.outText().contains(u"damage:     1 damaged record skipped (the first at byte offset %1)"_qs.arg(record)), qPrintable(s.outText()));
        QVERIFY2(s.outText().contains(u"stopped by"_qs), qPrintable(s.outText())); // the trailer, after the damage, was read
    }

    void notACapture()
    {
        QTemporaryDir dir;
        const QString text = dir.filePath(u"notes.txt"_qs);
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are not process events\n");
        file.close();
        const Run r = run({ u"--summary"_qs, text });
        QCOMPARE(r.status, 1);
        QVERIFY2(r.err.contains(u"not a Procscope capture (wrong magic bytes) (at byte offset 0)"_qs), qPrintable(r.err));
    }

    void missingFile()
    {
        const Run r = run({ u"--summary"_qs, u"/nonexistent/x.pscap"_qs });
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err, u"procscope: opening /nonexistent/x.pscap failed: No such file or directory (errno 2)\n"_qs);
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no file") << QStringList { u"--summary"_qs } << u"no capture file given"_qs;
        QTest::newRow("export without output") << QStringList { u"--export"_qs } << u"--export needs an output file"_qs;
        QTest::newRow("bad format") << QStringList { u"--export"_qs, u"o"_qs, u"--format"_qs, u"xml"_qs, kSample }
                                    << u"--format must be jsonl, csv or chrome, not 'xml'"_qs;
        QTest::newRow("two files") << QStringList { u"--summary"_qs, kSample, kSample } << u"more than one capture file given"_qs;
        QTest::newRow("both modes") << QStringList { u"--summary"_qs, u"--export"_qs, u"o"_qs, kSample } << u"separate runs"_qs;
        QTest::newRow("unknown option") << QStringList { u"--summary"_qs, u"--fast"_qs, kSample } << u"unknown option '--fast'"_qs;
        QTest::newRow("unknown short option") << QStringList { u"-x"_qs } << u"unknown option '-x'"_qs;
        QTest::newRow("empty output") << QStringList { u"--export"_qs, QString(), kSample } << u"--export needs an output file"_qs;
        QTest::newRow("filter without expression") << QStringList { u"--export"_qs, u"o"_qs, kSample, u"--filter"_qs }
                                                   << u"--filter needs an expression"_qs;
        QTest::newRow("format without a value") << QStringList { u"--export"_qs, u"o"_qs, kSample, u"--format"_qs }
                                                << u"--format needs one of jsonl, csv or chrome"_qs;
        QTest::newRow("filter without export") << QStringList { u"--summary"_qs, u"--filter"_qs, u"pid == 1"_qs, kSample }
                                               << u"--format and --filter go with --export"_qs;
        QTest::newRow("format without export") << QStringList { u"--format"_qs, u"csv"_qs, kSample } << u"go with --export"_qs;
        QTest::newRow("capture and export") << QStringList { u"--export"_qs, u"o"_qs, u"--capture"_qs, kSample }
                                            << u"--export and --capture are separate runs"_qs;
        QTest::newRow("capture options alone") << QStringList { u"--write"_qs, u"w.pscap"_qs } << u"go with --capture"_qs;
        QTest::newRow("host without capture") << QStringList { u"--host"_qs, u"ssh://build1"_qs } << u"go with --capture"_qs;
        QTest::newRow("host not a url") << QStringList { u"--capture"_qs, u"--host"_qs, u"build1"_qs } << u"--host build1: a host is \"local\" or ssh://[user@]host[:port]"_qs;
        QTest::newRow("host as an option") << QStringList { u"--capture"_qs, u"--host"_qs, u"ssh://-oProxyCommand=id"_qs } << u"is not a host name"_qs;
        QTest::newRow("host twice") << QStringList { u"--capture"_qs, u"--host"_qs, u"ssh://b:22"_qs, u"--host"_qs, u"ssh://b:22"_qs } << u"--host ssh://b:22 is given twice"_qs;
        QTest::newRow("host with a bad port") << QStringList { u"--capture"_qs, u"--host"_qs, u"ssh://b:99999"_qs } << u"is not a port"_qs;
        QTest::newRow("relative remote helper") << QStringList { u"--capture"_qs, u"--remote-helper"_qs, u"bin/helper"_qs } << u"--remote-helper must be an absolute path"_qs;
        QTest::newRow("events with a shell") << QStringList { u"--capture"_qs, u"--events"_qs, u"fork;id"_qs } << u"--events takes event type names"_qs;
        QTest::newRow("ring without capture") << QStringList { u"--ring"_qs, u"2G"_qs } << u"go with --capture"_qs;
        QTest::newRow("ring without write") << QStringList { u"--capture"_qs, u"--ring"_qs, u"2G"_qs } << u"--ring and --keep need --write FILE"_qs;
        QTest::newRow("ring of a remote host") << QStringList { u"--capture"_qs, u"--write"_qs, u"w.pscap"_qs, u"--keep"_qs, u"12h"_qs, u"--host"_qs, u"ssh://b"_qs }
                                               << u"--ring and --keep capture this machine alone"_qs;
        QTest::newRow("ring size without a unit") << QStringList { u"--capture"_qs, u"--write"_qs, u"w.pscap"_qs, u"--ring"_qs, u"2X"_qs }
                                                  << u"--ring: '2X': the unit must be K, M, G or T"_qs;
        QTest::newRow("ring too small") << QStringList { u"--capture"_qs, u"--write"_qs, u"w.pscap"_qs, u"--ring"_qs, u"100K"_qs } << u"too small (at least 1M)"_qs;
        QTest::newRow("keep without a unit") << QStringList { u"--capture"_qs, u"--write"_qs, u"w.pscap"_qs, u"--keep"_qs, u"12"_qs } << u"--keep: '12': the unit must be s, m, h or d"_qs;
        QTest::newRow("ring without a value") << QStringList { u"--capture"_qs, u"--write"_qs, u"w.pscap"_qs, u"--ring"_qs } << u"--ring needs a size"_qs;
        QTest::newRow("capture and a file") << QStringList { u"--capture"_qs, kSample } << u"--capture and a FILE to open are separate runs"_qs;
        QTest::newRow("about with more") << QStringList { u"--about"_qs, kSample } << u"--about goes alone"_qs;
        QTest::newRow("flag with a value") << QStringList { u"--summary=yes"_qs, kSample } << u"unexpected value after '--summary'"_qs;
    }

    void badCommandLines()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(args);
        QCOMPARE(r.status, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.startsWith(u"procscope: "_qs) && r.err.endsWith(u"\nTry 'procscope --help'.\n"_qs), qPrintable(r.err));
        QCOMPARE(r.err.count(u'\n'), 2);
        QVERIFY(r.out.isEmpty());
    }

    // Every option on one line of an 80-column terminal: no value list wrapped onto its own.
    void helpFitsEightyColumns()
    {
        const Run r = run({ u"--help"_qs });
        QCOMPARE(r.status, 0);
        const QStringList lines = r.outText().split(u'\n');
        QCOMPARE(lines.first(), u"Usage: procscope [options] [FILE]"_qs);
        const qsizetype options = lines.indexOf(u"Options:"_qs);
        const qsizetype arguments = lines.indexOf(u"Arguments:"_qs);
        QVERIFY(options > 0 && arguments > options);
        for (const QString& line : lines)
            QVERIFY2(line.size() <= 80, qPrintable(line));
        for (qsizetype i = options + 1; i < arguments - 1; ++i)
            QVERIFY2(lines[i].startsWith(u"  -"_qs), qPrintable(u"a wrapped option description: "_qs + lines[i]));
        for (const char* option : { "--capture", "--events <LIST>", "--write <FILE>", "--ring <SIZE>", "--keep <DURATION>", "--unprivileged", "--export <OUT>",
                 "--format <jsonl|csv|chrome>", "--filter <EXPR>", "--summary", "--about", "--version" })
            QVERIFY2(r.outText().contains(QLatin1String(option)), option);
    }

    void version()
    {
        const Run r = run({ u"--version"_qs });
        QCOMPARE(r.status, 0);
        QCOMPARE(r.outText(), u"procscope "_qs + QStringLiteral(PROCSCOPE_VERSION) + u"\n"_qs);
    }

    // `--export -` writes to standard output, as command-line tools do; the same bytes as a file.
    void exportToStandardOutput_data() { exportFormats_data(); }

    void exportToStandardOutput()
    {
        QFETCH(QStringList, format);
        QFETCH(QByteArray, start);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"out"_qs);
        QCOMPARE(run(QStringList { u"--export"_qs, file } + format + QStringList { kSample }).status, 0);
        const Run r = run(QStringList { u"--export"_qs, u"-"_qs } + format + QStringList { kSample });
        QCOMPARE(r.status, 0);
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.startsWith(start));
        QCOMPARE(r.out, readAll(file));
        QVERIFY(!QFile::exists(dir.filePath(u"-"_qs)));
    }

    void exportToAPlaceThatCannotBeWritten()
    {
        const Run r = run({ u"--export"_qs, u"/nonexistent-dir/out.jsonl"_qs, kSample });
        QCOMPARE(r.status, 1);
        QCOMPARE(r.err, u"procscope: cannot create /nonexistent-dir/out.jsonl: No such file or directory\n"_qs);
    }
};

QTEST_APPLESS_MAIN(TestCommandLine)
#include "tst_command_line.moc"
