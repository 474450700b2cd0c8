// SPDX-License-Identifier: GPL-3.0-or-later
// procscope-events: prints live proc connector events, one per line, until interrupted.

#include "event_printer.h"

#include "protocol/connector_socket.h"
#include "protocol/event_names.h"

#include <array>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

using namespace procscope;
using namespace procscope::protocol;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

volatile std::sig_atomic_t g_stopRequested = 0;

void requestStop(int) { g_stopRequested = 1; }

struct Options {
    EventMask events = kAllEvents;
    std::optional<std::uint64_t> count;
    std::optional<int> bufferBytes;
    bool raw = false;
};

constexpr const char* kUsage
    = "Usage: procscope-events [--events LIST] [--count N] [--buffer BYTES] [--raw]\n"
      "Prints process events from the kernel's proc connector until interrupted (Ctrl+C).\n"
      "\n"
      "  --events LIST   comma-separated: fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,\n"
      "                  nonzero-exit (default: all)\n"
      "  --count N       stop after printing N events\n"
      "  --buffer BYTES  socket receive buffer (forced when privileged)\n"
      "  --raw           also print each datagram's bytes in hex\n"
      "  --help          show this help\n"
      "\n"
      "Needs root (CAP_NET_ADMIN) on kernels before 6.6.\n";

int usageError(const std::string& message)
{
    std::fprintf(stderr, "procscope-events: %s\nTry 'procscope-events --help'.\n", message.c_str());
    return kExitUsage;
}

template <typename T>
std::optional<T> parseNumber(std::string_view text)
{
    T value {};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc {} || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

// Returns an exit status when the program should stop right away.
std::optional<int> parseOptions(int argc, char** argv, Options& options)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const auto value = [&]() -> std::optional<std::string_view> {
            if (i + 1 >= argc)
                return std::nullopt;
            return std::string_view(argv[++i]);
        };
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return kExitOk;
        } else if (arg == "--raw") {
            options.raw = true;
        } else if (arg == "--events") {
            const auto list = value();
            if (!list)
                return usageError("--events needs a list");
            std::string_view bad;
            const auto mask = parseEventList(*list, &bad);
            if (!mask)
                return usageError("unknown event type '" + std::string(bad) + "' in --events");
            options.events = *mask;
        } else if (arg == "--count") {
            const auto text = value();
            const auto count = text ? parseNumber<std::uint64_t>(*text) : std::nullopt;
            if (!count || *count == 0)
                return usageError("--count needs a positive whole number");
            options.count = count;
        } else if (arg == "--buffer") {
            const auto text = value();
            const auto bytes = text ? parseNumber<int>(*text) : std::nullopt;
            if (!bytes || *bytes < 4096)
                return usageError("--buffer needs a size in bytes of at least 4096");
            options.bufferBytes = bytes;
        } else {
            return usageError("unknown argument '" + std::string(arg) + "'");
        }
    }
    return std::nullopt;
}

void installSignalHandlers()
{
    struct sigaction action {};
    action.sa_handler = requestStop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: poll must return EINTR so the loop notices
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // A closed pipe (procscope-events | head) must end the loop through ferror, not kill the
    // process before it can send IGNORE.
    std::signal(SIGPIPE, SIG_IGN);
}

int fail(const Error& error)
{
    std::fprintf(stderr, "procscope-events: %s\n", error.message().c_str());
    return kExitFailure;
}

} // namespace

int main(int argc, char** argv)
{
    Options options;
    if (const auto exitStatus = parseOptions(argc, argv, options))
        return *exitStatus;
    installSignalHandlers();

    auto opened = ConnectorSocket::open();
    if (!opened)
        return fail(opened.error());
    ConnectorSocket socket = std::move(opened).value();
    if (options.bufferBytes) {
        if (auto size = socket.setReceiveBuffer(*options.bufferBytes); !size)
            return fail(size.error());
    }
    auto subscribed = socket.subscribe(options.events);
    if (!subscribed)
        return fail(subscribed.error());
    const Subscription subscription = subscribed.value();
    if (!subscription.kernelFiltered && options.events != kAllEvents)
        std::fputs("procscope-events: this kernel has no event filter; filtering here\n", stderr);
    std::fprintf(stderr, "procscope-events: listening (%s)\n",
        subscription.kernelFiltered ? "filtered by the kernel" : "all events");

    // Sequence gaps mean loss only when the kernel sends us everything.
    events::EventPrinter printer(stdout, options.events, !subscription.kernelFiltered);
    std::array<std::byte, 8192> buffer {};
    int exitStatus = kExitOk;
    while (!g_stopRequested && (!options.count || printer.printed() < *options.count)) {
        auto received = socket.receive(buffer, std::chrono::milliseconds(0));
        if (received.ok() && !received.value()) {
            std::fflush(stdout); // drained: show what we have before sleeping
            received = socket.receive(buffer, std::chrono::milliseconds(500));
        }
        if (!received) {
            const Error& error = received.error();
            if (error.kind() == ErrorKind::Interrupted)
                continue;
            if (error.kind() == ErrorKind::Overrun) {
                printer.printOverrun();
                continue;
            }
            if (error.kind() == ErrorKind::BufferTooSmall) {
                printer.printTruncated(static_cast<std::size_t>(error.needed()), buffer.size());
                continue;
            }
            exitStatus = fail(error);
            break;
        }
        if (!received.value())
            continue;
        const Datagram& datagram = *received.value();
        if (options.raw)
            printer.printHex(datagram.bytes);
        printer.printDatagram(datagram.bytes, datagram.senderPid);
        if (std::ferror(stdout)) { // e.g. the reader of a pipe went away
            exitStatus = kExitFailure;
            break;
        }
    }
    std::fflush(stdout);
    if (auto status = socket.unsubscribe(); !status)
        std::fprintf(stderr, "procscope-events: %s\n", status.error().message().c_str());
    std::fprintf(stderr,
        "procscope-events: %llu events shown; %llu overruns, %llu events lost in sequence gaps, "
        "%llu malformed, %llu truncated\n",
        static_cast<unsigned long long>(printer.printed()),
        static_cast<unsigned long long>(printer.overruns()),
        static_cast<unsigned long long>(printer.sequence().totalLost()),
        static_cast<unsigned long long>(printer.malformed()),
        static_cast<unsigned long long>(printer.truncated()));
    return exitStatus;
}
