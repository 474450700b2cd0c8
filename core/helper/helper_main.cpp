// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/helper_main.h"

#include "helper/capture_loop.h"
#include "helper/privileges.h"
#include "protocol/clock.h"
#include "protocol/kernel_version.h"
#include "protocol/taskstats_socket.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <linux/capability.h>
#include <optional>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace procscope::helper {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kPrivilegedReceiveBuffer = 8 << 20; // ~20,000 queued events at ~832 bytes each
constexpr int kCostReceiveBuffer = 16 << 20; // taskstats messages take ~2 KiB each queued

int usage(const std::string& message)
{
    std::fprintf(stderr, "procscope-helper: %s\nTry 'procscope-helper --help'.\n", message.c_str());
    return kExitUsage;
}

int failure(const std::string& message)
{
    std::fprintf(stderr, "procscope-helper: %s\n", message.c_str());
    return kExitFailure;
}

bool isPeer(int fd)
{
    struct stat info {};
    return ::fstat(fd, &info) == 0 && (S_ISSOCK(info.st_mode) || S_ISFIFO(info.st_mode));
}

// Asks the scheduler for a short time slice (0.1 ms; EEVDF, Linux 6.12+) with the same policy
// and nice value: the helper gets no more CPU than before, but when an exec wakes it, it
// preempts what runs instead of waiting for that task's slice to end, so it reaches
// /proc/PID/cmdline before a short-lived process exits. Older kernels ignore the request.
void requestShortSlice()
{
    struct {
        std::uint32_t size;
        std::uint32_t policy;
        std::uint64_t flags;
        std::int32_t nice;
        std::uint32_t priority;
        std::uint64_t runtime;
        std::uint64_t deadline;
        std::uint64_t period;
    } attr {};
    attr.size = sizeof attr; // SCHED_ATTR_SIZE_VER0
    attr.policy = 0; // SCHED_OTHER
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, 0);
    if (errno != 0)
        return;
    attr.nice = nice; // kept as it is: only the slice changes
    attr.runtime = 100'000; // the shortest slice the kernel allows
    (void)::syscall(SYS_sched_setattr, 0, &attr, 0);
}

void setNonBlocking(int fd)
{
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0)
        ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

} // namespace

int helperMain(int argc, const char* const* argv, const char* version)
{
    const auto parsed = parseHelperCommandLine(argc, argv);
    if (std::holds_alternative<ShowHelp>(parsed)) {
        std::fputs(helperUsage(), stdout);
        return kExitOk;
    }
    if (std::holds_alternative<ShowVersion>(parsed)) {
        std::printf("procscope-helper %s\n", version);
        return kExitOk;
    }
    if (const auto* error = std::get_if<UsageError>(&parsed))
        return usage(error->message);
    const HelperOptions options = std::get<HelperOptions>(parsed);
    if (!options.output && ::isatty(STDOUT_FILENO))
        return usage("refusing to write the binary capture stream to a terminal; use --output FILE or a pipe");
    std::signal(SIGPIPE, SIG_IGN); // a closed reader is a stop condition, seen as EPIPE

    const auto caller = pkexecCaller(std::getenv("PKEXEC_UID"));
    if (!caller)
        return failure(caller.error().message());

    const std::string release = protocol::runningKernelRelease();
    const bool netAdmin = hasEffectiveCapability(CAP_NET_ADMIN);
    const auto kernel = protocol::parseKernelRelease(release);
    if (!netAdmin && !protocol::supportsEventFilter(kernel))
        return failure("Linux " + release + " allows proc connector subscriptions only with CAP_NET_ADMIN; "
            "run procscope-helper through pkexec or as root (unprivileged capture needs Linux 6.6 or later)");

    auto opened = protocol::ConnectorSocket::open();
    if (!opened)
        return failure(opened.error().message());
    protocol::ConnectorSocket socket = std::move(opened).value();
    if (netAdmin) {
        if (auto size = socket.setReceiveBuffer(kPrivilegedReceiveBuffer); !size)
            return failure(size.error().message());
    }
    const auto subscribed = socket.subscribe(options.events);
    if (!subscribed)
        return failure(subscribed.error().message());
    const protocol::Subscription subscription = subscribed.value();

    // A second socket for exec events only, to enrich at once while the main one is read in
    // batches. Only where the kernel filters (6.6+): otherwise it would receive everything.
    std::optional<protocol::ConnectorSocket> execTrigger;
    const bool wantsExec = (options.events & protocol::maskOf(protocol::EventType::Exec)) != 0;
    if (wantsExec && protocol::supportsEventFilter(kernel)) {
        if (auto trigger = protocol::ConnectorSocket::open()) {
            auto triggerSubscription = trigger.value().subscribe(protocol::maskOf(protocol::EventType::Exec));
            if (triggerSubscription && triggerSubscription.value().kernelFiltered) {
                if (netAdmin)
                    (void)trigger.value().setReceiveBuffer(kPrivilegedReceiveBuffer / 8);
                execTrigger = std::move(trigger).value();
            }
        }
    }

    // Each exiting task's cost, registered while CAP_NET_ADMIN is still held: the registration
    // stays with the socket after the privileges are dropped.
    std::optional<protocol::TaskstatsSocket> costs;
    std::string costProblem;
    const bool wantsExits = (options.events & (protocol::maskOf(protocol::EventType::Exit) | protocol::maskOf(protocol::EventType::NonzeroExit))) != 0;
    if (!options.costs || !wantsExits) {
        // not asked for
    } else if (!netAdmin) {
        costProblem = "process costs are unavailable: the kernel's per-task accounting needs a privileged capture";
    } else if (auto registered = protocol::TaskstatsSocket::open(kCostReceiveBuffer); !registered) {
        costProblem = "process costs are unavailable: " + registered.error().message();
    } else {
        costs = std::move(registered).value();
    }

    if (auto dropped = dropPrivileges(caller.value()); !dropped)
        return failure(dropped.error().message());

    // Opened only now, with the invoking user's identity: the file is theirs and a path they
    // could not write themselves is refused, so the helper cannot be used to write as root.
    int outputFd = STDOUT_FILENO;
    if (options.output) {
        outputFd = ::open(options.output->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (outputFd < 0)
            return failure(protocol::Error::os(errno, ("creating " + *options.output).c_str()).message());
    } else {
        setNonBlocking(outputFd);
    }
    const int peerFd = isPeer(STDIN_FILENO) ? STDIN_FILENO : -1;
    if (peerFd >= 0)
        setNonBlocking(peerFd);

    capture::HeaderRecord header;
    header.monotonicNs = static_cast<std::uint64_t>(protocol::clockNs(CLOCK_MONOTONIC));
    header.realtimeNs = static_cast<std::uint64_t>(protocol::clockNs(CLOCK_REALTIME));
    header.requestedMask = options.events;
    const bool everything = (options.events & protocol::kAllEvents) == protocol::kAllEvents;
    header.mode = subscription.kernelFiltered ? capture::SubscriptionMode::KernelMask
        : everything                          ? capture::SubscriptionMode::AllEvents
                                              : capture::SubscriptionMode::HelperFilter;
    const std::string limitation = enrichmentLimitation();
    header.flags = static_cast<std::uint8_t>((netAdmin ? capture::header_flags::kPrivileged : 0)
        | (limitation.empty() ? 0 : capture::header_flags::kEnrichmentReduced)
        | (options.snapshot ? 0 : capture::header_flags::kNoSnapshot)
        | (costs ? capture::header_flags::kCostsRecorded : 0));
    header.helperPid = static_cast<std::uint32_t>(::getpid());
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    header.hostName = host;
    header.kernelRelease = release;
    header.bootId = protocol::readFirstLine("/proc/sys/kernel/random/boot_id");
    header.helperVersion = version;

    std::vector<capture::StatusRecord> notes;
    const std::uint64_t now = header.monotonicNs;
    notes.push_back({ capture::StatusLevel::Info, capture::StatusCode::Started, now, "capture started" });
    if (!limitation.empty()) {
        std::fprintf(stderr, "procscope-helper: %s\n", limitation.c_str());
        notes.push_back({ capture::StatusLevel::Warning, capture::StatusCode::EnrichmentReduced, now, limitation });
    }
    if (!costProblem.empty()) {
        std::fprintf(stderr, "procscope-helper: %s\n", costProblem.c_str());
        notes.push_back({ capture::StatusLevel::Warning, capture::StatusCode::CostsUnavailable, now, costProblem });
    } else if (costs && protocol::readFirstLine("/proc/sys/kernel/task_delayacct") == "0") {
        notes.push_back({ capture::StatusLevel::Info, capture::StatusCode::DelaysOff, now,
            "delay accounting is off (sysctl kernel.task_delayacct = 0): waits for block I/O, swap-in and memory reclaim read 0" });
    }
    if (header.mode == capture::SubscriptionMode::HelperFilter)
        notes.push_back({ capture::StatusLevel::Info, capture::StatusCode::HelperFiltering, now,
            "this kernel has no event filter: the helper filters events itself" });

    requestShortSlice();
    CaptureLoop loop(socket, subscription, options, outputFd, peerFd, execTrigger ? &*execTrigger : nullptr, costs ? &*costs : nullptr);
    const CaptureResult result = loop.run(header, notes);
    if (options.output && ::close(outputFd) != 0 && !result.error)
        return failure(protocol::Error::os(errno, ("closing " + *options.output).c_str()).message());
    if (result.error)
        return failure(*result.error);
    return kExitOk;
}

} // namespace procscope::helper
