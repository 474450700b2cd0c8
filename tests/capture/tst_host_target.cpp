// SPDX-License-Identifier: GPL-3.0-or-later
// Hosts named on the command line and in the capture dialog: what is accepted, what is refused
// before it can reach an ssh command line, and the fixed command that starts the remote helper.

#include "capture/host_target.h"

#include <QProcess>
#include <QTest>
#include <algorithm>
#include <unistd.h>

using namespace procscope::capture;

class TestHostTarget : public QObject
{
    Q_OBJECT

private slots:
    void accepted_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("user");
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QByteArray>("url");
        QTest::newRow("local") << QByteArray("local") << QByteArray("") << QByteArray("") << 0
                               << QByteArray("local");
        QTest::newRow("host") << QByteArray("ssh://build1") << QByteArray("")
                              << QByteArray("build1") << 0 << QByteArray("ssh://build1");
        QTest::newRow("user, host, port")
            << QByteArray("ssh://root@build1.example.org:2222") << QByteArray("root")
            << QByteArray("build1.example.org") << 2222
            << QByteArray("ssh://root@build1.example.org:2222");
        QTest::newRow("trailing slash")
            << QByteArray("ssh://ci-runner-3/") << QByteArray("") << QByteArray("ci-runner-3") << 0
            << QByteArray("ssh://ci-runner-3");
        QTest::newRow("ipv4") << QByteArray("ssh://alice@10.0.0.7:22") << QByteArray("alice")
                              << QByteArray("10.0.0.7") << 22
                              << QByteArray("ssh://alice@10.0.0.7:22");
        QTest::newRow("ipv6") << QByteArray("ssh://[fe80::1]:2200") << QByteArray("")
                              << QByteArray("fe80::1") << 2200
                              << QByteArray("ssh://[fe80::1]:2200");
        QTest::newRow("ipv6 without a port")
            << QByteArray("ssh://root@[fe80::1]") << QByteArray("root") << QByteArray("fe80::1")
            << 0 << QByteArray("ssh://root@[fe80::1]");
        QTest::newRow("user with dot and dash")
            << QByteArray("ssh://j.doe-2@h") << QByteArray("j.doe-2") << QByteArray("h") << 0
            << QByteArray("ssh://j.doe-2@h");
    }
    void accepted()
    {
        QFETCH(QByteArray, text);
        std::string error;
        const auto target = parseHostTarget(text.toStdString(), error);
        QVERIFY2(target, error.c_str());
        QFETCH(QByteArray, user);
        QFETCH(QByteArray, host);
        QFETCH(int, port);
        QFETCH(QByteArray, url);
        QCOMPARE(QByteArray::fromStdString(target->user), user);
        QCOMPARE(QByteArray::fromStdString(target->host), host);
        QCOMPARE(int(target->port), port);
        QCOMPARE(QByteArray::fromStdString(target->url()), url);
        QCOMPARE(target->isLocal(), host.isEmpty());
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("says");
        QTest::newRow("no scheme")
            << QByteArray("build1") << QByteArray("ssh://[user@]host[:port]");
        QTest::newRow("other scheme")
            << QByteArray("http://build1") << QByteArray("ssh://[user@]host[:port]");
        QTest::newRow("empty host")
            << QByteArray("ssh://root@") << QByteArray("host name is missing");
        QTest::newRow("option as host")
            << QByteArray("ssh://-oProxyCommand=x") << QByteArray("not a host name");
        QTest::newRow("option as user")
            << QByteArray("ssh://-oProxyCommand=x@h") << QByteArray("not a user name");
        QTest::newRow("shell in host")
            << QByteArray("ssh://h;reboot") << QByteArray("not a host name");
        QTest::newRow("shell in user")
            << QByteArray("ssh://$(id)@h") << QByteArray("not a user name");
        QTest::newRow("space") << QByteArray("ssh://build 1") << QByteArray("not a host name");
        QTest::newRow("label starting with a hyphen")
            << QByteArray("ssh://a.-b") << QByteArray("not a host name");
        QTest::newRow("port zero") << QByteArray("ssh://h:0") << QByteArray("not a port");
        QTest::newRow("port too large") << QByteArray("ssh://h:65536") << QByteArray("not a port");
        QTest::newRow("port not a number") << QByteArray("ssh://h:ssh") << QByteArray("not a port");
        QTest::newRow("empty port") << QByteArray("ssh://h:") << QByteArray("not a port");
        QTest::newRow("unclosed ipv6") << QByteArray("ssh://[fe80::1") << QByteArray("closing ]");
        QTest::newRow("not ipv6") << QByteArray("ssh://[evil;x]")
                                  << QByteArray("not an IPv6 address");
        QTest::newRow("user too long")
            << "ssh://" + QByteArray(40, 'u') + "@h" << QByteArray("not a user name");
    }
    void refused()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, says);
        std::string error;
        QVERIFY(!parseHostTarget(text.toStdString(), error));
        QVERIFY2(QByteArray::fromStdString(error).contains(says), error.c_str());
    }

    void theRemoteCommandIsFixed()
    {
        std::string error;
        const auto target = parseHostTarget("ssh://ci@build1:2222", error);
        QVERIFY(target);
        const auto args = sshArguments(*target, kRemoteHelperPath, "fork,exec,exit");
        const auto has = [&args](const std::string& a, const std::string& b) {
            for (std::size_t i = 0; i + 1 < args.size(); ++i) {
                if (args[i] == a && args[i + 1] == b)
                    return true;
            }
            return false;
        };
        QVERIFY(has("-o", "BatchMode=yes")); // keys and agent only: nothing waits for a password
        QVERIFY(has("-l", "ci"));
        QVERIFY(has("-p", "2222"));
        QVERIFY(has("--", "build1")); // nothing after -- is read as an option
        QVERIFY(has("-o", "ControlMaster=no")); // never a connection the user's config shares
        QVERIFY(has("-o", "ControlPath=none"));
        QCOMPARE(args.front(), std::string("-T"));
        const std::string& command = args.back();
        // Whatever the login shell, /bin/sh runs the script: one pair of single quotes around it.
        QVERIFY(command.starts_with("exec /bin/sh -c '"));
        QVERIFY(command.ends_with("'"));
        QCOMPARE(std::count(command.begin(), command.end(), '\''), std::ptrdiff_t(2));
        QVERIFY(command.find("exec /usr/libexec/procscope/procscope-helper --events fork,exec,exit")
            != std::string::npos);
        QVERIFY(command.find("exec sudo -n -- /usr/libexec/procscope/procscope-helper") != std::string::npos);
        QVERIFY(command.find(std::string(kRemoteHelperMissing)) != std::string::npos);
    }

    // The command as a remote login shell runs it: a missing helper is named; a present one runs
    // with the fixed arguments.
    void theRemoteCommandRunsInAShell()
    {
        const auto run = [](const std::string& helper, QByteArray* out, QByteArray* err) {
            const std::vector<std::string> args = sshArguments(HostTarget { {}, "build1", 0 }, helper, "fork,exit");
            QProcess shell;
            shell.start(u"/bin/sh"_qs, { u"-c"_qs, QString::fromStdString(args.back()) });
            shell.waitForFinished(10'000);
            *out = shell.readAllStandardOutput();
            *err = shell.readAllStandardError();
            return shell.exitCode();
        };
        QByteArray out, err;
        QCOMPARE(run("/nonexistent/procscope-helper", &out, &err), 127);
        QCOMPARE(err.trimmed(), QByteArray(kRemoteHelperMissing.data(), qsizetype(kRemoteHelperMissing.size())) + "/nonexistent/procscope-helper");
        if (geteuid() != 0)
            QSKIP("the helper runs directly only for root (else through sudo -n)");
        QCOMPARE(run("/bin/echo", &out, &err), 0);
        QCOMPARE(out.trimmed(), QByteArray("--events fork,exit"));
    }

    void onlyPlainPathsAndEventListsReachTheRemoteShell()
    {
        QVERIFY(isPlainAbsolutePath("/usr/libexec/procscope/procscope-helper"));
        QVERIFY(isPlainAbsolutePath("/tmp/build-1/bin/procscope-helper"));
        QVERIFY(!isPlainAbsolutePath("relative/helper"));
        QVERIFY(!isPlainAbsolutePath("/tmp/a b"));
        QVERIFY(!isPlainAbsolutePath("/tmp/x'; reboot; '"));
        QVERIFY(!isPlainAbsolutePath("/tmp/$(id)"));
        QVERIFY(!isPlainAbsolutePath("/usr/../tmp/x"));
        QVERIFY(isPlainEventList("fork,exec,exit"));
        QVERIFY(isPlainEventList("exec,nonzero-exit"));
        QVERIFY(isPlainEventList(""));
        QVERIFY(!isPlainEventList("fork;id"));
        QVERIFY(!isPlainEventList("fork exec"));
    }
};

QTEST_GUILESS_MAIN(TestHostTarget)
#include "tst_host_target.moc"
