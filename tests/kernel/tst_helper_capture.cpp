// SPDX-License-Identifier: GPL-3.0-or-later
// procscope-helper recording a known workload against the real kernel: every event of it must
// be in the stream with exact field values, plus the exec's argv and exe, and the snapshot.

#include "support/helper_process.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <sys/prctl.h>
#include <numeric>
#include <set>
#include <thread>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

const char* const kHelper = PROCSCOPE_HELPER_BIN;
std::uint32_t self() { return std::uint32_t(::getpid()); }

template <typename T, typename Pred>
std::optional<T> findPayload(const DecodeOutcome& outcome, Pred pred)
{
    for (const auto& p : payloadsOf<T>(outcome)) {
        if (pred(p))
            return p;
    }
    return std::nullopt;
}

} // namespace

class TestHelperCapture : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
    }

    void recordsAKnownWorkload()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A uniquely named program with unique arguments: a copy of sh that exits 3.
        const QString uniqueName = u"procscope-probe-%1"_qs.arg(::getpid());
        const QString program = dir.filePath(uniqueName);
        QVERIFY(QFile::copy(u"/bin/sh"_qs, program));
        QFile::setPermissions(program, QFile::ExeOwner | QFile::ReadOwner | QFile::ExeOther | QFile::ReadOther);
        const std::string programPath = program.toStdString();
        const std::string uniqueArg = "--unique-arg-" + std::to_string(::getpid());

        HelperProcess helper;
        QVERIFY(helper.start(kHelper, {}));
        QVERIFY2(helper.waitForHeader(), helper.standardError().constData());

        // Child 1: renames itself, starts a session, creates a thread, exits 3.
        const pid_t renamer = spawnFunction([] {
            ::prctl(PR_SET_NAME, "ps-renamed", 0, 0, 0);
            ::setsid();
            std::thread([] {}).join();
            return 3;
        });
        // Child 2: execs the unique program, which exits 3 once the helper has described it.
        // (Enrichment of a process that exits at once is a race the helper may lose; this test is
        // about the recording, so the process waits on a pipe for its description.)
        int gate[2];
        QVERIFY(::pipe(gate) == 0);
        const pid_t execer = ::fork();
        if (execer == 0) {
            restoreDefaultSignals();
            ::dup2(gate[0], STDIN_FILENO);
            ::close(gate[1]);
            ::execl(programPath.c_str(), programPath.c_str(), "-c", "read line; exit 3", uniqueArg.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::close(gate[0]);
        QElapsedTimer waiting;
        waiting.start();
        bool seen = false;
        while (!seen && waiting.elapsed() < 10000) {
            helper.read(50);
            const auto sofar = recordsOf<ProcessRecord>(decodeAll(helper.stream()));
            seen = std::any_of(sofar.begin(), sofar.end(), [&](const ProcessRecord& p) {
                return p.pid == std::uint32_t(execer) && p.source == ProcessSource::Exec;
            });
        }
        QVERIFY(::write(gate[1], "\n", 1) == 1);
        ::close(gate[1]);
        QVERIFY2(seen, "the exec was not described within 10 s");
        // Child 3: killed by SIGKILL.
        const pid_t killed = spawnFunction([] {
            ::kill(::getpid(), SIGKILL);
            return 0;
        });
        QCOMPARE(WEXITSTATUS(waitFor(renamer)), 3);
        QCOMPARE(WEXITSTATUS(waitFor(execer)), 3);
        QVERIFY(WIFSIGNALED(waitFor(killed)));

        // Everything the kernel sent must be in before we stop: wait for the last exit.
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 5000) {
            helper.read(50);
            const auto sofar = decodeAll(helper.stream());
            if (findPayload<ExitEvent>(sofar, [&](const ExitEvent& e) { return e.pid == std::uint32_t(killed); }))
                break;
        }
        ::kill(helper.pid(), SIGTERM);
        QCOMPARE(helper.finish(), 0);
        const auto outcome = decodeAll(helper.stream());
        QVERIFY2(!outcome.end, outcome.end ? outcome.end->message().c_str() : "");
        QVERIFY(outcome.sawTrailer);

        const auto r = std::uint32_t(renamer), e = std::uint32_t(execer), k = std::uint32_t(killed);
        // Forks, with the test as parent.
        for (const std::uint32_t child : { r, e, k })
            QVERIFY2(findPayload<ForkEvent>(outcome, [&](const ForkEvent& f) { return f == ForkEvent { self(), self(), child, child }; }),
                qPrintable(u"no fork event for %1"_qs.arg(child)));
        // Child 1: comm, sid, a thread (fork with child_tgid = r), the thread's exit, exit 3.
        const auto comm = findPayload<CommEvent>(outcome, [&](const CommEvent& c) { return c.pid == r; });
        QVERIFY(comm);
        QCOMPARE(comm->tgid, r);
        QCOMPARE(comm->name(), std::string_view("ps-renamed"));
        QVERIFY(findPayload<SidEvent>(outcome, [&](const SidEvent& s) { return s == SidEvent { r, r }; }));
        const auto thread = findPayload<ForkEvent>(outcome, [&](const ForkEvent& f) { return f.childTgid == r && f.childPid != r; });
        QVERIFY2(thread, "no fork event for the thread");
        QVERIFY(thread->isThread());
        const auto threadExit = findPayload<ExitEvent>(outcome, [&](const ExitEvent& x) { return x.pid == thread->childPid; });
        QVERIFY(threadExit);
        QCOMPARE(threadExit->exitSignal, -1);
        QCOMPARE(threadExit->tgid, r);
        const auto renamerExit = findPayload<ExitEvent>(outcome, [&](const ExitEvent& x) { return x.pid == r; });
        QVERIFY(renamerExit);
        QCOMPARE(*renamerExit, (ExitEvent { r, r, 0x300, SIGCHLD, self(), self(), true }));
        // Child 2: exec, enriched with argv and exe, then exit 3.
        QVERIFY(findPayload<ExecEvent>(outcome, [&](const ExecEvent& x) { return x == ExecEvent { e, e }; }));
        const auto processes = recordsOf<ProcessRecord>(outcome);
        const auto enriched = std::find_if(processes.begin(), processes.end(),
            [&](const ProcessRecord& p) { return p.pid == e && p.source == ProcessSource::Exec; });
        QVERIFY2(enriched != processes.end(), "no process record for the exec");
        QCOMPARE(enriched->argv, (std::vector<std::string> { programPath, "-c", "read line; exit 3", uniqueArg }));
        QCOMPARE(enriched->exe, programPath);
        QCOMPARE(enriched->comm, uniqueName.left(15).toStdString());
        QCOMPARE(enriched->ppid, self());
        QVERIFY(enriched->readable & readable::kExe);
        QVERIFY(enriched->eventTimestampNs > 0);
        const auto execExit = findPayload<ExitEvent>(outcome, [&](const ExitEvent& x) { return x.pid == e; });
        QVERIFY(execExit);
        QCOMPARE(execExit->exitCode, 0x300u);
        // Child 3: killed by SIGKILL.
        const auto killedExit = findPayload<ExitEvent>(outcome, [&](const ExitEvent& x) { return x.pid == k; });
        QVERIFY(killedExit);
        QCOMPARE(killedExit->exitCode, std::uint32_t(SIGKILL));

        // Every exec in the stream is described exactly once, right after it.
        std::multiset<std::pair<std::uint32_t, std::uint64_t>> described;
        for (const auto& p : processes) {
            if (p.source == ProcessSource::Exec)
                described.insert({ p.pid, p.eventTimestampNs });
        }
        std::uint64_t execs = 0;
        for (const auto& event : eventsOf(outcome)) {
            if (const auto* x = std::get_if<ExecEvent>(&event.payload)) {
                ++execs;
                QCOMPARE(described.count({ x->pid, event.header.timestampNs }), 1u);
            }
        }
        QCOMPARE(std::uint64_t(described.size()), execs);

        // Snapshot: this test and PID 1.
        const auto inSnapshot = [&](std::uint32_t pid) {
            return std::any_of(processes.begin(), processes.end(),
                [&](const ProcessRecord& p) { return p.pid == pid && p.source == ProcessSource::Snapshot; });
        };
        QVERIFY(inSnapshot(self()));
        QVERIFY(inSnapshot(1));

        // Header and trailer agree with the stream.
        const auto header = std::get<HeaderRecord>(outcome.records.front());
        QCOMPARE(header.helperPid, std::uint32_t(helper.pid()));
        QCOMPARE(header.mode, SubscriptionMode::AllEvents);
        QVERIFY(!header.bootId.empty());
        const auto trailer = recordsOf<TrailerRecord>(outcome).at(0);
        QCOMPARE(trailer.stopReason, StopReason::Signal);
        QCOMPARE(trailer.events, std::uint64_t(recordsOf<KernelEventRecord>(outcome).size()));
        QCOMPARE(trailer.processes, std::uint64_t(processes.size()));
        std::uint64_t lost = 0;
        for (const auto& loss : recordsOf<LossRecord>(outcome))
            lost += loss.count;
        QCOMPARE(lost, std::accumulate(trailer.lost.begin(), trailer.lost.end(), std::uint64_t { 0 }));
    }

    void exitOnlyRecordsNoForks()
    {
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--events"_qs, u"exit"_qs, u"--no-snapshot"_qs }));
        QVERIFY(helper.waitForHeader());
        std::vector<pid_t> children;
        for (int i = 0; i < 5; ++i)
            children.push_back(spawnExec("/bin/true", {}));
        for (pid_t child : children)
            waitFor(child);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 5000) {
            helper.read(50);
            if (findPayload<ExitEvent>(decodeAll(helper.stream()), [&](const ExitEvent& x) { return x.pid == std::uint32_t(children.back()); }))
                break;
        }
        helper.closeInput(); // the reader goes away: a clean stop
        QCOMPARE(helper.finish(), 0);
        const auto outcome = decodeAll(helper.stream());
        QVERIFY(!outcome.end);
        const auto header = std::get<HeaderRecord>(outcome.records.front());
        QVERIFY(header.mode == SubscriptionMode::KernelMask || header.mode == SubscriptionMode::HelperFilter);
        QCOMPARE(header.requestedMask, maskOf(EventType::Exit));
        QVERIFY(payloadsOf<ForkEvent>(outcome).empty());
        QVERIFY(payloadsOf<ExecEvent>(outcome).empty());
        QVERIFY(recordsOf<ProcessRecord>(outcome).empty()); // no snapshot, no exec to enrich
        for (pid_t child : children)
            QVERIFY(findPayload<ExitEvent>(outcome, [&](const ExitEvent& x) { return x.pid == std::uint32_t(child); }));
        QCOMPARE(recordsOf<TrailerRecord>(outcome).at(0).stopReason, StopReason::PeerClosed);
    }

    void durationStopsOnTime()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"timed.pscap"_qs);
        HelperProcess helper;
        QElapsedTimer timer;
        timer.start();
        QVERIFY(helper.start(kHelper, { u"--duration"_qs, u"1.5"_qs, u"--no-snapshot"_qs, u"--output"_qs, file }, {}, HelperProcess::Stream::DevNull));
        QCOMPARE(helper.finish(15000), 0);
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(elapsed >= 1400, qPrintable(QString::number(elapsed)));
        QFile capture(file);
        QVERIFY(capture.open(QIODevice::ReadOnly));
        const QByteArray bytes = capture.readAll();
        const auto outcome = decodeAll({ reinterpret_cast<const std::byte*>(bytes.constData()), std::size_t(bytes.size()) });
        QVERIFY(!outcome.end);
        const auto trailer = recordsOf<TrailerRecord>(outcome);
        QCOMPARE(trailer.size(), 1u);
        QCOMPARE(trailer[0].stopReason, StopReason::Duration);
        const auto header = std::get<HeaderRecord>(outcome.records.front());
        QVERIFY(header.flags & header_flags::kNoSnapshot);
        // Trailer time minus header time is the duration (monotonic clock, same boot).
        const double seconds = double(trailer[0].timestampNs - header.monotonicNs) / 1e9;
        QVERIFY2(seconds >= 1.5 && seconds < 10, qPrintable(QString::number(seconds)));
    }

    // A background job of a non-interactive shell starts with SIGINT ignored; Ctrl+C-style
    // stops must still work.
    void stopsOnSigintEvenWhenStartedIgnoringIt()
    {
        HelperProcess helper;
        QVERIFY(helper.start("/bin/sh", { u"-c"_qs, u"trap '' INT; exec \"$0\" --no-snapshot"_qs, QString::fromLatin1(kHelper) }));
        QVERIFY(helper.waitForHeader());
        ::kill(helper.pid(), SIGINT);
        QCOMPARE(helper.finish(10000), 0);
        const auto outcome = decodeAll(helper.stream());
        QVERIFY(!outcome.end);
        QCOMPARE(recordsOf<TrailerRecord>(outcome).at(0).stopReason, StopReason::Signal);
    }

    // SIGKILL leaves no trailer, but everything up to the last complete record reads back.
    void killedRecordingStaysReadable()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"killed.pscap"_qs);
        HelperProcess helper;
        QVERIFY(helper.start(kHelper, { u"--output"_qs, file }, {}, HelperProcess::Stream::DevNull));
        QElapsedTimer timer;
        timer.start();
        while (QFileInfo(file).size() < 4096 && timer.elapsed() < 10000)
            QTest::qWait(20);
        for (int i = 0; i < 10; ++i)
            waitFor(spawnExec("/bin/true", {}));
        QTest::qWait(300);
        ::kill(helper.pid(), SIGKILL);
        QCOMPARE(helper.finish(), -1);
        QFile capture(file);
        QVERIFY(capture.open(QIODevice::ReadOnly));
        const QByteArray bytes = capture.readAll();
        const auto outcome = decodeAll({ reinterpret_cast<const std::byte*>(bytes.constData()), std::size_t(bytes.size()) });
        QVERIFY(!outcome.sawTrailer);
        QVERIFY(outcome.records.size() > 10);
        // Either a clean end at a record boundary or a truncated last record: never anything else.
        if (outcome.end)
            QCOMPARE(outcome.end->kind, DecodeErrorKind::TruncatedRecord);
    }
};

QTEST_GUILESS_MAIN(TestHelperCapture)
#include "tst_helper_capture.moc"
