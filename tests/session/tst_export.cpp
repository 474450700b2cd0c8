// SPDX-License-Identifier: GPL-3.0-or-later
// Exports of a real recorded capture (resources/samples) and of hand-built sessions: JSONL
// fields as DESIGN.md names them, CSV per RFC 4180, and both agree with the session row by row.

#include "support/session_builder.h"

#include "session/capture_loader.h"
#include "session/chrome_trace.h"
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

const std::string kSample = PROCSCOPE_SAMPLE_CAPTURE;

QList<QJsonObject> jsonl(const Session& session)
{
    std::ostringstream out;
    exportJsonl(session, out);
    QList<QJsonObject> objects;
    for (const QByteArray& line : QByteArray::fromStdString(out.str()).split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError)
            qFatal("invalid JSON line: %s", line.constData());
        objects << doc.object();
    }
    return objects;
}

// The documented reverse of the CSV byte escapes: \\ -> \, \xNN -> byte NN.
QString unescape(const QByteArray& field)
{
    QByteArray bytes;
    for (qsizetype i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 1 < field.size() && field[i + 1] == '\\') {
            bytes += '\\';
            ++i;
        } else if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] == 'x') {
            bytes += char(field.mid(i + 2, 2).toInt(nullptr, 16));
            i += 3;
        } else {
            bytes += field[i];
        }
    }
    return QString::fromUtf8(bytes);
}

// A small RFC 4180 reader: quoted fields, doubled quotes, CRLF records.
QList<QStringList> readCsv(const QByteArray& text)
{
    QList<QStringList> rows;
    QStringList row;
    QByteArray field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << unescape(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            row << unescape(field);
            field.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void jsonlOfARealCapture()
    {
        Session session;
        const LoadResult loaded = loadCapture(kSample, session);
        QVERIFY2(loaded.ok(), loaded.damage ? loaded.damage->message().c_str() : "");
        QCOMPARE(session.events().size(), std::size_t { 39 }); // --summary: "events: 39"
        const auto objects = jsonl(session);
        QCOMPARE(qsizetype(objects.size()), qsizetype(session.events().size()));
        for (qsizetype i = 0; i < objects.size(); ++i) {
            const StoredEvent& row = session.events()[std::size_t(i)];
            const QJsonObject& o = objects[i];
            QCOMPARE(o[u"event"_qs].toString(), QString::fromLatin1(eventKindName(row.kind)));
            QCOMPARE(quint64(o[u"ts_ns"_qs].toInteger()), row.timestampNs);
            switch (row.kind) {
            case EventKind::Fork:
                QCOMPARE(quint32(o[u"child_pid"_qs].toInteger()), row.pid);
                QCOMPARE(quint32(o[u"parent_tgid"_qs].toInteger()), row.b);
                break;
            case EventKind::Exit:
                QCOMPARE(quint32(o[u"pid"_qs].toInteger()), row.pid);
                QCOMPARE(quint32(o[u"wait_status"_qs].toInteger()), row.a); // the raw status, as the kernel sent it
                QVERIFY(o.contains(u"exit_code"_qs) != o.contains(u"exit_signal"_qs)); // decoded: exited, or killed
                if (o.contains(u"exit_code"_qs))
                    QCOMPARE(quint32(o[u"exit_code"_qs].toInteger()), row.a >> 8);
                QVERIFY(o[u"core_dumped"_qs].isBool());
                QVERIFY(!o.contains(u"exit_status"_qs) && !o.contains(u"signal"_qs)); // their names before the filter and the exports shared them
                break;
            case EventKind::Exec:
                QCOMPARE(quint32(o[u"pid"_qs].toInteger()), row.pid);
                break;
            default:
                break;
            }
        }
        // The compile in the sample: its execs carry argv and exe.
        const bool compiled = std::any_of(objects.begin(), objects.end(), [](const QJsonObject& o) {
            return o[u"event"_qs] == u"exec"_qs && o[u"exe"_qs].toString().endsWith(u"/cc1"_qs) && o[u"argv"_qs].toArray().size() > 3;
        });
        QVERIFY(compiled);
    }

    void csvOfARealCaptureMatchesJsonl()
    {
        Session session;
        QVERIFY(loadCapture(kSample, session).ok());
        std::ostringstream out;
        exportCsv(session, out);
        const auto rows = readCsv(QByteArray::fromStdString(out.str()));
        QCOMPARE(qsizetype(rows.size()), qsizetype(session.events().size() + 1));
        const QStringList header = rows.first();
        QCOMPARE(header.first(), u"event"_qs);
        const auto objects = jsonl(session);
        for (qsizetype i = 0; i < objects.size(); ++i) {
            const QStringList& row = rows[i + 1];
            QCOMPARE(row.size(), header.size());
            for (qsizetype c = 0; c < header.size(); ++c) {
                const QJsonValue value = objects[i][header[c]];
                if (value.isUndefined()) {
                    QVERIFY2(row[c].isEmpty(), qPrintable(header[c]));
                } else if (value.isString()) {
                    QCOMPARE(row[c], value.toString());
                } else if (value.isArray()) {
                    QCOMPARE(QJsonDocument::fromJson(row[c].toUtf8()).array(), value.toArray());
                } else if (value.isBool()) {
                    QCOMPARE(row[c], value.toBool() ? u"true"_qs : u"false"_qs);
                } else {
                    QCOMPARE(row[c].toLongLong(), value.toInteger());
                }
            }
        }
    }

    // Field names and values exactly as DESIGN.md lists them.
    void fieldsOfEveryKind()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(100, 1, "sh");
        build.fork(100, 200);
        build.exec(200);
        build.described(200, "/usr/bin/env", { "env", "A=\xff" }, "env");
        build.comm(200, 200, "renamed");
        build.uid(200, 1000, 0);
        build.event(0x40, words({ 200, 200, 100, 27 }));
        build.sid(200);
        build.ptrace(200, 300);
        build.coredump(200);
        build.exit(200, 200, 0x8b, 17, 100);
        session.apply(capture::LossRecord { capture::LossReason::SequenceGap, 1, 5, build.now() });
        const auto objects = jsonl(session);
        QCOMPARE(objects.size(), 10);
        const auto keys = [&](int i) {
            QStringList k = objects[i].keys();
            k.sort();
            return k.join(u',');
        };
        QCOMPARE(keys(0), u"child_pid,child_tgid,cpu,event,parent_pid,parent_tgid,pid,tgid,ts_ns"_qs);
        QCOMPARE(objects[0][u"pid"_qs].toInt(), objects[0][u"child_pid"_qs].toInt()); // the process a fork is about
        QCOMPARE(keys(1), u"argv,cpu,event,exe,pid,tgid,ts_ns"_qs);
        QCOMPARE(objects[1][u"argv"_qs].toArray().at(1).toString(), u"A="_qs + QChar(0xDCFF));
        QCOMPARE(keys(2), u"comm,cpu,event,pid,tgid,ts_ns"_qs);
        QCOMPARE(objects[2][u"comm"_qs].toString(), u"renamed"_qs);
        QCOMPARE(keys(3), u"cpu,euid,event,pid,ruid,tgid,ts_ns"_qs);
        QCOMPARE(objects[3][u"ruid"_qs].toInt(), 1000);
        QCOMPARE(keys(4), u"cpu,egid,event,pid,rgid,tgid,ts_ns"_qs);
        QCOMPARE(keys(5), u"cpu,event,pid,tgid,ts_ns"_qs);
        QCOMPARE(keys(6), u"cpu,event,pid,tgid,tracer_pid,tracer_tgid,ts_ns"_qs);
        QCOMPARE(keys(7), u"cpu,event,parent_pid,parent_tgid,pid,tgid,ts_ns"_qs);
        QCOMPARE(keys(8), u"core_dumped,cpu,event,exit_signal,parent_pid,parent_tgid,pid,signal_to_parent,tgid,ts_ns,wait_status"_qs);
        QCOMPARE(objects[8][u"exit_signal"_qs].toInt(), 11); // killed by SIGSEGV
        QCOMPARE(objects[8][u"core_dumped"_qs].toBool(), true);
        QCOMPARE(objects[8][u"wait_status"_qs].toInt(), 0x8b);
        QCOMPARE(objects[8][u"signal_to_parent"_qs].toInt(), 17); // SIGCHLD, the kernel's exit_signal
        QCOMPARE(keys(9), u"count,cpu,event,reason,ts_ns"_qs);
        QCOMPARE(objects[9][u"reason"_qs].toString(), u"sequence-gap"_qs);
        QCOMPARE(objects[9][u"count"_qs].toInt(), 5);
    }

    // Valid JSON whose process lifetimes match the lineage table.
    // An exec whose process had exited before the helper could read it: no empty argv, but why
    // and how long it ran.
    void execExitedBeforeRead()
    {
        Session session;
        SessionBuilder build(session);
        build.snapshot(100, 1, "sh");
        build.fork(100, 200);
        build.exec(200);
        const std::uint64_t execNs = build.now();
        build.exit(200, 200, 0, 17, 100);
        build.exitedBeforeRead(200, execNs);
        const auto objects = jsonl(session);
        QCOMPARE(objects.size(), 3);
        QStringList keys = objects[1].keys();
        keys.sort();
        QCOMPARE(keys.join(u','), u"cpu,event,exited_after_ns,exited_before_read,pid,tgid,ts_ns"_qs);
        QCOMPARE(objects[1][u"exited_before_read"_qs].toBool(), true);
        QCOMPARE(objects[1][u"exited_after_ns"_qs].toInteger(), 1000); // the builder's events are 1 us apart
    }

    void chromeTraceMatchesLineage()
    {
        Session session;
        QVERIFY(loadCapture(kSample, session).ok());
        std::ostringstream out;
        exportChromeTrace(session, out);
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(out.str()), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QJsonArray events = doc.object()[u"traceEvents"_qs].toArray();
        QList<QJsonObject> lifetimes;
        int instants = 0;
        for (const auto& value : events) {
            const QJsonObject e = value.toObject();
            if (e[u"ph"_qs] == u"X"_qs)
                lifetimes << e;
            else if (e[u"ph"_qs] == u"i"_qs)
                ++instants;
        }
        const Lineage& lineage = session.lineage();
        QCOMPARE(qsizetype(lifetimes.size()), qsizetype(lineage.size()));
        for (NodeId id = 0; id < lineage.size(); ++id) {
            const ProcessNode& node = lineage.node(id);
            const QJsonObject& e = lifetimes[id];
            QCOMPARE(quint32(e[u"pid"_qs].toInteger()), node.pid);
            QCOMPARE(quint32(e[u"tid"_qs].toInteger()), node.pid);
            if (node.startNs && node.endNs)
                QCOMPARE(qint64(e[u"dur"_qs].toDouble() * 1000 + 0.5), qint64(node.endNs - node.startNs));
            QCOMPARE(e[u"args"_qs].toObject().contains(u"exit"_qs), node.exitStatus.has_value());
        }
        std::size_t expectedInstants = 0;
        for (const auto& row : session.events()) {
            expectedInstants += row.kind == EventKind::Exec || row.kind == EventKind::Comm || row.kind == EventKind::Uid
                || row.kind == EventKind::Gid || row.kind == EventKind::Ptrace || row.kind == EventKind::Coredump;
        }
        QCOMPARE(std::size_t(instants), expectedInstants);
    }

    void filterLimitsRows()
    {
        Session session;
        QVERIFY(loadCapture(kSample, session).ok());
        std::ostringstream out;
        exportJsonl(session, out, [&](std::size_t row) { return session.events()[row].kind == EventKind::Exit; });
        const auto lines = QByteArray::fromStdString(out.str()).trimmed().split('\n');
        std::size_t exits = 0;
        for (const auto& row : session.events())
            exits += row.kind == EventKind::Exit;
        QCOMPARE(std::size_t(lines.size()), exits);
        for (const QByteArray& line : lines)
            QVERIFY(line.startsWith("{\"event\":\"exit\""));
    }
};

QTEST_APPLESS_MAIN(TestExport)
#include "tst_export.moc"
