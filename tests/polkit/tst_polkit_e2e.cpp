// SPDX-License-Identifier: GPL-3.0-or-later
// pkexec end to end, non-interactively: a system D-Bus, our polkit action, and a rule that
// allows one test user and refuses another. The allowed user's capture streams over a
// socketpair; the refused user gets pkexec's refusal.

#include "support/helper_process.h"
#include "support/reachable_copy.h"

#include <QDir>
#include <QFile>
#include <memory>
#include <optional>
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

QStringList pkexecHelper(const char* user, const QString& helper, const QStringList& helperArgs)
{
    return QStringList { u"-u"_qs, QString::fromLatin1(user), u"--"_qs, u"/usr/bin/pkexec"_qs, helper } + helperArgs;
}

// The build tree's action names the build tree's helper; the installed copy names the copy.
QByteArray actionFor(const QString& helper)
{
    QFile action(QStringLiteral(PROCSCOPE_POLICY_FILE));
    if (!action.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = action.readAll();
    const QByteArray annotation = "exec.path\">" PROCSCOPE_HELPER_BIN "<";
    if (!text.contains(annotation))
        return {};
    return text.replace(annotation, "exec.path\">" + QFile::encodeName(helper) + "<");
}

} // namespace

class TestPolkitEndToEnd : public QObject {
    Q_OBJECT

    QStringList m_createdUsers;
    bool m_startedBus = false;
    // The test users may not reach the build tree: pkexec runs a copy they can reach.
    std::unique_ptr<ReachableCopy> m_helper;
    QString m_previousDirectory;
    // The action file is replaced only once the test gets that far, and an installed
    // Procscope's (the Debian package's) is put back afterwards.
    bool m_replacedAction = false;
    std::optional<QByteArray> m_installedAction;

    QString helperPath() const { return QString::fromLocal8Bit(m_helper->path()); }

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
        m_helper = std::make_unique<ReachableCopy>(QStringLiteral(PROCSCOPE_HELPER_BIN));
        if (!m_helper->ok())
            QSKIP(qPrintable(u"the test users need a copy of the helper they can reach: "_qs + m_helper->error()));
        // pkexec and runuser start in our working directory, which the users may not reach either.
        m_previousDirectory = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_helper->directory()));
        const QByteArray action = actionFor(QString::fromLocal8Bit(m_helper->path()));
        QVERIFY2(!action.isEmpty(), "the build tree's polkit action does not name the build tree's helper");
        if (QFile installedAction(kActionTarget); installedAction.open(QIODevice::ReadOnly))
            m_installedAction = installedAction.readAll();
        m_replacedAction = true;
        QFile::remove(kActionTarget);
        QFile actionFile(kActionTarget);
        QVERIFY(actionFile.open(QIODevice::WriteOnly));
        QVERIFY(actionFile.write(action) == action.size());
        actionFile.close();
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
        if (m_replacedAction)
            QFile::remove(kActionTarget);
        if (m_replacedAction && m_installedAction) {
            QFile actionFile(kActionTarget);
            if (!actionFile.open(QIODevice::WriteOnly) || actionFile.write(*m_installedAction) != m_installedAction->size())
                qWarning("could not put back the installed %s", qPrintable(kActionTarget));
        }
        QFile::remove(kRuleTarget);
        for (const QString& user : std::as_const(m_createdUsers))
            run(u"userdel %1"_qs.arg(user));
        if (m_startedBus)
            run(u"kill $(cat /run/dbus/pid) 2>/dev/null; rm -f /run/dbus/pid"_qs);
        if (!m_previousDirectory.isEmpty())
            QDir::setCurrent(m_previousDirectory);
        m_helper.reset();
    }

    void allowedUserCaptures()
    {
        HelperProcess helper;
        QVERIFY(helper.start("/usr/sbin/runuser", pkexecHelper(kAllowed, helperPath(), { u"--duration"_qs, u"2"_qs, u"--no-snapshot"_qs }), {},
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
        QVERIFY(helper.start("/usr/sbin/runuser", pkexecHelper(kRefused, helperPath(), { u"--duration"_qs, u"2"_qs }), {},
            HelperProcess::Stream::SocketPair));
        QCOMPARE(helper.finish(15000), 127); // pkexec's status for "not authorized"
        QVERIFY(helper.stream().empty());
        QVERIFY2(helper.standardError().contains("Not authorized"), helper.standardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestPolkitEndToEnd)
#include "tst_polkit_e2e.moc"
