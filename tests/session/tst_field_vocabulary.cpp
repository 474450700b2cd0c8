// SPDX-License-Identifier: GPL-3.0-or-later
// One vocabulary: every field an export writes is a display filter field, and typing the
// exported value into a filter (`exit_code == 3`, `comm == "make"`, `core_dumped == true`,
// `argv == "-j2"`, `cpu_time >= 1.67s`) selects the row it came from. Checked for every line of
// the bundled sample's JSONL and for hand-built events of every kind (a signal with a core
// dump, an exit code, a thread, an exec gone before it was read, costs, a loss), for the CSV's
// columns, and for the Chrome trace's process args.

#include "support/session_builder.h"

#include "session/capture_loader.h"
#include "session/chrome_trace.h"
#include "session/cost_fields.h"
#include "session/display_filter.h"
#include "session/exporters.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <sstream>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

namespace {

QList<QJsonObject> jsonl(const Session& session)
{
    std::ostringstream out;
    exportJsonl(session, out);
    QList<QJsonObject> objects;
    for (const QByteArray& line : QByteArray::fromStdString(out.str()).split('\n')) {
        if (!line.isEmpty())
            objects << QJsonDocument::fromJson(line).object();
    }
    return objects;
}

// The bytes a JSON string stands for (text_encoding.h: U+DC80..U+DCFF are the bytes that
// were not UTF-8), quoted as the filter language writes text.
std::string quoted(const QString& text)
{
    std::string bytes;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c >= 0xDC80 && c <= 0xDCFF)
            bytes += char(c - 0xDC00);
        else if (QChar::isHighSurrogate(c) && i + 1 < text.size())
            bytes += text.mid(i++, 2).toStdString();
        else
            bytes += QString(text[i]).toStdString();
    }
    std::string out = "\"";
    for (const char c : bytes) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

// What a filter takes for an exported value: numbers as written, true/false, quoted text.
std::string literal(const QJsonValue& value)
{
    if (value.isBool())
        return value.toBool() ? "true" : "false";
    if (value.isString())
        return quoted(value.toString());
    return std::to_string(value.toInteger());
}

// The unit of a quantity field, which filters also take with a unit ("1.67s", "203.12MiB").
std::optional<CostUnit> unitOf(const std::string& name)
{
    if (const CostField* cost = findCostField(name))
        return cost->unit;
    if (name.starts_with("tree.")) {
        if (const SubtreeField* subtree = findSubtreeField(name))
            return subtree->unit;
    }
    if (name == "exited_after_ns")
        return CostUnit::Nanoseconds;
    return std::nullopt;
}

bool matches(const Session& session, const std::string& expression, std::size_t row, QString& error)
{
    auto compiled = DisplayFilter::compile(expression);
    if (const auto* failed = std::get_if<FilterError>(&compiled)) {
        error = QString::fromStdString(expression + ": " + failed->describe());
        return false;
    }
    return std::get<DisplayFilter>(compiled).matches(session, row);
}

// Every field of every JSONL line, typed back into a filter, selects that line's row.
void checkEveryExportedField(const Session& session)
{
    const auto objects = jsonl(session);
    QCOMPARE(qsizetype(objects.size()), qsizetype(session.events().size()));
    for (qsizetype i = 0; i < objects.size(); ++i) {
        const std::size_t row = std::size_t(i);
        for (auto it = objects[i].begin(); it != objects[i].end(); ++it) {
            const std::string name = it.key().toStdString();
            QString error;
            std::vector<std::string> expressions;
            if (it.value().isArray()) {
                for (const QJsonValue& element : it.value().toArray())
                    expressions.push_back(name + " == " + literal(element)); // one argument is enough
            } else {
                expressions.push_back(name + " == " + literal(it.value()));
                const std::string different = name + " != " + literal(it.value());
                QVERIFY2(!matches(session, different, row, error) && error.isEmpty(), qPrintable(QString::fromStdString(different) + error));
            }
            if (const auto unit = unitOf(name); unit && it.value().isDouble())
                expressions.push_back(name + " >= " + filterQuantity(std::uint64_t(it.value().toInteger()), *unit));
            for (const std::string& expression : expressions) {
                const QString where = u"line %1: %2 %3"_qs.arg(i + 1).arg(QString::fromStdString(expression), error);
                QVERIFY2(matches(session, expression, row, error), qPrintable(where + error));
            }
        }
    }
}

// Hand-built events of every kind, with the exits the issue is about.
void buildEveryKind(Session& session)
{
    SessionBuilder build(session);
    build.snapshot(100, 1, "sh");
    build.fork(100, 200);
    build.exec(200);
    build.described(200, "/usr/bin/env \"quoted\"", { "env", "A=\xff", "back\\slash", "" }, "env");
    build.comm(200, 200, "renamed");
    build.uid(200, 1000, 0);
    build.event(0x40, words({ 200, 200, 100, 27 })); // gid
    build.sid(200);
    build.ptrace(200, 300);
    build.coredump(200);
    build.exit(200, 200, 0x8b, 17, 100); // killed by SIGSEGV, core dumped
    build.fork(100, 201);
    build.fork(201, 202, 201); // a thread
    build.exit(202, 201, 0, -1, 100); // the thread ends: no signal to the parent
    build.exit(201, 201, 3 << 8, 17, 100); // exit 3
    build.fork(100, 203);
    build.exec(203);
    const std::uint64_t execNs = build.now();
    build.exit(203, 203, 0, 17, 100);
    build.exitedBeforeRead(203, execNs);
    capture::TaskCostRecord cost;
    cost.flags = capture::cost_flags::kGroupEnded;
    cost.figures.pid = cost.figures.tgid = 201;
    cost.figures.userNs = 1'234'567'891;
    cost.figures.systemNs = 456'789;
    cost.figures.maxRssBytes = 213'000'000;
    cost.figures.writeBytes = 12'288;
    cost.figures.minorFaults = 4321;
    cost.figures.groupEnded = true;
    session.apply(cost);
    build.event(0x12345, words({ 1, 2 })); // a kind this build does not know
    session.apply(capture::LossRecord { capture::LossReason::SequenceGap, 1, 5, build.now() });
}

// A process's slice in the trace carries its fields under the filter's names and values:
// one of its events matches each (`exit` is its status in words, for people).
void checkChromeTraceArgs(const Session& session)
{
    std::ostringstream out;
    exportChromeTrace(session, out);
    const QJsonArray trace = QJsonDocument::fromJson(QByteArray::fromStdString(out.str())).object()[u"traceEvents"_qs].toArray();
    std::vector<std::vector<std::size_t>> rowsOf(session.lineage().size());
    for (std::size_t row = 0; row < session.events().size(); ++row) {
        if (session.events()[row].node != kNoNode)
            rowsOf[session.events()[row].node].push_back(row);
    }
    NodeId node = 0;
    int checked = 0;
    for (const QJsonValue& value : trace) {
        const QJsonObject event = value.toObject();
        if (event[u"ph"_qs] != u"X"_qs)
            continue;
        const QJsonObject args = event[u"args"_qs].toObject();
        const std::vector<std::size_t>& rows = rowsOf[node++];
        for (auto it = args.begin(); it != args.end(); ++it) {
            if (it.key() == u"exit"_qs || rows.empty())
                continue;
            const QJsonValue arg = it.value().isArray() ? it.value().toArray().first() : it.value();
            if (it.value().isArray() && it.value().toArray().isEmpty())
                continue;
            const std::string expression = it.key().toStdString() + " == " + literal(arg);
            QString error;
            const bool any = std::any_of(rows.begin(), rows.end(), [&](std::size_t row) { return matches(session, expression, row, error); });
            QVERIFY2(any && error.isEmpty(), qPrintable(QString::fromStdString(expression) + error));
            ++checked;
        }
    }
    QCOMPARE(node, NodeId(session.lineage().size()));
    QVERIFY(checked > 20);
}

} // namespace

class TestFieldVocabulary : public QObject {
    Q_OBJECT

private slots:
    void sampleCaptureExportsOnlyFilterFields()
    {
        Session session;
        QVERIFY(loadCapture(std::string(PROCSCOPE_SAMPLE_CAPTURE), session).ok());
        QVERIFY(session.events().size() > 30); // a small build: fork, exec and exit of each step
        checkEveryExportedField(session);
    }

    void everyKindExportsOnlyFilterFields()
    {
        Session session;
        buildEveryKind(session);
        const auto objects = jsonl(session);
        // The cases this test is for are there.
        QStringList seen;
        for (const QJsonObject& o : objects)
            seen += o.keys();
        for (const char* name : { "exit_code", "exit_signal", "core_dumped", "wait_status", "signal_to_parent", "argv", "exe",
                 "exited_before_read", "exited_after_ns", "what", "reason", "count", "cpu_time", "tree.cpu_time", "tracer_pid", "rgid" })
            QVERIFY2(seen.contains(QLatin1String(name)), name);
        checkEveryExportedField(session);
    }

    // The decoded meaning is the one filters and exports share; the raw status has its own name.
    void exitsReadTheSameInFiltersAndExports_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("exits"); // of the hand-built session's four
        QTest::newRow("exit code") << u"exit_code == 3"_qs << 1;
        QTest::newRow("old name of the exit code") << u"exit_status == 3"_qs << 1;
        QTest::newRow("raw wait status") << u"wait_status == 768"_qs << 1;
        QTest::newRow("raw status is not the code") << u"exit_code == 768"_qs << 0;
        QTest::newRow("signal by name") << u"exit_signal == SIGSEGV"_qs << 1;
        QTest::newRow("old name of the signal") << u"signal == 11"_qs << 1;
        QTest::newRow("core dumped") << u"core_dumped == true"_qs << 1;
        QTest::newRow("core dumped, as a number") << u"core_dumped == 1"_qs << 1;
        QTest::newRow("signal to the parent") << u"signal_to_parent == SIGCHLD"_qs << 3;
        QTest::newRow("a thread's") << u"signal_to_parent == -1"_qs << 1;
    }

    void exitsReadTheSameInFiltersAndExports()
    {
        QFETCH(QString, expression);
        QFETCH(int, exits);
        Session session;
        buildEveryKind(session);
        auto compiled = DisplayFilter::compile(expression.toStdString());
        QVERIFY(std::holds_alternative<DisplayFilter>(compiled));
        int matched = 0;
        for (std::size_t row = 0; row < session.events().size(); ++row)
            matched += std::get<DisplayFilter>(compiled).matches(session, row);
        QCOMPARE(matched, exits);
    }

    void csvColumnsAreFilterFields()
    {
        Session session;
        buildEveryKind(session);
        std::ostringstream out;
        exportCsv(session, out);
        const std::string text = out.str();
        const QStringList columns = QString::fromStdString(text.substr(0, text.find('\r'))).split(u',');
        QVERIFY(columns.size() > 30);
        QString error;
        for (const QString& column : columns) {
            matches(session, column.toStdString(), 0, error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
    }

    void chromeTraceArgsAreFilterFields()
    {
        Session sample;
        QVERIFY(loadCapture(std::string(PROCSCOPE_SAMPLE_CAPTURE), sample).ok());
        checkChromeTraceArgs(sample);
        Session everyKind;
        buildEveryKind(everyKind);
        checkChromeTraceArgs(everyKind);
    }
};

QTEST_APPLESS_MAIN(TestFieldVocabulary)
#include "tst_field_vocabulary.moc"
