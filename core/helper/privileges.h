// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/error.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace procscope::helper {

bool hasEffectiveCapability(int capability);

// The user who asked for the capture through pkexec, from PKEXEC_UID. Only trusted when the
// helper really runs as root (pkexec set it); nullopt otherwise.
struct InvokingUser {
    uid_t uid;
    gid_t gid;
};
protocol::Result<std::optional<InvokingUser>> pkexecCaller(const char* pkexecUid);

// After subscribing: become the invoking user (when there is one), keep only CAP_SYS_PTRACE
// (to read other users' /proc/PID/exe and cwd), empty the bounding set, clear ambient
// capabilities, and set no_new_privs. Safe to call unprivileged: it then only sets
// no_new_privs and drops whatever capabilities there were.
protocol::Status dropPrivileges(const std::optional<InvokingUser>& becomeUser);

// One line for the capture's status record and stderr when enrichment is reduced, or empty.
std::string enrichmentLimitation();

} // namespace procscope::helper
