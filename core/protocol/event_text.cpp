// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/event_text.h"

#include "protocol/wait_status.h"

#include <cstdio>
#include <type_traits>

namespace procscope::protocol {

namespace {

std::string ids(std::uint32_t pid, std::uint32_t tgid) { return std::to_string(pid) + "/" + std::to_string(tgid); }

std::string pidTgid(std::uint32_t pid, std::uint32_t tgid)
{
    return "pid=" + std::to_string(pid) + " tgid=" + std::to_string(tgid);
}

std::string describePayload(const EventPayload& payload)
{
    return std::visit(
        [](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>) {
                return std::string(e.isThread() ? "fork(thread)" : "fork") + " parent="
                    + ids(e.parentPid, e.parentTgid) + " child=" + ids(e.childPid, e.childTgid);
            } else if constexpr (std::is_same_v<T, ExecEvent>) {
                return "exec " + pidTgid(e.pid, e.tgid);
            } else if constexpr (std::is_same_v<T, UidEvent>) {
                return "uid " + pidTgid(e.pid, e.tgid) + " ruid=" + std::to_string(e.ruid)
                    + " euid=" + std::to_string(e.euid);
            } else if constexpr (std::is_same_v<T, GidEvent>) {
                return "gid " + pidTgid(e.pid, e.tgid) + " rgid=" + std::to_string(e.rgid)
                    + " egid=" + std::to_string(e.egid);
            } else if constexpr (std::is_same_v<T, SidEvent>) {
                return "sid " + pidTgid(e.pid, e.tgid);
            } else if constexpr (std::is_same_v<T, PtraceEvent>) {
                return "ptrace " + pidTgid(e.pid, e.tgid)
                    + (e.isDetach() ? std::string(" detach") : " tracer=" + ids(e.tracerPid, e.tracerTgid));
            } else if constexpr (std::is_same_v<T, CommEvent>) {
                return "comm " + pidTgid(e.pid, e.tgid) + " comm=\"" + escapeBytes(e.name()) + "\"";
            } else if constexpr (std::is_same_v<T, CoredumpEvent>) {
                return "coredump " + pidTgid(e.pid, e.tgid)
                    + (e.hasParent ? " parent=" + ids(e.parentPid, e.parentTgid) : std::string());
            } else if constexpr (std::is_same_v<T, ExitEvent>) {
                char code[16];
                std::snprintf(code, sizeof code, "0x%x", e.exitCode);
                return "exit " + pidTgid(e.pid, e.tgid) + " "
                    + describeWaitStatus(decodeWaitStatus(e.exitCode)) + " (status " + code
                    + ") signal_to_parent=" + std::to_string(e.exitSignal)
                    + (e.hasParent ? " parent=" + ids(e.parentPid, e.parentTgid) : std::string());
            } else {
                char what[16];
                std::snprintf(what, sizeof what, "0x%x", e.what);
                return std::string("unknown what=") + what + " bytes=" + std::to_string(e.data.size());
            }
        },
        payload);
}

} // namespace

std::string escapeBytes(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '\\') {
            out += "\\\\";
        } else if (byte >= 0x20 && byte < 0x7f) {
            out += c;
        } else {
            char escaped[5];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            out += escaped;
        }
    }
    return out;
}

std::string describeMessage(const Message& message)
{
    return std::visit(
        [](const auto& m) -> std::string {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, ProcEvent>) {
                return describePayload(m.payload);
            } else if constexpr (std::is_same_v<T, SubscribeAck>) {
                return "ack ack=" + std::to_string(m.header.ack) + " err=" + std::to_string(m.err);
            } else if constexpr (std::is_same_v<T, NetlinkNoop>) {
                return "netlink noop";
            } else if constexpr (std::is_same_v<T, NetlinkDone>) {
                return "netlink done";
            } else if constexpr (std::is_same_v<T, NetlinkOverrun>) {
                return "netlink overrun";
            } else if constexpr (std::is_same_v<T, NetlinkError>) {
                return "netlink error errno=" + std::to_string(m.errnum);
            } else {
                return "malformed at offset " + std::to_string(m.offset) + ": " + m.error.message();
            }
        },
        message);
}

} // namespace procscope::protocol
