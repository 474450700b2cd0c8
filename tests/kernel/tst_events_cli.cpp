// SPDX-License-Identifier: GPL-3.0-or-later
// procscope-events as a user runs it: bad arguments, live output, --count, Ctrl+C.

#include "support/kernel_support.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace procscope::testing;

namespace {

const QString kProgram = QStringLiteral(PROCSCOPE_EVENTS_BIN);

// Starts the demo and waits until it says it is listening.
bool startListening(QProcess& process, const QStringList& args)
{
    process.start(kProgram, args);
    if (!process.waitForStarted(5000))
        return false;
    QByteArray err;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 5000) {
        process.waitForReadyRead(100);
        err += process.readAllStandardError();
        if (err.contains("listening"))
            return true;
        if (process.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

bool waitForOutput(QProcess& process, QByteArray& out, const QRegularExpression& pattern, int ms = 5000)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        process.waitForReadyRead(100);
        out += process.readAllStandardOutput();
        if (pattern.match(QString::fromUtf8(out)).hasMatch())
            return true;
    }
    return false;
}

} // namespace

class TestEventsCli : public QObject {
    Q_OBJECT

private slots:
    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList { u"--bogus"_qs } << u"unknown argument '--bogus'"_qs;
        QTest::newRow("unknown event") << QStringList { u"--events"_qs, u"fork,spawn"_qs } << u"unknown event type 'spawn' in --events"_qs;
        QTest::newRow("events without list") << QStringList { u"--events"_qs } << u"--events needs a list"_qs;
        QTest::newRow("count zero") << QStringList { u"--count"_qs, u"0"_qs } << u"--count needs a positive whole number"_qs;
        QTest::newRow("count text") << QStringList { u"--count"_qs, u"ten"_qs } << u"--count needs a positive whole number"_qs;
        QTest::newRow("count negative") << QStringList { u"--count"_qs, u"-1"_qs } << u"--count needs a positive whole number"_qs;
        QTest::newRow("buffer small") << QStringList { u"--buffer"_qs, u"100"_qs } << u"--buffer needs a size in bytes of at least 4096"_qs;
        QTest::newRow("buffer trailing junk") << QStringList { u"--buffer"_qs, u"8192k"_qs } << u"--buffer needs a size in bytes of at least 4096"_qs;
    }

    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess process;
        process.start(kProgram, args);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 2);
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY(process.readAllStandardOutput().isEmpty());
    }

    void help()
    {
        QProcess process;
        process.start(kProgram, { u"--help"_qs });
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardOutput().startsWith("Usage: procscope-events"));
    }

    void liveEventsUntilInterrupted()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        QProcess process;
        QVERIFY(startListening(process, { u"--events"_qs, u"exec,exit"_qs }));
        const pid_t child = spawnExec("/bin/sh", { "-c", "exit 7" });
        waitFor(child);
        QByteArray out;
        const QRegularExpression exitLine(
            u"^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} cpu=\\d+ +exit pid=%1 tgid=%1 exited 7 \\(status 0x700\\) signal_to_parent=17 parent=%2/%2$"_qs
                .arg(child)
                .arg(::getpid()),
            QRegularExpression::MultilineOption);
        QVERIFY2(waitForOutput(process, out, exitLine), out.constData());
        QVERIFY(out.contains(QStringLiteral("exec pid=%1 tgid=%1\n").arg(child).toUtf8()));
        QVERIFY2(!out.contains(" fork "), "fork events shown despite --events exec,exit");

        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(process.readAllStandardError().contains("events shown"));
    }

    void stopsAfterCount()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        QProcess process;
        QVERIFY(startListening(process, { u"--events"_qs, u"exit"_qs, u"--count"_qs, u"2"_qs }));
        for (int i = 0; i < 4 && process.state() == QProcess::Running; ++i)
            waitFor(spawnExec("/bin/true", {}));
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 0);
        const QList<QByteArray> lines = process.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        for (const QByteArray& line : lines)
            QVERIFY2(line.contains(" exit pid="), line.constData());
    }

    // A closed pipe must end the program cleanly (it unsubscribes), not kill it with SIGPIPE.
    void closedPipe()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        int out[2];
        int err[2];
        QVERIFY(::pipe(out) == 0 && ::pipe(err) == 0);
        const pid_t program = ::fork();
        if (program == 0) {
            restoreDefaultSignals();
            ::dup2(out[1], STDOUT_FILENO);
            ::dup2(err[1], STDERR_FILENO);
            ::close(out[0]); // or the program itself would keep its pipe readable
            ::close(err[0]);
            ::execl(PROCSCOPE_EVENTS_BIN, PROCSCOPE_EVENTS_BIN, static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(out[1]);
        ::close(err[1]);
        QByteArray stderrText;
        char chunk[256];
        while (!stderrText.contains("listening")) {
            const ssize_t n = ::read(err[0], chunk, sizeof chunk);
            QVERIFY2(n > 0, "procscope-events ended before listening");
            stderrText.append(chunk, n);
        }
        ::close(out[0]); // the reader goes away, as `| head` does
        int status = 0;
        for (int i = 0; i < 500 && ::waitpid(program, &status, WNOHANG) == 0; ++i)
            waitFor(spawnExec("/bin/true", {}));
        ::close(err[0]);
        if (::waitpid(program, &status, WNOHANG) == 0) {
            ::kill(program, SIGKILL);
            waitFor(program);
            QFAIL("procscope-events kept running after its output pipe closed");
        }
        QVERIFY2(WIFEXITED(status), "procscope-events was killed instead of exiting");
        QCOMPARE(WEXITSTATUS(status), 1);
    }
};

QTEST_GUILESS_MAIN(TestEventsCli)
#include "tst_events_cli.moc"
