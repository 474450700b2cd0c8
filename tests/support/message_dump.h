// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Every field of a parse result as one line of text, so data-driven tests can state exact
// expectations in a readable table: "fork cpu=1 ts=5 seq=2 ack=0 parent=10/10 child=11/11".

#include "protocol/event_names.h"
#include "protocol/event_text.h"
#include "protocol/events.h"

#include <string>
#include <type_traits>

namespace procscope::testing {

inline std::string dumpHeader(const protocol::EventHeader& h)
{
    return "cpu=" + std::to_string(h.cpu) + " ts=" + std::to_string(h.timestampNs)
        + " seq=" + std::to_string(h.seq) + " ack=" + std::to_string(h.ack);
}

inline std::string pair(std::uint32_t a, std::uint32_t b) { return std::to_string(a) + "/" + std::to_string(b); }

inline std::string dumpPayload(const protocol::EventPayload& payload)
{
    using namespace protocol;
    return std::visit(
        [](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ForkEvent>)
                return "parent=" + pair(e.parentPid, e.parentTgid) + " child=" + pair(e.childPid, e.childTgid);
            else if constexpr (std::is_same_v<T, ExecEvent> || std::is_same_v<T, SidEvent>)
                return "pid=" + pair(e.pid, e.tgid);
            else if constexpr (std::is_same_v<T, UidEvent>)
                return "pid=" + pair(e.pid, e.tgid) + " ruid=" + std::to_string(e.ruid) + " euid=" + std::to_string(e.euid);
            else if constexpr (std::is_same_v<T, GidEvent>)
                return "pid=" + pair(e.pid, e.tgid) + " rgid=" + std::to_string(e.rgid) + " egid=" + std::to_string(e.egid);
            else if constexpr (std::is_same_v<T, PtraceEvent>)
                return "pid=" + pair(e.pid, e.tgid) + " tracer=" + pair(e.tracerPid, e.tracerTgid);
            else if constexpr (std::is_same_v<T, CommEvent>)
                return "pid=" + pair(e.pid, e.tgid) + " comm=\"" + escapeBytes(e.name()) + "\"";
            else if constexpr (std::is_same_v<T, CoredumpEvent>)
                return "pid=" + pair(e.pid, e.tgid) + (e.hasParent ? " parent=" + pair(e.parentPid, e.parentTgid) : " parent=none");
            else if constexpr (std::is_same_v<T, ExitEvent>)
                return "pid=" + pair(e.pid, e.tgid) + " code=" + std::to_string(e.exitCode) + " signal="
                    + std::to_string(e.exitSignal) + (e.hasParent ? " parent=" + pair(e.parentPid, e.parentTgid) : " parent=none");
            else
                return "what=" + std::to_string(e.what) + " bytes=" + std::to_string(e.data.size());
        },
        payload);
}

inline std::string dumpMessage(const protocol::Message& message)
{
    using namespace protocol;
    return std::visit(
        [](const auto& m) -> std::string {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, ProcEvent>)
                return std::string(payloadName(m.payload)) + " " + dumpHeader(m.header) + " " + dumpPayload(m.payload);
            else if constexpr (std::is_same_v<T, SubscribeAck>)
                return "ack " + dumpHeader(m.header) + " err=" + std::to_string(m.err);
            else if constexpr (std::is_same_v<T, NetlinkNoop>)
                return "noop";
            else if constexpr (std::is_same_v<T, NetlinkDone>)
                return "done";
            else if constexpr (std::is_same_v<T, NetlinkOverrun>)
                return "overrun";
            else if constexpr (std::is_same_v<T, NetlinkError>)
                return "error errno=" + std::to_string(m.errnum);
            else
                return std::string("malformed ") + errorKindName(m.error.kind()) + " at=" + std::to_string(m.offset)
                    + " needed=" + std::to_string(m.error.needed()) + " available=" + std::to_string(m.error.available());
        },
        message);
}

} // namespace procscope::testing
