// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/wait_status.h"

#include <array>

namespace procscope::protocol {

namespace {

// Linux x86/arm generic numbering (asm-generic/signal.h); index = signal number.
constexpr std::array<std::string_view, 32> kSignalNames {
    "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
};
constexpr int kSigRtMin = 32; // the kernel's; glibc reserves the first two for itself
constexpr int kSigRtMax = 64;

} // namespace

WaitStatus decodeWaitStatus(std::uint32_t status)
{
    const int low7 = static_cast<int>(status & 0x7f);
    const int high = static_cast<int>((status >> 8) & 0xff);
    if (low7 == 0)
        return { WaitStatus::Kind::Exited, high, 0, false };
    if ((status & 0xff) == 0x7f)
        return { WaitStatus::Kind::Stopped, 0, high, false };
    return { WaitStatus::Kind::Killed, 0, low7, (status & 0x80) != 0 };
}

std::string signalName(int signal)
{
    if (signal > 0 && signal < kSigRtMin)
        return std::string(kSignalNames[static_cast<std::size_t>(signal)]);
    if (signal == kSigRtMin)
        return "SIGRTMIN";
    if (signal > kSigRtMin && signal <= kSigRtMax)
        return "SIGRTMIN+" + std::to_string(signal - kSigRtMin);
    return "signal " + std::to_string(signal);
}

int signalFromName(std::string_view name)
{
    const std::string_view bare = name.starts_with("SIG") ? name.substr(3) : name;
    for (std::size_t i = 1; i < kSignalNames.size(); ++i) {
        if (kSignalNames[i].substr(3) == bare)
            return static_cast<int>(i);
    }
    return -1;
}

std::string describeWaitStatus(const WaitStatus& status)
{
    switch (status.kind) {
    case WaitStatus::Kind::Exited:
        return "exited " + std::to_string(status.code);
    case WaitStatus::Kind::Killed:
        return "killed by " + signalName(status.signal) + (status.coreDumped ? " (core dumped)" : "");
    case WaitStatus::Kind::Stopped:
        return "stopped by " + signalName(status.signal);
    }
    return {};
}

} // namespace procscope::protocol
