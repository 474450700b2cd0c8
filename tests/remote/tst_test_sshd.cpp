// SPDX-License-Identifier: GPL-3.0-or-later
// The sshd fixture itself: what the SSH capture's tests will rely on, through the `ssh` a
// program finds first on PATH, as Procscope will run it.

#include "support/test_sshd.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>
#include <QUrl>
#include <optional>

using namespace procscope::testing;

namespace {

struct SshRun
{
    int status = -1; // -1: it crashed or did not finish
    QString out;
    QString err;
};

SshRun runSsh(const QStringList& args)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(u"ssh"_qs, args);
    SshRun run;
    if (process.waitForFinished(30'000) && process.exitStatus() == QProcess::NormalExit) {
        run.status = process.exitCode();
    } else {
        process.kill();
        process.waitForFinished();
    }
    run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

// Everything `url` names, as ssh's arguments.
QStringList target(const QString& url)
{
    const QUrl parsed(url);
    return { u"-T"_qs, u"-p"_qs, QString::number(parsed.port()),
        parsed.userName() + u'@' + parsed.host() };
}

// Processes whose command line mentions `text` (sshd's holds its config's path).
int processesMentioning(const QString& text)
{
    int count = 0;
    const QStringList entries = QDir(u"/proc"_qs).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        QFile cmdline(u"/proc/"_qs + entry + u"/cmdline"_qs);
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(text.toLocal8Bit()))
            ++count;
    }
    return count;
}

} // namespace

class TestSshdTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const QString reason = TestSshd::unavailableReason(); !reason.isEmpty())
            QSKIP(qPrintable(reason));
    }

    void init()
    {
        m_sshd.emplace();
        QString whyNot;
        QVERIFY2(m_sshd->start(&whyNot), qPrintable(whyNot));
        qputenv("PATH", QFile::encodeName(m_sshd->binDirectory()) + ':' + m_path);
    }

    void cleanup()
    {
        qputenv("PATH", m_path);
        m_sshd.reset();
    }

    void runsACommand()
    {
        QCOMPARE(QStandardPaths::findExecutable(u"ssh"_qs), m_sshd->binDirectory() + u"/ssh"_qs);
        QCOMPARE(m_sshd->url(), u"ssh://root@localhost:%1"_qs.arg(m_sshd->port()));
        const SshRun run
            = runSsh(target(m_sshd->url()) + QStringList { u"--"_qs, u"echo"_qs, u"hello"_qs });
        QVERIFY2(run.status == 0, qPrintable(run.err + m_sshd->log()));
        QCOMPARE(run.out, u"hello\n"_qs);
    }

    void refusesAChangedHostKey()
    {
        QVERIFY(m_sshd->setKnownHostsWrong());
        const SshRun run = runSsh(target(m_sshd->url()) + QStringList { u"--"_qs, u"true"_qs });
        QCOMPARE(run.status, 255);
        QVERIFY2(
            run.err.contains(u"REMOTE HOST IDENTIFICATION HAS CHANGED"_qs), qPrintable(run.err));
        QVERIFY2(run.err.contains(u"Host key verification failed"_qs), qPrintable(run.err));
    }

    void refusesARevokedClientKey()
    {
        QVERIFY(m_sshd->revokeClientKey());
        const SshRun run = runSsh(target(m_sshd->url()) + QStringList { u"--"_qs, u"true"_qs });
        QCOMPARE(run.status, 255);
        QVERIFY2(run.err.contains(u"Permission denied"_qs), qPrintable(run.err));
    }

    void reportsAPortNobodyListensOn()
    {
        const quint16 port = unusedLoopbackPort();
        QVERIFY(port != 0 && port != m_sshd->port());
        const SshRun run
            = runSsh({ u"-p"_qs, QString::number(port), u"root@localhost"_qs, u"true"_qs });
        QCOMPARE(run.status, 255);
        QVERIFY2(run.err.contains(u"Connection refused"_qs), qPrintable(run.err));
    }

    // The connection is cut under a running command; the server still takes the next one.
    void dropsConnections()
    {
        QProcess ssh;
        ssh.setStandardInputFile(QProcess::nullDevice());
        ssh.start(u"ssh"_qs,
            target(m_sshd->url()) + QStringList { u"--"_qs, u"echo started && sleep 30"_qs });
        QVERIFY(ssh.waitForReadyRead(20'000));
        QCOMPARE(ssh.readAllStandardOutput(), QByteArray("started\n"));

        QElapsedTimer timer;
        timer.start();
        QVERIFY(m_sshd->dropConnections());
        QVERIFY(ssh.waitForFinished(10'000));
        QCOMPARE(ssh.exitCode(), 255);
        QCOMPARE_LT(timer.elapsed(), 5000);

        const SshRun again
            = runSsh(target(m_sshd->url()) + QStringList { u"--"_qs, u"echo"_qs, u"hello"_qs });
        QVERIFY2(again.status == 0, qPrintable(again.err + m_sshd->log()));
    }

    // Gone with the object: sshd, the session it was serving, and the directory.
    void leavesNothingBehind()
    {
        QProcess ssh;
        ssh.setStandardInputFile(QProcess::nullDevice());
        ssh.start(u"ssh"_qs,
            target(m_sshd->url()) + QStringList { u"--"_qs, u"echo started && sleep 30"_qs });
        QVERIFY(ssh.waitForReadyRead(20'000));
        const QString directory = QFileInfo(m_sshd->clientConfig()).path();
        QCOMPARE_GE(processesMentioning(directory), 2); // sshd, and the client's ssh -F

        m_sshd.reset();
        QVERIFY(ssh.waitForFinished(10'000));
        QCOMPARE(ssh.exitCode(), 255);
        QCOMPARE(processesMentioning(directory), 0);
        QVERIFY(!QFileInfo::exists(directory));
    }

private:
    const QByteArray m_path = qgetenv("PATH");
    std::optional<TestSshd> m_sshd;
};

QTEST_GUILESS_MAIN(TestSshdTest)
#include "tst_test_sshd.moc"
