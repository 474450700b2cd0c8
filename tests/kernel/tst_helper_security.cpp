// SPDX-License-Identifier: GPL-3.0-or-later
// The helper's privilege handling: what it keeps after startup, whose files it creates, what
// it refuses, and its command-line contract.

#include "support/helper_process.h"
#include "support/reachable_copy.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <fcntl.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sys/stat.h>

#include "protocol/kernel_version.h"

using namespace procscope;
using namespace procscope::testing;

namespace {

const char* const kHelper = PROCSCOPE_HELPER_BIN;
constexpr uid_t kNobody = 65534;

// "CapEff:\t0000000000080000" -> value
quint64 statusHex(pid_t pid, const char* key)
{
    QFile status(u"/proc/%1/status"_qs.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return ~0ull;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(key))
            return line.mid(qsizetype(std::strlen(key))).trimmed().toULongLong(nullptr, 16);
    }
    return ~0ull;
}

} // namespace

class TestHelperSecurity : public QObject {
    Q_OBJECT

private slots:
    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList { u"--follow"_qs } << u"unknown option '--follow'"_qs;
        QTest::newRow("bad duration") << QStringList { u"--duration"_qs, u"soon"_qs } << u"--duration needs a positive number of seconds"_qs;
        QTest::newRow("bad events") << QStringList { u"--events"_qs, u"spawn"_qs } << u"unknown event type 'spawn'"_qs;
        QTest::newRow("positional") << QStringList { u"out.pscap"_qs } << u"unexpected argument 'out.pscap'"_qs;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, args));
        QCOMPARE(helper.finish(), 2);
        const QString err = QString::fromUtf8(helper.standardError());
        QVERIFY2(err.contains(message), qPrintable(err));
        QCOMPARE(err.count(u'\n'), 2); // the problem, and where to find help
        QVERIFY(helper.stream().empty());
    }

    void helpAndVersion()
    {
        HelperProcess help;
        QVERIFY(help.start(kHelper, { u"--help"_qs }));
        QCOMPARE(help.finish(), 0);
        QVERIFY(QByteArray(reinterpret_cast<const char*>(help.stream().data()), qsizetype(help.stream().size())).startsWith("Usage: procscope-helper"));
        HelperProcess version;
        QVERIFY(version.start(kHelper, { u"--version"_qs }));
        QCOMPARE(version.finish(), 0);
    }

    void refusesATerminal()
    {
        const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
        QVERIFY(master >= 0);
        QVERIFY(::grantpt(master) == 0 && ::unlockpt(master) == 0);
        const int terminal = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
        QVERIFY(terminal >= 0);
        const pid_t child = ::fork();
        if (child == 0) {
            ::dup2(terminal, STDOUT_FILENO);
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, STDERR_FILENO);
            ::execl(kHelper, kHelper, static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const int status = waitFor(child);
        ::close(terminal);
        ::close(master);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 2);
    }

    void capabilitiesReducedAfterStartup()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: checks what a privileged helper gives up");
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--no-snapshot"_qs }));
        QVERIFY(helper.waitForHeader());
        const quint64 ptraceOnly = 1ull << CAP_SYS_PTRACE;
        QCOMPARE(statusHex(helper.pid(), "CapEff:"), ptraceOnly);
        QCOMPARE(statusHex(helper.pid(), "CapPrm:"), ptraceOnly);
        QCOMPARE(statusHex(helper.pid(), "CapInh:"), 0ull);
        QCOMPARE(statusHex(helper.pid(), "CapBnd:"), 0ull);
        QCOMPARE(statusHex(helper.pid(), "CapAmb:"), 0ull);
        QCOMPARE(statusHex(helper.pid(), "NoNewPrivs:"), 1ull);
        helper.closeInput();
        QCOMPARE(helper.finish(), 0);
    }

    // Under pkexec the output file belongs to the user who asked, never to root.
    void pkexecOutputOwnedByCaller()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to play pkexec's part");
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0777) == 0);
        const QString file = dir.filePath(u"user.pscap"_qs);
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--output"_qs, file, u"--duration"_qs, u"0.5"_qs, u"--no-snapshot"_qs },
            { u"PKEXEC_UID=%1"_qs.arg(kNobody) }, HelperProcess::Stream::DevNull));
        QCOMPARE(helper.finish(), 0);
        struct stat info {};
        QVERIFY(::stat(QFile::encodeName(file).constData(), &info) == 0);
        QCOMPARE(info.st_uid, kNobody);
        passwd* nobody = ::getpwuid(kNobody);
        QVERIFY(nobody);
        QCOMPARE(info.st_gid, nobody->pw_gid);
        // And it is a capture.
        QFile capture(file);
        QVERIFY(capture.open(QIODevice::ReadOnly));
        QVERIFY(capture.read(8) == QByteArray("\x89PSCAP\r\n"));
    }

    // A path the caller could not write is refused: the helper is no way to write as root.
    void pkexecCannotWriteWhereCallerCannot()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to play pkexec's part");
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        QTemporaryDir dir;
        QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0700) == 0); // root's only
        const QString file = dir.filePath(u"stolen.pscap"_qs);
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--output"_qs, file, u"--duration"_qs, u"0.5"_qs },
            { u"PKEXEC_UID=%1"_qs.arg(kNobody) }, HelperProcess::Stream::DevNull));
        QCOMPARE(helper.finish(), 1);
        QVERIFY(!QFile::exists(file));
        const QString err = QString::fromUtf8(helper.standardError());
        QVERIFY2(err.contains(u"creating %1 failed: Permission denied"_qs.arg(file)), qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1);
    }

    void pkexecUidMustBeAUser()
    {
        if (::geteuid() != 0)
            QSKIP("PKEXEC_UID is only trusted when running as root");
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--duration"_qs, u"1"_qs }, { u"PKEXEC_UID=12abc"_qs }));
        QCOMPARE(helper.finish(), 1);
        QVERIFY(helper.standardError().contains("PKEXEC_UID"));
    }

    // Unprivileged on 6.6+: it still captures, and says that enrichment is reduced.
    void unprivilegedCaptureSaysEnrichmentIsReduced()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to start the helper as another user");
        if (!protocol::supportsEventFilter(protocol::parseKernelRelease(protocol::runningKernelRelease())))
            QSKIP("unprivileged capture needs Linux 6.6 or later");
        // nobody may not reach the build tree (nor the working directory): it runs a copy, from there.
        const ReachableCopy copy(QString::fromLatin1(kHelper));
        if (!copy.ok())
            QSKIP(qPrintable(u"nobody needs a copy of the helper it can reach: "_qs + copy.error()));
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(copy.directory()));
        HelperProcess helper;
        const bool started = helper.start("/usr/sbin/runuser",
            { u"-u"_qs, u"nobody"_qs, u"--"_qs, QString::fromLocal8Bit(copy.path()), u"--duration"_qs, u"1"_qs, u"--no-snapshot"_qs });
        QDir::setCurrent(previous);
        QVERIFY(started);
        const auto unprivileged = probeUnprivilegedSubscription();
        if (unprivileged == UnprivilegedSubscription::Unknown)
            QSKIP("could not find out whether the user nobody may subscribe here");
        if (unprivileged == UnprivilegedSubscription::Refused) {
            // Then it stops at once and says why, rather than capturing nothing.
            QVERIFY(helper.finish() != 0);
            QVERIFY2(helper.standardError().contains("binding to the proc connector group failed: Operation not permitted"),
                helper.standardError().constData());
            QSKIP("this kernel refuses an unprivileged process the proc connector: the helper's refusal was checked instead");
        }
        QCOMPARE(helper.finish(), 0);
        QVERIFY(helper.standardError().contains("enrichment reduced"));
        const auto outcome = decodeAll(helper.stream());
        QVERIFY(!outcome.end);
        const auto header = std::get<capture::HeaderRecord>(outcome.records.front());
        QVERIFY(!(header.flags & capture::header_flags::kPrivileged));
        QVERIFY(header.flags & capture::header_flags::kEnrichmentReduced);
        const auto statuses = recordsOf<capture::StatusRecord>(outcome);
        QVERIFY(std::any_of(statuses.begin(), statuses.end(), [](const capture::StatusRecord& s) {
            return s.code == capture::StatusCode::EnrichmentReduced && s.level == capture::StatusLevel::Warning;
        }));
        // No per-task accounting without privileges: said plainly, and no figures pretend otherwise.
        QVERIFY(!(header.flags & capture::header_flags::kCostsRecorded));
        QVERIFY(helper.standardError().contains("process costs are unavailable"));
        QVERIFY(std::any_of(statuses.begin(), statuses.end(), [](const capture::StatusRecord& s) {
            return s.code == capture::StatusCode::CostsUnavailable && s.message.find("privileged") != std::string::npos;
        }));
        QVERIFY(recordsOf<capture::TaskCostRecord>(outcome).empty());
        QVERIFY(outcome.sawTrailer);
    }
};

QTEST_GUILESS_MAIN(TestHelperSecurity)
#include "tst_helper_security.moc"
