// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/event_names.h"

#include <array>
#include <utility>

namespace procscope::protocol {

namespace {

constexpr std::array<std::pair<EventType, std::string_view>, 11> kNames { {
    { EventType::None, "none" },
    { EventType::Fork, "fork" },
    { EventType::Exec, "exec" },
    { EventType::Uid, "uid" },
    { EventType::Gid, "gid" },
    { EventType::Sid, "sid" },
    { EventType::Ptrace, "ptrace" },
    { EventType::Comm, "comm" },
    { EventType::NonzeroExit, "nonzero-exit" },
    { EventType::Coredump, "coredump" },
    { EventType::Exit, "exit" },
} };

} // namespace

std::optional<std::string_view> eventTypeName(std::uint32_t what)
{
    for (const auto& [type, name] : kNames) {
        if (maskOf(type) == what)
            return name;
    }
    return std::nullopt;
}

std::optional<EventType> eventTypeFromName(std::string_view name)
{
    for (const auto& [type, known] : kNames) {
        if (known == name)
            return type;
    }
    return std::nullopt;
}

std::optional<EventMask> parseEventList(std::string_view list, std::string_view* badItem)
{
    EventMask mask = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = list.find(',', start);
        const std::string_view item = list.substr(start, comma == std::string_view::npos ? comma : comma - start);
        const auto type = eventTypeFromName(item);
        if (!type || *type == EventType::None) {
            if (badItem)
                *badItem = item;
            return std::nullopt;
        }
        mask |= maskOf(*type);
        if (comma == std::string_view::npos)
            return mask;
        start = comma + 1;
    }
}

std::string_view payloadName(const EventPayload& payload)
{
    static constexpr std::array<std::string_view, std::variant_size_v<EventPayload>> kPayloadNames {
        "fork", "exec", "uid", "gid", "sid", "ptrace", "comm", "coredump", "exit", "unknown"
    };
    return kPayloadNames[payload.index()];
}

} // namespace procscope::protocol
