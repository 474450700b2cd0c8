// SPDX-License-Identifier: GPL-3.0-or-later
// A table of filter expressions with the rows they must match, and of broken expressions with
// the column and message of their error.

#include "support/session_builder.h"

#include "session/display_filter.h"

#include <QTest>

using namespace procscope;
using namespace procscope::session;
using namespace procscope::testing;

using Rows = QList<int>;

namespace {

// Rows: 0 fork 100->200, 1 exec 200 (cc -c a.c --test), 2 exit 200 (0), 3 fork 100->201,
// 4 exec 201 (/usr/bin/ld -o a), 5 exit 201 (exit 1), 6 fork 201->300, 7 exit 300 (SIGSEGV,
// core), 8 uid 100 (1000/1000). make (100) runs as uid 1000 from the snapshot.
void buildSession(Session& session)
{
    SessionBuilder build(session);
    build.snapshot(1, 0, "init");
    build.snapshot(100, 1, "make", 1000);
    build.fork(100, 200);
    build.exec(200);
    build.described(200, "/usr/bin/cc", { "cc", "-c", "a.c", "--test" }, "cc");
    build.exit(200, 200, 0, 17, 100);
    build.fork(100, 201);
    build.exec(201);
    build.described(201, "/usr/bin/ld", { "ld", "-o", "a" }, "ld");
    build.exit(201, 201, 0x100, 17, 100);
    build.fork(201, 300);
    build.exit(300, 300, 0x8b, 17, 201);
    build.uid(100, 1000, 1000);
}

} // namespace

class TestDisplayFilter : public QObject {
    Q_OBJECT

private slots:
    void matches_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<Rows>("rows");
        const Rows all { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
        QTest::newRow("empty") << QString() << all;
        QTest::newRow("blank") << u"   "_qs << all;
        QTest::newRow("type == exec") << u"type == exec"_qs << Rows { 1, 4 };
        QTest::newRow("event == fork") << u"event == fork"_qs << Rows { 0, 3, 6 };
        QTest::newRow("type != fork") << u"type != fork"_qs << Rows { 1, 2, 4, 5, 7, 8 };
        QTest::newRow("pid") << u"pid == 201"_qs << Rows { 3, 4, 5 };
        QTest::newRow("pid range") << u"pid >= 201 and pid < 300"_qs << Rows { 3, 4, 5 };
        QTest::newRow("exit_code != 0") << u"exit_code != 0"_qs << Rows { 5 };
        QTest::newRow("exit_code == 0") << u"exit_code == 0"_qs << Rows { 2 };
        QTest::newRow("signal by name") << u"signal == SIGSEGV"_qs << Rows { 7 };
        QTest::newRow("signal by short name") << u"signal == SEGV"_qs << Rows { 7 };
        QTest::newRow("signal by number") << u"signal == 11"_qs << Rows { 7 };
        QTest::newRow("bare field") << u"core_dumped"_qs << Rows { 7 };
        QTest::newRow("comm regex") << u"comm ~ \"^c\""_qs << Rows { 0, 1, 2 };
        QTest::newRow("argv contains") << u"argv contains \"--test\""_qs << Rows { 0, 1, 2 };
        QTest::newRow("argv == one argument") << u"argv == \"ld\""_qs << Rows { 3, 4, 5 };
        QTest::newRow("argv regex per argument") << u"argv ~ \"^-o$\""_qs << Rows { 3, 4, 5 };
        QTest::newRow("exe regex") << u"exe ~ \"/ld$\""_qs << Rows { 3, 4, 5 };
        QTest::newRow("uid event") << u"uid == 1000 and type == uid"_qs << Rows { 8 };
        QTest::newRow("ppid") << u"ppid == 100"_qs << Rows { 0, 1, 2, 3, 4, 5 };
        QTest::newRow("descendant_of make") << u"descendant_of(100)"_qs << Rows { 0, 1, 2, 3, 4, 5, 6, 7 };
        QTest::newRow("descendant_of ld") << u"descendant_of(201)"_qs << Rows { 6, 7 };
        QTest::newRow("ancestor.comm") << u"ancestor.comm == \"make\""_qs << Rows { 0, 1, 2, 3, 4, 5, 6, 7 };
        QTest::newRow("parent.comm") << u"parent.comm == \"ld\""_qs << Rows { 6, 7 };
        QTest::newRow("not binds tighter than and") << u"not type == fork and pid < 300"_qs << Rows { 1, 2, 4, 5, 8 };
        QTest::newRow("parentheses") << u"(type == exit or type == exec) and pid == 200"_qs << Rows { 1, 2 };
        QTest::newRow("absent fields match nothing") << u"type == exit && !(exit_code == 0)"_qs << Rows { 5, 7 };
        QTest::newRow("symbols") << u"type == exit || type == uid"_qs << Rows { 2, 5, 7, 8 };
        QTest::newRow("escaped quote") << u"comm == \"a\\\"b\""_qs << Rows {};
    }

    void matches()
    {
        QFETCH(QString, expression);
        QFETCH(Rows, rows);
        Session session;
        buildSession(session);
        QCOMPARE(session.events().size(), 9u);
        auto compiled = DisplayFilter::compile(expression.toStdString());
        const auto* filter = std::get_if<DisplayFilter>(&compiled);
        QVERIFY2(filter, filter ? "" : std::get<FilterError>(compiled).describe().c_str());
        Rows matched;
        for (std::size_t row = 0; row < session.events().size(); ++row) {
            if (filter->matches(session, row))
                matched << int(row);
        }
        QCOMPARE(matched, rows);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing value") << u"type =="_qs << 8 << u"expected a value after '=='"_qs;
        QTest::newRow("unknown field") << u"foo == 1"_qs << 1 << u"unknown field 'foo'"_qs;
        QTest::newRow("number expected") << u"pid == abc"_qs << 8 << u"pid is a number, not 'abc'"_qs;
        QTest::newRow("unclosed paren") << u"(pid == 1"_qs << 10 << u"expected ')' to close the '(' at column 1"_qs;
        QTest::newRow("bad regex") << u"comm ~ \"[\""_qs << 8 << u"invalid regular expression"_qs;
        QTest::newRow("unknown event type") << u"type == spawn"_qs << 9 << u"unknown event type 'spawn'"_qs;
        QTest::newRow("unknown signal") << u"signal == SIGFOO"_qs << 11 << u"unknown signal 'SIGFOO'"_qs;
        QTest::newRow("trailing junk") << u"pid == 1 pid"_qs << 10 << u"unexpected 'pid' after a complete expression"_qs;
        QTest::newRow("unterminated string") << u"comm == \"abc"_qs << 9 << u"unterminated string"_qs;
        QTest::newRow("descendant_of text") << u"descendant_of(x)"_qs << 15 << u"descendant_of needs a process id"_qs;
        QTest::newRow("unknown function") << u"frobnicate(1)"_qs << 1 << u"unknown function 'frobnicate'"_qs;
        QTest::newRow("regex on a number") << u"pid ~ \"1\""_qs << 5 << u"'~' compares text, and pid is a number"_qs;
        QTest::newRow("ordering text") << u"comm < \"a\""_qs << 6 << u"text can only be compared with ==, !=, ~ or contains"_qs;
        QTest::newRow("dangling and") << u"pid == 1 and"_qs << 13 << u"expected a field or '(' at the end"_qs;
        QTest::newRow("bad character") << u"pid # 1"_qs << 5 << u"unexpected character '#'"_qs;
        QTest::newRow("ancestor without field") << u"ancestor == 1"_qs << 10 << u"expected '.' and a field after 'ancestor'"_qs;
        QTest::newRow("operator first") << u"== 1"_qs << 1 << u"expected a field, not '=='"_qs;
    }

    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(int, column);
        QFETCH(QString, message);
        auto compiled = DisplayFilter::compile(expression.toStdString());
        const auto* error = std::get_if<FilterError>(&compiled);
        QVERIFY2(error, "compiled, but should not have");
        QCOMPARE(int(error->column), column);
        QVERIFY2(QString::fromStdString(error->message).startsWith(message), error->message.c_str());
        QVERIFY(error->describe().starts_with("column " + std::to_string(column) + ": "));
    }
};

QTEST_APPLESS_MAIN(TestDisplayFilter)
#include "tst_display_filter.moc"
