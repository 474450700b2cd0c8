// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/event_filter.h"

namespace procscope::protocol {

bool maskAccepts(EventMask mask, std::uint32_t what, std::uint32_t exitCode)
{
    const EventMask effective = mask & kAllEvents; // the kernel stores the mask ANDed with ALL
    if (effective == 0 || effective == kAllEvents)
        return true;
    if ((effective & maskOf(EventType::NonzeroExit)) && what == maskOf(EventType::Exit) && exitCode != 0)
        return true;
    return (effective & what) != 0;
}

bool maskAccepts(EventMask mask, const ProcEvent& event)
{
    const auto* exit = std::get_if<ExitEvent>(&event.payload);
    return maskAccepts(mask, event.what(), exit ? exit->exitCode : 0);
}

} // namespace procscope::protocol
