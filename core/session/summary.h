// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/session.h"

#include <string>

namespace procscope::session {

// A human-readable summary of a capture: what, where and how long; events per kind;
// processes; failures; busiest programs and parents; losses.
std::string summarize(const Session& session);

} // namespace procscope::session
