// SPDX-License-Identifier: GPL-3.0-or-later
// The connector socket against the running kernel: events of a real child, subscription
// changes, kernel-side filtering, truncation, and loss under a stalled reader.

#include "support/kernel_support.h"

#include "protocol/kernel_version.h"

#include <QFile>
#include <QTest>
#include <grp.h>
#include <sys/stat.h>

using namespace std::chrono_literals;
using namespace procscope::protocol;
using namespace procscope::testing;

namespace {

std::uint32_t self() { return static_cast<std::uint32_t>(::getpid()); }

bool kernelHasEventFilter() { return supportsEventFilter(parseKernelRelease(runningKernelRelease())); }

// Drops counter of our socket in /proc/net/netlink (matched by inode), or -1.
long long netlinkDrops(int fd)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0)
        return -1;
    QFile table(QStringLiteral("/proc/net/netlink"));
    if (!table.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = table.readAll().split('\n');
    for (const QByteArray& line : lines) {
        const QList<QByteArray> columns = line.simplified().split(' ');
        if (columns.size() >= 10 && columns.at(9).toULongLong() == info.st_ino)
            return columns.at(8).toLongLong();
    }
    return -1;
}

} // namespace

class TestConnectorKernel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        if (const auto reason = connectorUnavailableReason())
            QSKIP(reason->c_str());
    }

    void ackForOurSubscription()
    {
        auto socket = ConnectorSocket::open();
        QVERIFY2(socket, socket.ok() ? "" : socket.error().message().c_str());
        const auto subscription = socket.value().subscribe();
        QVERIFY(subscription);
        QVERIFY(subscription.value().ackExpected);
        QVERIFY(!subscription.value().kernelFiltered);
        Collected seen;
        const std::uint32_t request = subscription.value().requestAck;
        collect(socket.value(), seen, 3s, [request](const Collected& c) {
            return std::any_of(c.acks.begin(), c.acks.end(), [request](const SubscribeAck& a) { return isAckFor(a, request); });
        });
        const auto ours = std::find_if(seen.acks.begin(), seen.acks.end(), [request](const SubscribeAck& a) { return isAckFor(a, request); });
        QVERIFY2(ours != seen.acks.end(), "no ack for our subscribe request within 3 s");
        if (ours->err == EPERM)
            QSKIP("the kernel refused the subscription (EPERM): this kernel needs CAP_NET_ADMIN");
        QCOMPARE(ours->err, 0u);
    }

    void forkExecExitOfChild()
    {
        auto opened = ConnectorSocket::open();
        QVERIFY(opened);
        ConnectorSocket socket = std::move(opened).value();
        QVERIFY(socket.setReceiveBuffer(4 << 20));
        QVERIFY(socket.subscribe());
        const pid_t child = spawnExec("/bin/true", {});
        QVERIFY(child > 0);
        Collected seen;
        QVERIFY(collect(socket, seen, 5s, [child](const Collected& c) { return hasExitOf(c, std::uint32_t(child)); }));
        QCOMPARE(waitFor(child), 0);
        const auto pid = std::uint32_t(child);

        const auto forks = seen.payloads<ForkEvent>();
        const auto fork = std::find_if(forks.begin(), forks.end(), [pid](const ForkEvent& f) { return f.childPid == pid; });
        QVERIFY2(fork != forks.end(), "no fork event for the child within 5 s");
        QCOMPARE(*fork, (ForkEvent { self(), self(), pid, pid }));

        const auto execs = seen.payloads<ExecEvent>();
        QVERIFY2(std::find(execs.begin(), execs.end(), ExecEvent { pid, pid }) != execs.end(), "no exec event for the child");

        const auto exits = seen.payloads<ExitEvent>();
        const auto exit = std::find_if(exits.begin(), exits.end(), [pid](const ExitEvent& e) { return e.pid == pid; });
        QVERIFY(exit != exits.end());
        QCOMPARE(*exit, (ExitEvent { pid, pid, 0, SIGCHLD, self(), self(), true }));

        // Order within the child's life: fork, exec, exit.
        std::vector<std::string_view> order;
        for (const auto& event : seen.events) {
            const bool aboutChild = std::visit([pid](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, ForkEvent>)
                    return e.childPid == pid;
                else if constexpr (std::is_same_v<T, UnknownEvent>)
                    return false;
                else
                    return e.pid == pid;
            }, event.payload);
            if (aboutChild)
                order.push_back(std::visit([](const auto& e) {
                    using T = std::decay_t<decltype(e)>;
                    return std::is_same_v<T, ForkEvent> ? "fork" : std::is_same_v<T, ExecEvent> ? "exec" : std::is_same_v<T, ExitEvent> ? "exit" : "other";
                }, event.payload));
        }
        QCOMPARE(order, (std::vector<std::string_view> { "fork", "exec", "exit" }));
        QVERIFY(seen.malformed.empty());
    }

    void exitStatusesFromTheKernel_data()
    {
        QTest::addColumn<int>("action");
        QTest::addColumn<quint32>("exitCode");
        QTest::newRow("exit 3") << 0 << 0x300u;
        QTest::newRow("SIGKILL") << 1 << 9u;
        QTest::newRow("SIGTERM") << 2 << 15u;
    }

    void exitStatusesFromTheKernel()
    {
        QFETCH(int, action);
        QFETCH(quint32, exitCode);
        auto socket = ConnectorSocket::open();
        QVERIFY(socket);
        QVERIFY(socket.value().subscribe(maskOf(EventType::Exit)));
        const pid_t child = spawnFunction([action] {
            if (action == 1)
                ::kill(::getpid(), SIGKILL);
            if (action == 2)
                ::kill(::getpid(), SIGTERM);
            return 3;
        });
        Collected seen;
        QVERIFY(collect(socket.value(), seen, 5s, [child](const Collected& c) { return hasExitOf(c, std::uint32_t(child)); }));
        waitFor(child);
        for (const auto& exit : seen.payloads<ExitEvent>()) {
            if (exit.pid == std::uint32_t(child))
                QCOMPARE(exit.exitCode, exitCode);
        }
    }

    void subscribeUnsubscribeResubscribe()
    {
        if (!kernelHasEventFilter())
            QSKIP("before 6.6 an unsubscribed socket still receives events while any other program listens");
        auto opened = ConnectorSocket::open();
        QVERIFY(opened);
        ConnectorSocket socket = std::move(opened).value();

        QVERIFY(socket.subscribe());
        const pid_t first = spawnExec("/bin/true", {});
        Collected seenFirst;
        QVERIFY(collect(socket, seenFirst, 5s, [first](const Collected& c) { return hasExitOf(c, std::uint32_t(first)); }));
        waitFor(first);

        QVERIFY(socket.unsubscribe());
        QVERIFY(!socket.isSubscribed());
        collect(socket, seenFirst, 2s, {}, 200ms); // drain what was queued before IGNORE
        const pid_t second = spawnExec("/bin/true", {});
        waitFor(second);
        Collected seenSecond;
        collect(socket, seenSecond, 700ms);
        for (const auto& event : seenSecond.events) {
            if (const auto* fork = std::get_if<ForkEvent>(&event.payload))
                QVERIFY2(fork->childPid != std::uint32_t(second), "event received after IGNORE");
            if (const auto* exit = std::get_if<ExitEvent>(&event.payload))
                QVERIFY2(exit->pid != std::uint32_t(second), "event received after IGNORE");
        }

        QVERIFY(socket.subscribe());
        const pid_t third = spawnExec("/bin/true", {});
        Collected seenThird;
        QVERIFY2(collect(socket, seenThird, 5s, [third](const Collected& c) { return hasExitOf(c, std::uint32_t(third)); }),
            "no events after subscribing again");
        waitFor(third);
    }

    void kernelFilterExitOnly()
    {
        if (!kernelHasEventFilter())
            QSKIP("kernel-side event filtering needs Linux 6.6 or later");
        auto socket = ConnectorSocket::open();
        QVERIFY(socket);
        const auto subscription = socket.value().subscribe(maskOf(EventType::Exit));
        QVERIFY(subscription);
        QVERIFY(subscription.value().kernelFiltered);
        QVERIFY(!subscription.value().ackExpected);
        std::vector<pid_t> children;
        for (int i = 0; i < 5; ++i)
            children.push_back(spawnExec("/bin/true", {}));
        Collected seen;
        const pid_t last = children.back();
        QVERIFY(collect(socket.value(), seen, 5s, [last](const Collected& c) { return hasExitOf(c, std::uint32_t(last)); }));
        for (pid_t child : children)
            waitFor(child);
        collect(socket.value(), seen, 1s, {}, 200ms);
        for (pid_t child : children)
            QVERIFY(hasExitOf(seen, std::uint32_t(child)));
        for (const auto& event : seen.events)
            QVERIFY2(std::holds_alternative<ExitEvent>(event.payload), "a non-exit event arrived through an exit-only filter");
        QVERIFY2(seen.acks.empty(), "a filtered subscription must not receive acks");
    }

    void nonzeroExitFilter()
    {
        if (!kernelHasEventFilter())
            QSKIP("kernel-side event filtering needs Linux 6.6 or later");
        auto socket = ConnectorSocket::open();
        QVERIFY(socket);
        // NONZERO_EXIT alone: with the EXIT bit as well, the kernel delivers every exit.
        const auto subscription = socket.value().subscribe(maskOf(EventType::NonzeroExit));
        QVERIFY(subscription);
        QVERIFY(subscription.value().kernelFiltered);
        const pid_t clean = spawnFunction([] { return 0; });
        const pid_t failing = spawnFunction([] { return 4; });
        Collected seen;
        QVERIFY(collect(socket.value(), seen, 5s, [failing](const Collected& c) { return hasExitOf(c, std::uint32_t(failing)); }));
        waitFor(clean);
        waitFor(failing);
        collect(socket.value(), seen, 1s, {}, 200ms);
        QVERIFY(!hasExitOf(seen, std::uint32_t(clean)));
        for (const auto& exit : seen.payloads<ExitEvent>())
            QVERIFY(exit.exitCode != 0);
    }

    // From 6.6 an unprivileged process can subscribe and receive (the helper relies on it).
    void unprivilegedOnNewKernels()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to drop to an unprivileged user");
        if (!kernelHasEventFilter())
            QSKIP("unprivileged subscription needs Linux 6.6 or later");
        if (probeUnprivilegedSubscription() == UnprivilegedSubscription::Refused)
            QSKIP("this kernel refuses an unprivileged process the proc connector");
        const pid_t reader = spawnFunction([] {
            if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
                return 10;
            auto socket = ConnectorSocket::open();
            if (!socket)
                return 11;
            if (!socket.value().subscribe(maskOf(EventType::Exit)))
                return 12;
            const pid_t child = spawnFunction([] { return 6; });
            Collected seen;
            const bool got = collect(socket.value(), seen, 5s, [child](const Collected& c) { return hasExitOf(c, std::uint32_t(child)); });
            waitFor(child);
            return got ? 0 : 13;
        });
        const int status = waitFor(reader);
        QVERIFY(WIFEXITED(status));
        QCOMPARE(WEXITSTATUS(status), 0);
    }

    void tooSmallBufferReportsSize()
    {
        auto socket = ConnectorSocket::open();
        QVERIFY(socket);
        QVERIFY(socket.value().subscribe());
        waitFor(spawnFunction([] { return 0; }));
        std::array<std::byte, 40> small {};
        auto received = socket.value().receive(small, 2000ms);
        QVERIFY(!received);
        QCOMPARE(received.error().kind(), ErrorKind::BufferTooSmall);
        QCOMPARE(received.error().needed(), 76u);
        QCOMPARE(received.error().available(), 40u);
    }

    void receiveTimesOut()
    {
        auto socket = ConnectorSocket::open();
        QVERIFY(socket);
        std::array<std::byte, 256> buffer {};
        // Bound but not subscribed: while another program (a parallel test, a capture) has the
        // connector on, its events reach this socket too, so wait for a quiet moment.
        bool timedOut = false;
        for (int attempt = 0; attempt < 100 && !timedOut; ++attempt) {
            auto received = socket.value().receive(buffer, 50ms);
            QVERIFY(received);
            timedOut = !received.value();
        }
        QVERIFY(timedOut);
    }

    // A reader that stops reading during a fork storm must see the overrun and the gaps, and
    // what it received plus what it counts as lost must cover what the storm generated.
    void stalledReaderReportsLoss()
    {
        auto opened = ConnectorSocket::open();
        QVERIFY(opened);
        ConnectorSocket socket = std::move(opened).value();
        QVERIFY(socket.setReceiveBuffer(16384)); // small, so the storm overflows it quickly
        QVERIFY(socket.subscribe());

        // A baseline seq on every CPU first: loss before a CPU's first seen event is invisible.
        Collected seen;
        forkOnEveryCpu();
        QVERIFY(collect(socket, seen, 5s, {}, 300ms));

        constexpr int kChildren = 3000;
        std::vector<std::uint32_t> pids;
        pids.reserve(kChildren);
        for (int i = 0; i < kChildren; ++i) { // nobody reads meanwhile: the stall
            const pid_t child = spawnFunction([] { return 0; });
            QVERIFY(child > 0);
            pids.push_back(std::uint32_t(child));
            waitFor(child);
        }
        QVERIFY(collect(socket, seen, 10s, {}, 300ms)); // empties the queue, so the kernel delivers again
        forkOnEveryCpu(); // the next seq on every CPU makes loss at the end of the storm show as a gap
        QVERIFY(collect(socket, seen, 5s, {}, 300ms));
        const long long drops = netlinkDrops(socket.fd());

        std::uint64_t ours = 0;
        std::sort(pids.begin(), pids.end());
        for (const auto& event : seen.events) {
            if (const auto* fork = std::get_if<ForkEvent>(&event.payload); fork && std::binary_search(pids.begin(), pids.end(), fork->childPid))
                ++ours;
            if (const auto* exit = std::get_if<ExitEvent>(&event.payload); exit && std::binary_search(pids.begin(), pids.end(), exit->pid))
                ++ours;
        }
        const std::uint64_t generated = 2ull * kChildren;
        qInfo("storm: %llu events of ours received, %llu lost by sequence, %lld kernel drops, %llu overruns, %llu datagrams",
            (unsigned long long)ours, (unsigned long long)seen.sequence.totalLost(), drops,
            (unsigned long long)seen.overruns, (unsigned long long)seen.datagrams);
        QVERIFY2(seen.overruns >= 1, "the kernel's ENOBUFS was not reported");
        QVERIFY2(seen.sequence.totalLost() > 0, "no sequence gaps despite an overrun");
        QVERIFY2(ours < generated, "nothing was lost: the stall did not overflow the queue");
        QVERIFY2(ours + seen.sequence.totalLost() >= generated,
            "received + counted as lost is less than the storm generated: loss went unreported");
        if (drops >= 0)
            QCOMPARE(seen.sequence.totalLost(), std::uint64_t(drops));
    }
};

QTEST_APPLESS_MAIN(TestConnectorKernel)
#include "tst_connector_kernel.moc"
