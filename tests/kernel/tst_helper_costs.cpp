// SPDX-License-Identifier: GPL-3.0-or-later
// What each process cost, recorded by procscope-helper from the kernel's per-task accounting:
// the figures agree with what wait4() reports for the same child, every exit of a real
// workload has its figures, and each subtree's total is the sum of its processes' own.

#include "session/session.h"
#include "support/helper_process.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <ctime>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>

using namespace procscope;
using namespace procscope::capture;
using namespace procscope::testing;

namespace {

const char* const kHelper = PROCSCOPE_HELPER_BIN;
constexpr std::size_t kTouchedBytes = 200u << 20;
constexpr std::size_t kWrittenBytes = 20u << 20;

std::uint64_t threadCpuNs()
{
    timespec now {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return std::uint64_t(now.tv_sec) * 1'000'000'000 + std::uint64_t(now.tv_nsec);
}

// Burns about 300 ms of CPU, touches 200 MiB, writes 20 MiB to `path` and syncs it.
int costlyChild(const std::string& path)
{
    const std::uint64_t start = threadCpuNs();
    volatile std::uint64_t sink = 0;
    while (threadCpuNs() - start < 300'000'000)
        for (int i = 0; i < 10000; ++i)
            sink = sink + std::uint64_t(i);
    auto* memory = static_cast<char*>(::mmap(nullptr, kTouchedBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (memory == MAP_FAILED)
        return 10;
    for (std::size_t at = 0; at < kTouchedBytes; at += 4096)
        memory[at] = 1;
    // Released here rather than by exit: the kernel takes the figures early in do_exit(), before
    // it frees the address space, and freeing 200 MiB costs ~30 ms of system time that wait4()
    // counts and the figures cannot.
    ::munmap(memory, kTouchedBytes);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return 11;
    std::vector<char> chunk(1 << 20, 'x');
    for (std::size_t written = 0; written < kWrittenBytes; written += chunk.size()) {
        if (::write(fd, chunk.data(), chunk.size()) != ssize_t(chunk.size()))
            return 12;
    }
    if (::fsync(fd) != 0)
        return 13;
    ::close(fd);
    return 0;
}

// The stream of a helper stopped after `work` ran, applied to a session.
struct Recorded {
    std::unique_ptr<session::Session> session = std::make_unique<session::Session>();
    DecodeOutcome outcome;
};

template <typename Work>
bool record(Recorded& out, Work&& work, QByteArray& problem)
{
    HelperProcess helper;
    if (!helper.start(kHelper, {}) || !helper.waitForHeader()) {
        problem = "the helper did not start: " + helper.standardError();
        return false;
    }
    work();
    ::usleep(200'000); // the last exits reach the helper
    helper.closeInput();
    if (helper.finish() != 0) {
        problem = "the helper failed: " + helper.standardError();
        return false;
    }
    out.outcome = decodeAll(helper.stream());
    for (const auto& r : out.outcome.records)
        out.session->apply(r);
    return true;
}

} // namespace

class TestHelperCosts : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
        if (::geteuid() != 0)
            QSKIP("the kernel's per-task accounting needs a privileged capture (run as root)");
        if (!QFile::exists(u"/proc/self/io"_qs))
            QSKIP("this kernel has no per-task I/O accounting (CONFIG_TASK_IO_ACCOUNTING)");
    }

    void figuresAgreeWithWait4()
    {
        // On the build tree's file system: a tmpfs (often /tmp) writes nothing to storage.
        QTemporaryDir dir(QDir::currentPath() + u"/costs-XXXXXX"_qs);
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(u"written"_qs).toStdString();
        pid_t child = -1;
        rusage usage {};
        int status = 0;
        Recorded recorded;
        QByteArray problem;
        const bool ok = record(recorded, [&] {
            child = ::fork();
            if (child == 0) {
                restoreDefaultSignals();
                ::_exit(costlyChild(path));
            }
            while (::wait4(child, &status, 0, &usage) < 0 && errno == EINTR) { }
        }, problem);
        QVERIFY2(ok, problem.constData());
        QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, qPrintable(u"child failed: %1"_qs.arg(status)));
        QVERIFY(recorded.session->costsRecorded());

        const session::NodeId node = recorded.session->lineage().find(std::uint32_t(child));
        QVERIFY(node != session::kNoNode);
        const session::ProcessCost* cost = recorded.session->costs().own(node);
        QVERIFY2(cost, "no figures for the child");
        QVERIFY(cost->complete);
        QVERIFY(!cost->running);

        const double waitCpuNs = (double(usage.ru_utime.tv_sec) + double(usage.ru_stime.tv_sec)) * 1e9
            + (double(usage.ru_utime.tv_usec) + double(usage.ru_stime.tv_usec)) * 1e3;
        const double cpuDiff = std::abs(double(cost->cpuNs()) - waitCpuNs);
        qInfo("recorded: CPU %.2f ms, peak RSS %llu KiB, written %llu bytes; wait4: CPU %.2f ms, maxrss %ld KiB, written %llu bytes",
            double(cost->cpuNs()) / 1e6, (unsigned long long)(cost->maxRssBytes / 1024), (unsigned long long)cost->writeBytes, waitCpuNs / 1e6,
            usage.ru_maxrss, (unsigned long long)usage.ru_oublock * 512);
        QVERIFY2(cpuDiff <= std::max(10e6, 0.05 * waitCpuNs),
            qPrintable(u"CPU %1 ms recorded, %2 ms from wait4"_qs.arg(double(cost->cpuNs()) / 1e6).arg(waitCpuNs / 1e6)));
        QVERIFY(cost->cpuNs() >= 250'000'000);

        const double waitRss = double(usage.ru_maxrss) * 1024;
        QVERIFY2(std::abs(double(cost->maxRssBytes) - waitRss) <= 0.05 * waitRss,
            qPrintable(u"peak RSS %1 recorded, %2 from wait4"_qs.arg(cost->maxRssBytes).arg(waitRss)));
        QVERIFY(cost->maxRssBytes >= kTouchedBytes);

        QCOMPARE(cost->writeBytes, std::uint64_t(usage.ru_oublock) * 512);
        if (usage.ru_oublock == 0)
            QWARN("this file system accounts no storage writes: written bytes compared as 0");
        else
            QVERIFY(cost->writeBytes >= kWrittenBytes);
        QVERIFY(cost->writeChars >= kWrittenBytes);
        QCOMPARE(std::uint64_t(cost->minorFaults), std::uint64_t(usage.ru_minflt));
        // The kernel takes the figures in do_exit(), before the exiting task's last switch or two.
        QVERIFY(std::uint64_t(cost->voluntarySwitches) <= std::uint64_t(usage.ru_nvcsw));
        QVERIFY(std::uint64_t(cost->voluntarySwitches) + 2 >= std::uint64_t(usage.ru_nvcsw));
    }

    // A real build: a shell compiling three files. Every process of it has its figures, and each
    // subtree's total is its own figures plus its children's totals (so the sum of all below it).
    void aBuildsSubtreesAddUp()
    {
        const QString compiler = QStandardPaths::findExecutable(u"cc"_qs);
        if (compiler.isEmpty())
            QSKIP("no C compiler to build with");
        QTemporaryDir dir(QDir::currentPath() + u"/build-XXXXXX"_qs);
        QVERIFY(dir.isValid());
        QFile source(dir.filePath(u"unit.c"_qs));
        QVERIFY(source.open(QIODevice::WriteOnly));
        source.write("#include <stdio.h>\nint main(void) { for (int i = 0; i < 3; ++i) printf(\"%d\\n\", i); return 0; }\n");
        source.close();
        const std::string script = "cd '" + dir.path().toStdString() + "' && for i in 1 2 3; do cc -O2 -o unit$i unit.c || exit 1; done";
        pid_t shell = -1;
        Recorded recorded;
        QByteArray problem;
        const bool ok = record(recorded, [&] {
            shell = spawnExec("/bin/sh", { "-c", script.c_str() });
            QCOMPARE(waitFor(shell), 0);
        }, problem);
        QVERIFY2(ok, problem.constData());
        const session::Session& s = *recorded.session;
        const session::NodeId root = s.lineage().find(std::uint32_t(shell));
        QVERIFY(root != session::kNoNode);

        std::size_t processes = 0;
        std::function<std::uint64_t(session::NodeId)> ownBelow = [&](session::NodeId id) {
            ++processes;
            const session::ProcessCost* own = s.costs().own(id);
            [&] { QVERIFY2(own && own->complete, qPrintable(u"no figures for pid %1"_qs.arg(s.lineage().node(id).pid))); }();
            std::uint64_t sum = own ? own->cpuNs() : 0;
            std::uint64_t rss = own ? own->maxRssBytes : 0;
            std::uint64_t read = own ? own->readBytes : 0;
            std::uint64_t written = own ? own->writeBytes : 0;
            for (const session::NodeId child : s.lineage().childrenOf(id)) {
                sum += ownBelow(child);
                const auto total = s.costs().subtree(child);
                rss += total.maxRssBytes, read += total.readBytes, written += total.writeBytes;
            }
            const auto total = s.costs().subtree(id);
            [&] {
                QCOMPARE(total.cpuNs, sum);
                QCOMPARE(total.maxRssBytes, rss);
                QCOMPARE(total.readBytes, read);
                QCOMPARE(total.writeBytes, written);
            }();
            return sum;
        };
        const std::uint64_t total = ownBelow(root);
        QVERIFY(!QTest::currentTestFailed());
        QVERIFY2(processes >= 7, qPrintable(u"only %1 processes in the build"_qs.arg(processes))); // sh, 3 cc, their cc1, as, ld...
        QVERIFY(total > 0);
        const auto& losses = s.losses();
        QCOMPARE(losses[std::size_t(LossReason::ExitWithoutCost) - 1], 0u);
        QCOMPARE(losses[std::size_t(LossReason::CostOverrun) - 1], 0u);
        // Running processes were described at the stop, marked as such.
        const session::NodeId self = s.lineage().find(std::uint32_t(::getpid()));
        QVERIFY(self != session::kNoNode);
        QVERIFY(s.costs().own(self) && s.costs().own(self)->running);
    }
};

QTEST_GUILESS_MAIN(TestHelperCosts)
#include "tst_helper_costs.moc"
