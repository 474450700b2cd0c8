// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/privileges.h"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string_view>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace procscope::helper {

namespace {

// libcap is not a dependency: two raw syscalls with the v3 (64-bit) layout are all we need.
struct CapabilitySets {
    __user_cap_data_struct data[2] {};
};

bool capget(CapabilitySets& sets)
{
    __user_cap_header_struct header { _LINUX_CAPABILITY_VERSION_3, 0 };
    return ::syscall(SYS_capget, &header, sets.data) == 0;
}

bool capset(const CapabilitySets& sets)
{
    __user_cap_header_struct header { _LINUX_CAPABILITY_VERSION_3, 0 };
    return ::syscall(SYS_capset, &header, sets.data) == 0;
}

int lastCapability()
{
    std::ifstream file("/proc/sys/kernel/cap_last_cap");
    int last = CAP_LAST_CAP;
    file >> last;
    return last;
}

} // namespace

bool hasEffectiveCapability(int capability)
{
    CapabilitySets sets;
    if (!capget(sets))
        return false;
    return (sets.data[capability / 32].effective & (1u << (capability % 32))) != 0;
}

protocol::Result<std::optional<InvokingUser>> pkexecCaller(const char* pkexecUid)
{
    if (!pkexecUid || ::geteuid() != 0)
        return std::optional<InvokingUser> {};
    const std::string_view text = pkexecUid;
    uid_t uid = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), uid);
    if (text.empty() || ec != std::errc {} || end != text.data() + text.size())
        return protocol::Error::os(EINVAL, "reading PKEXEC_UID (not a user id)");
    passwd entry {};
    passwd* found = nullptr;
    std::vector<char> scratch(16384);
    if (::getpwuid_r(uid, &entry, scratch.data(), scratch.size(), &found) != 0 || !found)
        return protocol::Error::os(ENOENT, "looking up the PKEXEC_UID user");
    return std::optional<InvokingUser> { InvokingUser { uid, entry.pw_gid } };
}

protocol::Status dropPrivileges(const std::optional<InvokingUser>& becomeUser)
{
    const bool canPtrace = hasEffectiveCapability(CAP_SYS_PTRACE);
    // The bounding set needs CAP_SETPCAP to shrink: do it while we still have it.
    if (hasEffectiveCapability(CAP_SETPCAP)) {
        for (int cap = 0; cap <= lastCapability(); ++cap) {
            if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
                return protocol::Error::os(errno, "emptying the capability bounding set");
        }
    }
    (void)::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    if (becomeUser) {
        // Keep the permitted set across the uid change, so CAP_SYS_PTRACE survives it.
        if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
            return protocol::Error::os(errno, "keeping capabilities across the user change");
        if (::setgroups(0, nullptr) != 0)
            return protocol::Error::os(errno, "dropping supplementary groups");
        if (::setresgid(becomeUser->gid, becomeUser->gid, becomeUser->gid) != 0)
            return protocol::Error::os(errno, "switching to the invoking user's group");
        if (::setresuid(becomeUser->uid, becomeUser->uid, becomeUser->uid) != 0)
            return protocol::Error::os(errno, "switching to the invoking user");
        (void)::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    }
    CapabilitySets keep;
    if (canPtrace) {
        keep.data[CAP_SYS_PTRACE / 32].permitted = 1u << (CAP_SYS_PTRACE % 32);
        keep.data[CAP_SYS_PTRACE / 32].effective = 1u << (CAP_SYS_PTRACE % 32);
    }
    if (!capset(keep))
        return protocol::Error::os(errno, "dropping capabilities");
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return protocol::Error::os(errno, "setting no_new_privs");
    return protocol::Ok {};
}

std::string enrichmentLimitation()
{
    if (hasEffectiveCapability(CAP_SYS_PTRACE))
        return {};
    return "enrichment reduced: without CAP_SYS_PTRACE the executable and working directory of "
           "other users' processes cannot be read";
}

} // namespace procscope::helper
