// SPDX-License-Identifier: GPL-3.0-or-later
// pkexec end to end, non-interactively: a system D-Bus, our polkit action, and a rule that
// allows one test user and refuses another. The allowed user's capture streams over a
// socketpair; the refused user gets pkexec's refusal.

#include "support/helper_process.h"

#include <QFile>
#include <QTest>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/un.h>

using namespace procscope;
using namespace procscope::testing;

namespace {

const QString kActionTarget = u"/usr/share/polkit-1/actions/io.github.procscope.capture.policy"_qs;
const QString kRuleTarget = u"/etc/polkit-1/rules.d/49-procscope-e2e-test.rules"_qs;
const char* const kAllowed = "procscope-e2e-allowed";
const char* const kRefused = "procscope-e2e-refused";
const char* const kBusSocket = "/run/dbus/system_bus_socket";

int run(const QString& command)
{
    return std::system(command.toLocal8Bit().constData());
}

bool busAnswers()
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, kBusSocket);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

QStringList pkexecHelper(const char* user, const QStringList& helperArgs)
{
    return QStringList { u"-u"_qs, QString::fromLatin1(user), u"--"_qs, u"/usr/bin/pkexec"_qs, QStringLiteral(PROCSCOPE_HELPER_BIN) } + helperArgs;
}

} // namespace

class TestPolkitEndToEnd : public QObject {
    Q_OBJECT

    QStringList m_createdUsers;
    bool m_startedBus = false;

private slots:
    void initTestCase()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to install a polkit action and rule");
        for (const char* tool : { "/usr/bin/pkexec", "/usr/bin/dbus-daemon", "/usr/lib/polkit-1/polkitd", "/usr/sbin/runuser", "/usr/sbin/useradd" }) {
            if (!QFile::exists(QString::fromLatin1(tool)))
                QSKIP(qPrintable(u"%1 is not installed (packages pkexec, polkitd, dbus)"_qs.arg(QString::fromLatin1(tool))));
        }
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        if (!busAnswers()) {
            QFile::remove(u"/run/dbus/pid"_qs); // a stale pid file blocks the start
            QCOMPARE(run(u"mkdir -p /run/dbus && dbus-daemon --system --fork"_qs), 0);
            m_startedBus = true;
            for (int i = 0; i < 50 && !busAnswers(); ++i)
                QTest::qWait(100);
            QVERIFY2(busAnswers(), "the system bus did not start");
        }
        for (const char* user : { kAllowed, kRefused }) {
            if (!::getpwnam(user)) {
                QCOMPARE(run(u"useradd --system --no-create-home --shell /usr/sbin/nologin %1"_qs.arg(QString::fromLatin1(user))), 0);
                m_createdUsers << QString::fromLatin1(user);
            }
        }
        QFile::remove(kActionTarget);
        QVERIFY(QFile::copy(QStringLiteral(PROCSCOPE_POLICY_FILE), kActionTarget));
        QFile rule(kRuleTarget);
        QVERIFY(rule.open(QIODevice::WriteOnly));
        rule.write("polkit.addRule(function(action, subject) {\n"
                   "    if (action.id == \"io.github.procscope.capture\") {\n"
                   "        if (subject.user == \"procscope-e2e-allowed\") return polkit.Result.YES;\n"
                   "        if (subject.user == \"procscope-e2e-refused\") return polkit.Result.NO;\n"
                   "    }\n"
                   "});\n");
        rule.close();
        QTest::qWait(500); // a running polkitd reloads rules on a file change
    }

    void cleanupTestCase()
    {
        QFile::remove(kActionTarget);
        QFile::remove(kRuleTarget);
        for (const QString& user : std::as_const(m_createdUsers))
            run(u"userdel %1"_qs.arg(user));
        if (m_startedBus)
            run(u"kill $(cat /run/dbus/pid) 2>/dev/null; rm -f /run/dbus/pid"_qs);
    }

    void allowedUserCaptures()
    {
        HelperProcess helper;
        QVERIFY(helper.start("/usr/sbin/runuser", pkexecHelper(kAllowed, { u"--duration"_qs, u"2"_qs, u"--no-snapshot"_qs }), {},
            HelperProcess::Stream::SocketPair));
        QVERIFY2(helper.waitForHeader(15000), helper.standardError().constData());
        const pid_t child = spawnExec("/bin/true", {});
        waitFor(child);
        QCOMPARE(helper.finish(), 0);
        const auto outcome = decodeAll(helper.stream());
        QVERIFY2(!outcome.end, outcome.end ? outcome.end->message().c_str() : "");
        QVERIFY(outcome.sawTrailer);
        const auto header = std::get<capture::HeaderRecord>(outcome.records.front());
        QVERIFY(header.flags & capture::header_flags::kPrivileged);
        const auto execs = payloadsOf<protocol::ExecEvent>(outcome);
        QVERIFY2(std::find(execs.begin(), execs.end(), protocol::ExecEvent { std::uint32_t(child), std::uint32_t(child) }) != execs.end(),
            "the capture does not contain the exec of our child");
    }

    void refusedUserIsToldSo()
    {
        HelperProcess helper;
        QVERIFY(helper.start("/usr/sbin/runuser", pkexecHelper(kRefused, { u"--duration"_qs, u"2"_qs }), {},
            HelperProcess::Stream::SocketPair));
        QCOMPARE(helper.finish(15000), 127); // pkexec's status for "not authorized"
        QVERIFY(helper.stream().empty());
        QVERIFY2(helper.standardError().contains("Not authorized"), helper.standardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestPolkitEndToEnd)
#include "tst_polkit_e2e.moc"
