// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers for tests that talk to the real kernel: spawning children, draining a connector
// socket, deciding whether the connector is usable here.

#include "protocol/connector_socket.h"
#include "protocol/messages.h"
#include "protocol/parser.h"
#include "protocol/sequence_baseline.h"
#include "protocol/sequence_tracker.h"

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <csignal>
#include <grp.h>
#include <sched.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace procscope::testing {

// Why the proc connector cannot be used here, or nullopt when it can.
inline std::optional<std::string> connectorUnavailableReason()
{
    auto socket = protocol::ConnectorSocket::open();
    if (!socket)
        return "the proc connector is not available: " + socket.error().message();
    return std::nullopt;
}

// Forks a child that execs `path` with `args`; returns its pid.
// The test framework installs crash handlers for SIGTERM, SIGSEGV and others; a child that is
// meant to die by a signal must die of it, not print the parent's stack trace.
inline void restoreDefaultSignals()
{
    for (int signal = 1; signal < NSIG; ++signal)
        ::signal(signal, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

inline pid_t spawnExec(const char* path, std::vector<const char*> args)
{
    args.insert(args.begin(), path);
    args.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
        restoreDefaultSignals();
        ::execv(path, const_cast<char* const*>(args.data()));
        ::_exit(127);
    }
    return pid;
}

// Forks a child that runs `body` and exits with its return value (no exec).
inline pid_t spawnFunction(const std::function<int()>& body)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        restoreDefaultSignals();
        ::_exit(body());
    }
    return pid;
}

inline int waitFor(pid_t pid)
{
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    return status;
}

// Linux 6.6 opened the proc connector to unprivileged processes, but a kernel may still refuse
// them (this one's sandbox does: bind fails with EPERM). Whether an unprivileged user (nobody)
// can subscribe here; needs root to drop to nobody.
enum class UnprivilegedSubscription { Allowed, Refused, Unknown };
inline UnprivilegedSubscription probeUnprivilegedSubscription()
{
    const pid_t probe = spawnFunction([] {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            return 2;
        return protocol::ConnectorSocket::open() ? 0 : 1;
    });
    const int status = waitFor(probe);
    if (!WIFEXITED(status))
        return UnprivilegedSubscription::Unknown;
    switch (WEXITSTATUS(status)) {
    case 0: return UnprivilegedSubscription::Allowed;
    case 1: return UnprivilegedSubscription::Refused;
    default: return UnprivilegedSubscription::Unknown; // could not become nobody
    }
}

// Everything one drain of a socket saw.
struct Collected {
    std::vector<protocol::ProcEvent> events; // UnknownEvent data is not kept
    std::vector<protocol::SubscribeAck> acks;
    std::vector<protocol::Malformed> malformed;
    std::uint64_t overruns = 0;
    std::uint64_t datagrams = 0;
    protocol::SequenceTracker sequence;

    template <typename T>
    std::vector<T> payloads() const
    {
        std::vector<T> out;
        for (const auto& event : events) {
            if (const auto* p = std::get_if<T>(&event.payload))
                out.push_back(*p);
        }
        return out;
    }
};

// Receives until `done` says so, or `timeout` passes, or (with `quietFor`) the socket stays
// silent that long. Returns false on a receive error other than overrun.
inline bool collect(protocol::ConnectorSocket& socket, Collected& into,
    std::chrono::milliseconds timeout, const std::function<bool(const Collected&)>& done = {},
    std::optional<std::chrono::milliseconds> quietFor = std::nullopt)
{
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + timeout;
    std::array<std::byte, 8192> buffer {};
    while (Clock::now() < deadline) {
        if (done && done(into))
            return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const auto wait = quietFor ? std::min(left, *quietFor) : std::min(left, std::chrono::milliseconds(100));
        auto received = socket.receive(buffer, wait);
        if (!received) {
            if (received.error().kind() == protocol::ErrorKind::Overrun) {
                ++into.overruns;
                continue;
            }
            return false;
        }
        if (!received.value()) {
            if (quietFor)
                return true;
            continue;
        }
        ++into.datagrams;
        protocol::DatagramParser parser(received.value()->bytes, received.value()->senderPid);
        while (auto message = parser.next()) {
            if (auto* event = std::get_if<protocol::ProcEvent>(&*message)) {
                (void)into.sequence.observe(event->header.cpu, event->header.seq);
                if (std::holds_alternative<protocol::UnknownEvent>(event->payload))
                    std::get<protocol::UnknownEvent>(event->payload).data = {};
                into.events.push_back(*event);
            } else if (auto* ack = std::get_if<protocol::SubscribeAck>(&*message)) {
                (void)into.sequence.observe(ack->header.cpu, ack->header.seq);
                into.acks.push_back(*ack);
            } else if (auto* bad = std::get_if<protocol::Malformed>(&*message)) {
                into.malformed.push_back(*bad);
            }
        }
    }
    return done ? done(into) : true;
}

inline bool hasExitOf(const Collected& c, std::uint32_t pid)
{
    for (const auto& exit : c.payloads<protocol::ExitEvent>()) {
        if (exit.pid == pid)
            return true;
    }
    return false;
}

} // namespace procscope::testing
