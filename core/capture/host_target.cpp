// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/host_target.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace procscope::capture {

namespace {

bool isAlnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// POSIX user names as useradd accepts them (and a trailing $ of machine accounts left out).
bool isUserName(std::string_view user)
{
    if (user.empty() || user.size() > 32 || user.front() == '-')
        return false;
    return std::all_of(user.begin(), user.end(),
        [](char c) { return isAlnum(c) || c == '_' || c == '.' || c == '-'; });
}

// A DNS name (or an IPv4 address, which is one by these rules): labels of letters, digits and
// hyphens, not starting or ending with a hyphen.
bool isHostName(std::string_view host)
{
    if (host.empty() || host.size() > 253)
        return false;
    std::size_t start = 0;
    while (start <= host.size()) {
        const std::size_t dot = std::min(host.find('.', start), host.size());
        const std::string_view label = host.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        if (!std::all_of(label.begin(), label.end(), [](char c) { return isAlnum(c) || c == '-'; }))
            return false;
        start = dot + 1;
    }
    return true;
}

bool isIpv6(std::string_view address)
{
    return address.size() >= 2 && address.size() <= 45
        && address.find(':') != std::string_view::npos
        && std::all_of(address.begin(), address.end(), [](char c) {
               return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
           });
}

} // namespace

std::string HostTarget::url() const
{
    if (isLocal())
        return "local";
    std::string out = "ssh://";
    if (!user.empty())
        out += user + "@";
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != 0)
        out += ":" + std::to_string(port);
    return out;
}

std::optional<HostTarget> parseHostTarget(std::string_view text, std::string& error)
{
    if (text == "local")
        return HostTarget {};
    constexpr std::string_view kScheme = "ssh://";
    if (!text.starts_with(kScheme)) {
        error = "a host is \"local\" or ssh://[user@]host[:port]";
        return std::nullopt;
    }
    std::string_view rest = text.substr(kScheme.size());
    if (!rest.empty() && rest.back() == '/')
        rest.remove_suffix(1);
    HostTarget target;
    if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
        target.user = std::string(rest.substr(0, at));
        rest = rest.substr(at + 1);
        if (!isUserName(target.user)) {
            error = "\"" + target.user
                + "\" is not a user name (letters, digits, . _ and -, not starting with -)";
            return std::nullopt;
        }
    }
    std::string_view portText;
    bool hasPort = false;
    if (rest.starts_with('[')) {
        const std::size_t close = rest.find(']');
        if (close == std::string_view::npos) {
            error = "an IPv6 address needs its closing ]";
            return std::nullopt;
        }
        target.host = std::string(rest.substr(1, close - 1));
        const std::string_view after = rest.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) {
            error = "unexpected text after the address: \"" + std::string(after) + "\"";
            return std::nullopt;
        }
        hasPort = !after.empty();
        portText = after.empty() ? after : after.substr(1);
        if (!isIpv6(target.host)) {
            error = "\"" + target.host + "\" is not an IPv6 address";
            return std::nullopt;
        }
    } else {
        const std::size_t colon = rest.find(':');
        target.host = std::string(rest.substr(0, colon));
        hasPort = colon != std::string_view::npos;
        portText = hasPort ? rest.substr(colon + 1) : std::string_view();
        if (!isHostName(target.host)) {
            error = target.host.empty()
                ? "the host name is missing"
                : "\"" + target.host + "\" is not a host name (letters, digits, . and -)";
            return std::nullopt;
        }
    }
    if (hasPort) {
        unsigned port = 0;
        const auto [end, problem]
            = std::from_chars(portText.data(), portText.data() + portText.size(), port);
        if (portText.empty() || problem != std::errc() || end != portText.data() + portText.size()
            || port == 0 || port > 65535) {
            error = "\"" + std::string(portText) + "\" is not a port (1 to 65535)";
            return std::nullopt;
        }
        target.port = static_cast<std::uint16_t>(port);
    }
    return target;
}

bool isPlainAbsolutePath(std::string_view path)
{
    return path.size() > 1 && path.size() < 4096 && path.front() == '/'
        && path.find("/../") == std::string_view::npos
        && std::all_of(path.begin(), path.end(), [](char c) {
               return isAlnum(c) || c == '/' || c == '.' || c == '_' || c == '+' || c == '-';
           });
}

bool isPlainEventList(std::string_view events)
{
    return events.size() < 256 && std::all_of(events.begin(), events.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || c == ',' || c == '-';
    });
}

std::vector<std::string> sshArguments(
    const HostTarget& target, std::string_view helperPath, std::string_view events)
{
    // ControlMaster/ControlPath: never ride on a connection the user's ssh config shares (it
    // would carry that session's options, not these), nor offer this one to others.
    std::vector<std::string> args { "-T", "-x", "-a", "-e", "none", "-o", "BatchMode=yes", "-o",
        "ConnectTimeout=15", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3", "-o",
        "ClearAllForwardings=yes", "-o", "ControlMaster=no", "-o", "ControlPath=none" };
    if (!target.user.empty())
        args.insert(args.end(), { "-l", target.user });
    if (target.port != 0)
        args.insert(args.end(), { "-p", std::to_string(target.port) });
    args.push_back("--");
    args.push_back(target.host);
    // One line, built only from fixed text and the checked path and list (neither can hold a
    // quote, a space or a shell character, so neither needs quoting). The remote user's login
    // shell runs it; it may be fish or csh, so the script itself is handed to /bin/sh, in single
    // quotes that every shell reads the same way.
    const std::string helper(helperPath);
    const std::string helperArgs
        = events.empty() ? std::string() : " --events " + std::string(events);
    const std::string script = "if [ ! -x " + helper + " ]; then echo \"" + std::string(kRemoteHelperMissing) + helper
        + "\" >&2; exit 127; fi; if [ \"$(id -u)\" = 0 ]; then exec " + helper + helperArgs + "; fi; exec sudo -n -- "
        + helper + helperArgs;
    args.push_back("exec /bin/sh -c '" + script + "'");
    return args;
}

} // namespace procscope::capture
