// SPDX-License-Identifier: GPL-3.0-or-later
// Capturing another machine over SSH, tried as a user would: a private sshd on this machine
// stands for the remote host (tests/support/test_sshd.h). One session captures it and this
// machine at once; a workload's processes must appear once per host with the right host, live
// and in the saved file; a connection cut mid-capture is marked and loses nothing before it;
// each way of failing to connect says what went wrong.

#include "capture/capture_controller.h"
#include "document/capture_document.h"
#include "document/recovery_store.h"
#include "document/workspace.h"
#include "session/capture_loader.h"
#include "support/test_files.h"
#include "support/test_sshd.h"
#include "support/work_result.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace procscope;
using namespace procscope::ui;

namespace {

const QString kHelper = QStringLiteral(PROCSCOPE_HELPER_BIN);

std::unique_ptr<RecoveryStore> storeIn(const QTemporaryDir& dir)
{
    return std::make_unique<RecoveryStore>(dir.filePath(u"unsaved"_qs));
}

// Processes of `host` that ran with `marker`-1, -2 or -3 among their arguments (the workload's,
// not the shell that runs them, whose script holds `marker`-$i), whatever they exec'd next.
int marked(const session::Session& s, std::uint8_t host, const std::string& marker)
{
    const auto hasOne = [&marker](std::string_view argv) {
        for (const char* n : { "-1", "-2", "-3" }) {
            if (argv.find(marker + n) != std::string_view::npos)
                return true;
        }
        return false;
    };
    int n = 0;
    const session::Lineage& lineage = s.lineage();
    for (session::NodeId id = 0; id < lineage.size(); ++id) {
        if (lineage.node(id).host != host)
            continue;
        for (const session::ExecInfo* exec : lineage.execsOf(id)) {
            if (hasOne(s.strings().view(exec->argv))) {
                ++n;
                break;
            }
        }
    }
    return n;
}

// Three short processes whose arguments carry `marker`, each living long enough for the
// helpers to read their command lines.
void runWorkload(const std::string& marker)
{
    const QString script = u"for i in 1 2 3; do sh -c 'sleep 0.3' %1-$i; done"_qs.arg(
        QString::fromStdString(marker));
    QProcess::execute(u"/bin/sh"_qs, { u"-c"_qs, script });
}

capture::HostTarget target(const QString& url)
{
    std::string error;
    return *capture::parseHostTarget(url.toStdString(), error);
}

QString lastNotice(const QSignalSpy& notices)
{
    return notices.isEmpty() ? QString() : notices.last().at(1).toString();
}

} // namespace

class TestRemoteCapture : public QObject
{
    Q_OBJECT

    std::unique_ptr<testing::TestSshd> m_sshd;
    const QByteArray m_path = qgetenv("PATH");
    QTemporaryDir m_standIns; // programs the remote sessions find first on their PATH

    bool startSshd()
    {
        m_sshd = std::make_unique<testing::TestSshd>();
        m_sshd->setSessionPath(m_standIns.path());
        QString why;
        if (!m_sshd->start(&why)) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        return true;
    }

    // The remote login is not root (an `id` stand-in says 1000), and sudo is a stand-in running
    // `sudo`.
    void notRootWithSudo(const char* sudo)
    {
        testing::writeFile(m_standIns.filePath(u"id"_qs), "#!/bin/sh\necho 1000\n");
        testing::writeFile(m_standIns.filePath(u"sudo"_qs), QByteArray("#!/bin/sh\n") + sudo);
        for (const QString& name : { u"id"_qs, u"sudo"_qs })
            QFile(m_standIns.filePath(name))
                .setPermissions(
                    QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther);
    }

    CaptureOptions options(const QStringList& hosts) const
    {
        CaptureOptions o;
        o.elevate = false;
        o.remoteHelper = kHelper;
        for (const QString& host : hosts)
            o.hosts.push_back(target(host));
        return o;
    }

private slots:
    void initTestCase()
    {
        if (const QString why = testing::TestSshd::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (!CaptureController::runningAsRoot())
            QSKIP("the capture helper needs root here, on both ends");
        if (!capture::isPlainAbsolutePath(kHelper.toStdString()))
            QSKIP("the build directory's path has characters the remote command does not pass");
        QVERIFY(startSshd());
    }

    void init() { qputenv("PATH", QFile::encodeName(m_sshd->binDirectory()) + ':' + m_path); }
    void cleanup() { qputenv("PATH", m_path); }

    void capturesARemoteHostAndThisOneInOneSession()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(kHelper);
        QSignalSpy notices(&workspace, &Workspace::notice);
        QVERIFY(workspace.startCapture(options({ u"local"_qs, m_sshd->url() })));
        const session::Session& live = *workspace.document()->session();
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         return live.hosts().size() == 2 && live.hosts()[0].header
                             && live.hosts()[1].header;
                     },
                     30000),
            qPrintable(lastNotice(notices)));
        QCOMPARE(QString::fromStdString(live.hosts()[1].label), u"localhost"_qs);
        QCOMPARE(QString::fromStdString(live.hosts()[1].address), m_sshd->url());
        QCOMPARE(QString::fromStdString(live.hosts()[0].address), u"local"_qs);

        const std::string marker = "procscope-remote-" + std::to_string(::getpid());
        runWorkload(marker);
        QVERIFY2(QTest::qWaitFor(
                     [&] { return marked(live, 0, marker) == 3 && marked(live, 1, marker) == 3; },
                     20000),
            qPrintable(u"marked here %1, there %2"_qs.arg(marked(live, 0, marker))
                           .arg(marked(live, 1, marker))));

        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        workspace.stopCapture();
        QVERIFY(finished.wait(30000));
        QVERIFY2(
            live.hosts()[0].trailer && live.hosts()[1].trailer, qPrintable(lastNotice(notices)));
        QCOMPARE(marked(live, 0, marker), 3); // once per host, never twice
        QCOMPARE(marked(live, 1, marker), 3);
        for (std::uint8_t host : { 0, 1 })
            QVERIFY(live.hosts()[host].events > 0);

        const QString saved = dir.filePath(u"two-hosts.pscap"_qs);
        QVERIFY(finishedOk(workspace.saveTo(saved)));
        session::Session reopened;
        const session::LoadResult loaded
            = session::loadCapture(QFile::encodeName(saved).toStdString(), reopened);
        QVERIFY2(loaded.ok(), loaded.damage ? loaded.damage->message().c_str() : "i/o");
        QCOMPARE(reopened.hosts().size(), std::size_t(2));
        QCOMPARE(reopened.hosts()[1].label, live.hosts()[1].label);
        for (std::uint8_t host : { 0, 1 }) {
            QCOMPARE(marked(reopened, host, marker), 3);
            QCOMPARE(reopened.hosts()[host].events, live.hosts()[host].events);
        }
        QCOMPARE(reopened.events().size(), live.events().size());
    }

    void aCutConnectionIsMarkedAndKeepsWhatCameBefore()
    {
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(kHelper);
        QSignalSpy notices(&workspace, &Workspace::notice);
        QVERIFY(workspace.startCapture(options({ u"local"_qs, m_sshd->url() })));
        const session::Session& live = *workspace.document()->session();
        QVERIFY(QTest::qWaitFor(
            [&] { return live.hosts().size() == 2 && live.hosts()[1].header; }, 30000));
        const std::string before = "procscope-before-cut-" + std::to_string(::getpid());
        runWorkload(before);
        QVERIFY(QTest::qWaitFor([&] { return marked(live, 1, before) == 3; }, 20000));
        const std::uint64_t eventsBefore = live.hosts()[1].events;

        QVERIFY(m_sshd->dropConnections());
        QVERIFY2(QTest::qWaitFor([&] { return live.hosts()[1].end.has_value(); }, 20000),
            qPrintable(lastNotice(notices)));
        QCOMPARE(live.hosts()[1].end->reason, capture::HostEndReason::ConnectionLost);
        QVERIFY(workspace.capturing()); // this machine goes on
        QVERIFY2(lastNotice(notices).contains(u"connection to localhost was lost"_qs),
            qPrintable(lastNotice(notices)));
        bool markedCut = false;
        for (const session::StoredEvent& row : live.events())
            markedCut = markedCut
                || (row.kind == session::EventKind::Loss && row.host == 1
                    && row.a == std::uint32_t(capture::LossReason::ConnectionLost));
        QVERIFY(markedCut);
        QVERIFY(live.hosts()[1].events >= eventsBefore);
        QCOMPARE(marked(live, 1, before), 3);

        const std::string after = "procscope-after-cut-" + std::to_string(::getpid());
        runWorkload(after);
        QVERIFY(QTest::qWaitFor([&] { return marked(live, 0, after) == 3; }, 20000));
        QCOMPARE(marked(live, 1, after), 0);

        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        workspace.stopCapture();
        QVERIFY(finished.wait(30000));
        const QString saved = dir.filePath(u"cut.pscap"_qs);
        QVERIFY(finishedOk(workspace.saveTo(saved)));
        session::Session reopened;
        QVERIFY(session::loadCapture(QFile::encodeName(saved).toStdString(), reopened).ok());
        QVERIFY(reopened.damage().records == 0); // the cut is explained, not damage
        QVERIFY(reopened.hosts()[1].end
            && reopened.hosts()[1].end->reason == capture::HostEndReason::ConnectionLost);
        QCOMPARE(marked(reopened, 1, before), 3);
        QCOMPARE(marked(reopened, 0, after), 3);
    }

    void eachFailureSaysWhatToDo_data()
    {
        QTest::addColumn<QString>("problem");
        QTest::addColumn<QString>("says");
        QTest::newRow("wrong port")
            << u"port"_qs << u"Nothing accepts SSH connections on localhost port"_qs;
        QTest::newRow("host key changed")
            << u"key"_qs << u"has changed since you last connected"_qs;
        QTest::newRow("key not accepted")
            << u"login"_qs << u"refused the login as root@localhost"_qs;
        QTest::newRow("helper not installed")
            << u"helper"_qs
            << u"not installed on localhost (looked for /nonexistent/procscope-helper)"_qs;
        QTest::newRow("sudo wants a password") << u"sudo"_qs << u"sudo asks for a password"_qs;
        QTest::newRow("a login that prints")
            << u"chatter"_qs << u"printed text before the capture helper's stream"_qs;
        QTest::newRow("no such host") << u"name"_qs << u"could not be found"_qs;
    }
    void eachFailureSaysWhatToDo()
    {
        QFETCH(QString, problem);
        QFETCH(QString, says);
        CaptureOptions o = options({ m_sshd->url() });
        if (problem == u"port"_qs) {
            o.hosts = { target(u"ssh://root@localhost:%1"_qs.arg(testing::unusedLoopbackPort())) };
        } else if (problem == u"key"_qs) {
            QVERIFY(m_sshd->setKnownHostsWrong());
        } else if (problem == u"login"_qs) {
            QVERIFY(m_sshd->revokeClientKey());
        } else if (problem == u"helper"_qs) {
            o.remoteHelper = u"/nonexistent/procscope-helper"_qs;
        } else if (problem == u"sudo"_qs) {
            // A login that is not root, where sudo wants a password: stand-ins for id and sudo.
            notRootWithSudo("echo 'sudo: a password is required' >&2\nexit 1\n");
        } else if (problem == u"chatter"_qs) {
            // Something on the way prints to standard output first (as some login scripts do):
            // here a sudo stand-in that greets, then runs the helper.
            notRootWithSudo("echo 'Welcome to build1'\nshift 2\nexec \"$@\"\n");
        } else if (problem == u"name"_qs) {
            o.hosts = { target(u"ssh://root@no-such-host.invalid"_qs) };
        }
        QTemporaryDir dir;
        Workspace workspace(storeIn(dir), nullptr);
        workspace.controller()->setHelperProgram(kHelper);
        QSignalSpy notices(&workspace, &Workspace::notice);
        QSignalSpy finished(&workspace, &Workspace::captureFinished);
        const bool started = workspace.startCapture(o);
        if (started)
            QVERIFY(finished.wait(60000));
        const QString said = lastNotice(notices);
        // Put back what this case changed, before anything can fail.
        for (const QString& name : { u"id"_qs, u"sudo"_qs })
            QFile::remove(m_standIns.filePath(name));
        if (problem == u"key"_qs || problem == u"login"_qs) {
            m_sshd.reset();
            QVERIFY(startSshd());
        }
        QVERIFY2(said.contains(says), qPrintable(said));
        QVERIFY(workspace.idle());
        QVERIFY(!workspace.hasCapture()); // nothing came: no empty capture is left to save
    }
};

QTEST_MAIN(TestRemoteCapture)
#include "tst_remote_capture.moc"
