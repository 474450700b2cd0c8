// SPDX-License-Identifier: GPL-3.0-or-later
// ProcReader::readCost: a running process's figures so far, from /proc/PID/{stat,status,io}.

#include "helper/proc_reader.h"

#include "protocol/clock.h"

#include <charconv>
#include <ctime>
#include <string_view>

namespace procscope::helper {

namespace {

std::uint64_t numberAfter(std::string_view text, std::string_view key)
{
    const std::size_t at = text.find(key);
    if (at == std::string_view::npos)
        return 0;
    std::string_view rest = text.substr(at + key.size());
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(" \t")));
    std::uint64_t value = 0;
    std::from_chars(rest.data(), rest.data() + rest.size(), value);
    return value;
}

// The fields of /proc/PID/stat after the comm's closing ')', numbered as in proc(5) from 3 on.
std::uint64_t statField(std::string_view afterComm, int number)
{
    std::string_view rest = afterComm;
    for (int field = 3; field <= number; ++field) {
        rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
        const std::size_t end = std::min(rest.size(), rest.find(' '));
        if (field == number) {
            std::uint64_t value = 0;
            std::from_chars(rest.data(), rest.data() + end, value);
            return value;
        }
        rest.remove_prefix(end);
    }
    return 0;
}

} // namespace

std::optional<protocol::TaskFigures> ProcReader::readCost(std::uint32_t pid) const
{
    protocol::TaskFigures f;
    f.pid = pid;
    f.tgid = pid;
    std::string& text = m_text;
    if (!readFile(pid, "stat", text, 16384))
        return std::nullopt;
    const std::size_t open = text.find('(');
    const std::size_t close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close <= open)
        return std::nullopt;
    f.comm = text.substr(open + 1, std::min<std::size_t>(close - open - 1, 15));
    const std::string_view fields = std::string_view(text).substr(close + 1);
    // A zombie's figures came (or will come) with its exit: it is not running.
    const std::size_t state = fields.find_first_not_of(' ');
    if (state == std::string_view::npos || fields[state] == 'Z' || fields[state] == 'X')
        return std::nullopt;
    f.ppid = static_cast<std::uint32_t>(statField(fields, 4));
    f.minorFaults = statField(fields, 10);
    f.majorFaults = statField(fields, 12);
    f.userNs = statField(fields, 14) * m_ticksToNs;
    f.systemNs = statField(fields, 15) * m_ticksToNs;
    const std::uint64_t startBootNs = statField(fields, 22) * m_ticksToNs;
    f.blkioDelayNs = statField(fields, 42) * m_ticksToNs;
    const auto nowBootNs = static_cast<std::uint64_t>(protocol::clockNs(CLOCK_BOOTTIME));
    f.elapsedNs = nowBootNs > startBootNs ? nowBootNs - startBootNs : 0;
    if (readFile(pid, "status", text, 16384)) {
        f.maxRssBytes = numberAfter(text, "\nVmHWM:") * 1024;
        f.maxVmBytes = numberAfter(text, "\nVmPeak:") * 1024;
        f.voluntarySwitches = numberAfter(text, "\nvoluntary_ctxt_switches:");
        f.involuntarySwitches = numberAfter(text, "\nnonvoluntary_ctxt_switches:");
    }
    if (readFile(pid, "io", text, 4096)) {
        f.readChars = numberAfter(text, "rchar:");
        f.writeChars = numberAfter(text, "wchar:");
        f.readBytes = numberAfter(text, "\nread_bytes:");
        f.writeBytes = numberAfter(text, "\nwrite_bytes:");
    }
    return f;
}

} // namespace procscope::helper
