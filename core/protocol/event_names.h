// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"
#include "protocol/events.h"

#include <optional>
#include <string_view>

namespace procscope::protocol {

// Lower-case names as used on command lines and in exports: fork, exec, exit, uid, gid, sid,
// ptrace, comm, coredump, nonzero-exit; "none" for the ack value; nullopt for unknown values.
std::optional<std::string_view> eventTypeName(std::uint32_t what);
std::optional<EventType> eventTypeFromName(std::string_view name);

// Parses a comma-separated list such as "fork,exec,nonzero-exit" into a mask.
// Returns nullopt and sets `badItem` to the first unknown or empty item.
std::optional<EventMask> parseEventList(std::string_view list, std::string_view* badItem = nullptr);

// Name of the payload alternative: "fork" ... "exit", or "unknown".
std::string_view payloadName(const EventPayload& payload);

} // namespace procscope::protocol
