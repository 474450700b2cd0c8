// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace procscope::capture {

// A machine to capture: this one, or one reached with OpenSSH (`ssh://[user@]host[:port]`).
// Names are checked here, before they come near an ssh command line: a user or host that
// could be read as an option, or that holds anything but the characters names are made of,
// is refused.
struct HostTarget
{
    std::string user; // empty: whatever ssh chooses (its configuration, or the local user)
    std::string host; // empty: this machine
    std::uint16_t port = 0; // 0: whatever ssh chooses
    bool isLocal() const { return host.empty(); }
    std::string url() const; // "local", or the canonical ssh:// form
    friend bool operator==(const HostTarget&, const HostTarget&) = default;
};

// "local", or ssh://[user@]host[:port] (an IPv6 address in brackets). nullopt with `error`
// saying what is wrong.
std::optional<HostTarget> parseHostTarget(std::string_view text, std::string& error);

// Where the capture helper is looked for on a remote machine (where the Debian package puts it).
inline constexpr std::string_view kRemoteHelperPath = "/usr/libexec/procscope/procscope-helper";

// True for a path that is safe to pass through the remote shell as it is: absolute, and made
// only of letters, digits and / . _ + -.
bool isPlainAbsolutePath(std::string_view path);
// True for an --events list: lower-case names (nonzero-exit has a hyphen) and commas.
bool isPlainEventList(std::string_view events);

// The first line a remote command prints when the helper is not at its path (ssh reports the
// remote exit status, not why; this line says which step failed).
inline constexpr std::string_view kRemoteHelperMissing = "procscope-remote: no capture helper at ";

// The arguments (after the program, `ssh`) that start the helper on `target` with `events`
// (may be empty): no terminal, batch mode (keys and agent only: nothing asks for a password),
// keepalives, then a fixed command that runs the helper directly when the remote user is root
// and through `sudo -n` otherwise. `helperPath` and `events` must pass the checks above.
std::vector<std::string> sshArguments(
    const HostTarget& target, std::string_view helperPath, std::string_view events);

} // namespace procscope::capture
