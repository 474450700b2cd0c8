// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace procscope::protocol {

// The exit event's exit_code is a wait(2) status, not an exit code.
struct WaitStatus {
    enum class Kind {
        Exited, // code holds the exit code
        Killed, // signal holds the signal; coreDumped may be set
        Stopped, // not seen in exit events; kept so a strange value is shown, not misread
    };
    Kind kind = Kind::Exited;
    int code = 0;
    int signal = 0;
    bool coreDumped = false;
    friend bool operator==(const WaitStatus&, const WaitStatus&) = default;
};

WaitStatus decodeWaitStatus(std::uint32_t status);

// "SIGSEGV" for 11, "SIGRTMIN+3" for realtime signals, "signal 99" otherwise.
std::string signalName(int signal);
// Inverse of signalName for the classic names (with or without "SIG"); -1 when unknown.
int signalFromName(std::string_view name);

// "exited 3", "killed by SIGKILL", "killed by SIGABRT (core dumped)".
std::string describeWaitStatus(const WaitStatus& status);

} // namespace procscope::protocol
