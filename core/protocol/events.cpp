// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/events.h"

#include <algorithm>

namespace procscope::protocol {

std::string_view CommEvent::name() const
{
    const auto end = std::find(comm.begin(), comm.end(), '\0');
    return { comm.data(), static_cast<std::size_t>(end - comm.begin()) };
}

std::uint32_t ProcEvent::what() const
{
    static constexpr std::array<EventType, std::variant_size_v<EventPayload> - 1> kWhat {
        EventType::Fork, EventType::Exec, EventType::Uid, EventType::Gid, EventType::Sid,
        EventType::Ptrace, EventType::Comm, EventType::Coredump, EventType::Exit
    };
    if (const auto* unknown = std::get_if<UnknownEvent>(&payload))
        return unknown->what;
    return maskOf(kWhat[payload.index()]);
}

} // namespace procscope::protocol
