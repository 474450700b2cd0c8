// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/proc_reader.h"

#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <string_view>
#include <time.h>
#include <unistd.h>
#include <vector>

#include "protocol/clock.h"

namespace procscope::helper {

using capture::ProcessRecord;
namespace readable = capture::readable;

namespace {

template <typename T>
bool parseNumber(std::string_view text, T& value)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc {} && end != text.data();
}

// The value after "Key:\t" in /proc/PID/status, up to the end of its line.
std::string_view statusField(std::string_view status, std::string_view key)
{
    std::size_t at = 0;
    while (at < status.size()) {
        const std::size_t end = std::min(status.find('\n', at), status.size());
        const std::string_view line = status.substr(at, end - at);
        if (line.starts_with(key) && line.size() > key.size() && line[key.size()] == ':') {
            std::string_view value = line.substr(key.size() + 1);
            while (!value.empty() && (value.front() == '\t' || value.front() == ' '))
                value.remove_prefix(1);
            return value;
        }
        at = end + 1;
    }
    return {};
}

// "real effective saved fs" ids of a Uid:/Gid: line.
bool parseIdPair(std::string_view line, std::uint32_t& real, std::uint32_t& effective)
{
    const std::size_t gap = line.find_first_of("\t ");
    return gap != std::string_view::npos && parseNumber(line.substr(0, gap), real)
        && parseNumber(line.substr(line.find_first_not_of("\t ", gap)), effective);
}

// status's "Name:" escapes the comm: "\\" for a backslash, "\\n" for a newline.
std::string unescapeStatusName(std::string_view name)
{
    std::string out;
    out.reserve(name.size());
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) {
            out += name[i + 1] == 'n' ? '\n' : name[i + 1];
            ++i;
        } else {
            out += name[i];
        }
    }
    return out;
}

} // namespace

ProcReader::ProcReader(std::string procRoot)
    : m_root(std::move(procRoot))
    , m_rootFd(::open(m_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
    , m_ticksToNs(1'000'000'000 / static_cast<std::uint64_t>(std::max(1L, ::sysconf(_SC_CLK_TCK))))
    , m_bootMinusMonotonicNs(protocol::clockNs(CLOCK_BOOTTIME) - protocol::clockNs(CLOCK_MONOTONIC))
{
    m_path.reserve(m_root.size() + 32);
    m_text.reserve(4096);
}

ProcReader::~ProcReader()
{
    if (m_rootFd >= 0)
        ::close(m_rootFd);
}

std::uint64_t ProcReader::monotonicNowNs() { return static_cast<std::uint64_t>(protocol::clockNs(CLOCK_MONOTONIC)); }

const char* ProcReader::path(std::uint32_t pid, const char* item) const
{
    m_path.clear();
    if (m_rootFd < 0) {
        m_path += m_root;
        m_path += '/';
    }
    char digits[16];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, pid);
    m_path.append(digits, end);
    m_path += '/';
    m_path += item;
    return m_path.c_str();
}

// Reads up to `limit` bytes. These /proc files fill a read as far as they can, so a short
// read is the end: one read() per file instead of a second one to see EOF (system calls are
// most of the helper's cost per event). The read goes to a buffer kept between calls, so an
// exec's enrichment does not clear tens of kilobytes before reading a few hundred bytes.
bool ProcReader::readFile(std::uint32_t pid, const char* item, std::string& out, std::size_t limit, int* error) const
{
    const int fd = ::openat(m_rootFd < 0 ? AT_FDCWD : m_rootFd, path(pid, item), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = errno;
        return false;
    }
    if (m_buffer.size() < limit)
        m_buffer.resize(limit);
    std::size_t size = 0;
    bool ok = true;
    while (size < limit) {
        const ssize_t n = ::read(fd, m_buffer.data() + size, limit - size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ok = false;
            if (error)
                *error = errno;
        }
        if (n <= 0)
            break;
        size += static_cast<std::size_t>(n);
        if (static_cast<std::size_t>(n) < 4096 && size < limit)
            break; // short read: at the end
    }
    out.assign(m_buffer.data(), size);
    ::close(fd);
    return ok;
}

bool ProcReader::readLink(std::uint32_t pid, const char* item, std::string& out) const
{
    char target[4096];
    const ssize_t n = ::readlinkat(m_rootFd < 0 ? AT_FDCWD : m_rootFd, path(pid, item), target, sizeof target);
    if (n < 0)
        return false;
    out.assign(target, static_cast<std::size_t>(n));
    return true;
}

ArgvMissing ProcReader::readCommandLine(ProcessRecord& p, bool exec) const
{
    std::string& text = m_text;
    int error = 0;
    if (!readFile(p.pid, "cmdline", text, kMaxArgvBytes + 1, &error))
        return error == ENOENT || error == ESRCH ? ArgvMissing::Gone : ArgvMissing::Other;
    // A process that exec'd has at least one argument (the kernel adds an empty one to an
    // empty argv): nothing at all means its memory is gone, it is exiting. For the snapshot,
    // kernel threads have no command line either, and that is what they are.
    if (exec && text.empty())
        return ArgvMissing::Exiting;
    if (text.size() > kMaxArgvBytes) {
        text.resize(kMaxArgvBytes);
        p.readable |= readable::kArgvTruncated;
    }
    std::size_t at = 0;
    while (at < text.size()) {
        if (p.argv.size() == kMaxArgs) {
            p.readable |= readable::kArgvTruncated;
            break;
        }
        const std::size_t end = std::min(text.find('\0', at), text.size());
        p.argv.emplace_back(text, at, end - at);
        at = end + 1;
    }
    p.readable |= readable::kArgv;
    return ArgvMissing::No;
}

void ProcReader::readStatus(ProcessRecord& p) const
{
    std::string& text = m_text;
    if (!readFile(p.pid, "status", text, 16384))
        return;
    if (parseNumber(statusField(text, "Tgid"), p.tgid) && parseNumber(statusField(text, "PPid"), p.ppid))
        p.readable |= readable::kPpid;
    if (parseIdPair(statusField(text, "Uid"), p.ruid, p.euid) && parseIdPair(statusField(text, "Gid"), p.rgid, p.egid))
        p.readable |= readable::kIds;
    if (p.source == capture::ProcessSource::Exec) {
        p.comm = unescapeStatusName(statusField(text, "Name"));
        p.readable |= readable::kComm;
    }
}

// Only the snapshot reads stat: an exec's process start is known exactly from its fork event.
void ProcReader::readStat(ProcessRecord& p) const
{
    std::string& text = m_text;
    if (!readFile(p.pid, "stat", text, 16384))
        return;
    // "pid (comm) state ppid ..." where comm may hold spaces and ')': the comm is between
    // the first '(' and the last ')', the fields follow the last ')'.
    const std::size_t open = text.find('(');
    const std::size_t close = text.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close <= open)
        return;
    p.comm = text.substr(open + 1, close - open - 1);
    p.readable |= readable::kComm;
    std::string_view rest = std::string_view(text).substr(close + 1);
    // starttime is field 22 overall, the 20th after the ')'.
    for (int field = 0; field < 19 && !rest.empty(); ++field) {
        rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
        rest.remove_prefix(std::min(rest.size(), rest.find(' ')));
    }
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    std::uint64_t ticks = 0;
    if (parseNumber(rest, ticks)) {
        const auto bootNs = static_cast<std::int64_t>(ticks * m_ticksToNs);
        p.startNs = static_cast<std::uint64_t>(std::max<std::int64_t>(0, bootNs - m_bootMinusMonotonicNs));
        p.readable |= readable::kStartTime;
    }
}

ProcessRecord ProcReader::readArgv(std::uint32_t pid, std::uint64_t eventTimestampNs, ArgvMissing& missing) const
{
    ProcessRecord p;
    p.source = capture::ProcessSource::Exec;
    p.pid = pid;
    p.eventTimestampNs = eventTimestampNs;
    missing = readCommandLine(p, true);
    return p;
}

void ProcReader::readRest(ProcessRecord& p, ArgvMissing missing) const
{
    // A process without memory has no exe, and its cwd is gone with it: two system calls saved
    // where they cannot succeed. Its status is still there (ids, comm) while it is a zombie.
    if (missing == ArgvMissing::No || missing == ArgvMissing::Other) {
        if (readLink(p.pid, "exe", p.exe))
            p.readable |= readable::kExe;
        if (readLink(p.pid, "cwd", p.cwd))
            p.readable |= readable::kCwd;
    }
    readStatus(p);
    p.observedNs = monotonicNowNs();
    if (!(p.readable & readable::kPpid))
        p.tgid = p.pid;
}

ProcessRecord ProcReader::read(std::uint32_t pid, capture::ProcessSource source, std::uint64_t eventTimestampNs) const
{
    if (source == capture::ProcessSource::Exec) {
        ArgvMissing missing = ArgvMissing::No;
        ProcessRecord p = readArgv(pid, eventTimestampNs, missing);
        readRest(p, missing);
        return p;
    }
    ProcessRecord p;
    p.source = source;
    p.pid = pid;
    p.eventTimestampNs = eventTimestampNs;
    readStatus(p);
    readStat(p);
    readCommandLine(p, false);
    if (readLink(pid, "exe", p.exe))
        p.readable |= readable::kExe;
    if (readLink(pid, "cwd", p.cwd))
        p.readable |= readable::kCwd;
    p.observedNs = monotonicNowNs();
    if (!(p.readable & readable::kPpid))
        p.tgid = pid;
    return p;
}

std::vector<std::uint32_t> ProcReader::listProcesses() const
{
    std::vector<std::uint32_t> pids;
    DIR* dir = ::opendir(m_root.c_str());
    if (!dir)
        return pids;
    while (const dirent* entry = ::readdir(dir)) {
        std::uint32_t pid = 0;
        const std::string_view name = entry->d_name;
        const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
        if (ec == std::errc {} && end == name.data() + name.size() && pid > 0)
            pids.push_back(pid);
    }
    ::closedir(dir);
    return pids;
}

} // namespace procscope::helper
