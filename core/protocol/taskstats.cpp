// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/taskstats.h"

#include "protocol/byte_reader.h"

#include <algorithm>
#include <optional>

namespace procscope::protocol {

using namespace taskstats;

namespace {

constexpr std::size_t kNlmsgHeader = 16;
constexpr std::size_t kGenlHeader = 4;
constexpr std::size_t kAttrHeader = 4;
constexpr std::uint16_t kNlmsgNoop = 1;
constexpr std::uint16_t kNlmsgError = 2;
constexpr std::uint16_t kNlmsgDone = 3;
constexpr std::uint16_t kNlmsgOverrun = 4;
constexpr std::uint16_t kFlagRequest = 0x1;
constexpr std::uint16_t kFlagAck = 0x4;
constexpr std::uint16_t kAttrTypeMask = 0x3FFF; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER

constexpr std::size_t align4(std::size_t n) { return (n + 3) & ~std::size_t { 3 }; }

struct Attribute {
    std::uint16_t type = 0;
    std::span<const std::byte> payload;
};

// Walks netlink attributes; stops with an error at the first one that does not fit.
class Attributes {
public:
    explicit Attributes(std::span<const std::byte> bytes)
        : m_bytes(bytes)
    {
    }
    // False at the end or on damage (then failed()).
    bool next(Attribute& out)
    {
        if (m_at + kAttrHeader > m_bytes.size()) {
            m_failed = m_at != m_bytes.size(); // bytes left over that cannot be an attribute
            return false;
        }
        const auto length = readAt<std::uint16_t>(m_bytes, m_at);
        if (length < kAttrHeader || m_at + length > m_bytes.size()) {
            m_failed = true;
            return false;
        }
        out.type = readAt<std::uint16_t>(m_bytes, m_at + 2) & kAttrTypeMask;
        out.payload = m_bytes.subspan(m_at + kAttrHeader, length - kAttrHeader);
        m_at = std::min(m_bytes.size(), m_at + align4(length));
        return true;
    }
    bool failed() const { return m_failed; }

private:
    std::span<const std::byte> m_bytes;
    std::size_t m_at = 0;
    bool m_failed = false;
};

std::uint64_t u64At(std::span<const std::byte> stats, std::size_t offset)
{
    return offset + 8 <= stats.size() ? readAt<std::uint64_t>(stats, offset) : 0;
}

// Saturating: a hostile value must not wrap into a small one.
std::uint64_t times(std::uint64_t value, std::uint64_t factor)
{
    return value > UINT64_MAX / factor ? UINT64_MAX : value * factor;
}

// The exact run time split between user and system in the proportion of the tick-sampled
// times, as the kernel does for getrusage() and wait4() (cputime_adjust).
void splitRunTime(TaskFigures& f, std::uint64_t runNs)
{
    if (runNs == 0)
        return;
    // In long double: each sampled time is saturated on its own, so their sum may not fit.
    const long double user = static_cast<long double>(f.userNs), system = static_cast<long double>(f.systemNs);
    if (f.systemNs == 0 || user + system == 0) {
        f.userNs = runNs, f.systemNs = 0;
    } else if (f.userNs == 0) {
        f.systemNs = runNs;
    } else {
        const long double share = static_cast<long double>(runNs) * (system / (user + system));
        const auto systemNs = std::min(runNs, static_cast<std::uint64_t>(std::clamp(share, 0.0L, static_cast<long double>(runNs))));
        f.systemNs = systemNs;
        f.userNs = runNs - systemNs;
    }
}

Result<TaskFigures> decodeStats(std::span<const std::byte> stats, std::uint32_t pid)
{
    if (stats.size() < kMinimumStatsSize)
        return Error::truncated("taskstats struct", kMinimumStatsSize, stats.size());
    TaskFigures f;
    f.pid = pid;
    f.version = readAt<std::uint16_t>(stats, offset::kVersion);
    if (f.version == 0)
        return Error::invalidLength("taskstats version", 0, 1);
    f.exitCode = readAt<std::uint32_t>(stats, offset::kExitCode);
    f.groupEnded = (readAt<std::uint8_t>(stats, offset::kFlag) & kFlagGroupEnded) != 0;
    f.ppid = readAt<std::uint32_t>(stats, offset::kPpid);
    f.tgid = offset::kTgid + 4 <= stats.size() ? readAt<std::uint32_t>(stats, offset::kTgid) : 0;
    f.elapsedNs = times(u64At(stats, offset::kElapsed), 1000);
    f.userNs = times(u64At(stats, offset::kUserTime), 1000);
    f.systemNs = times(u64At(stats, offset::kSystemTime), 1000);
    splitRunTime(f, u64At(stats, offset::kCpuRunVirtualTotal));
    f.minorFaults = u64At(stats, offset::kMinorFaults);
    f.majorFaults = u64At(stats, offset::kMajorFaults);
    f.maxRssBytes = times(u64At(stats, offset::kHiwaterRss), 1024);
    f.maxVmBytes = times(u64At(stats, offset::kHiwaterVm), 1024);
    f.readChars = u64At(stats, offset::kReadChars);
    f.writeChars = u64At(stats, offset::kWriteChars);
    f.readBytes = u64At(stats, offset::kReadBytes);
    f.writeBytes = u64At(stats, offset::kWriteBytes);
    f.voluntarySwitches = u64At(stats, offset::kVoluntarySwitches);
    f.involuntarySwitches = u64At(stats, offset::kInvoluntarySwitches);
    f.cpuDelayNs = u64At(stats, offset::kCpuDelayTotal);
    f.blkioDelayNs = u64At(stats, offset::kBlkioDelayTotal);
    f.swapinDelayNs = u64At(stats, offset::kSwapinDelayTotal);
    f.reclaimDelayNs = u64At(stats, offset::kFreepagesDelayTotal);
    const auto* comm = reinterpret_cast<const char*>(stats.data() + offset::kComm);
    f.comm.assign(comm, std::find(comm, comm + offset::kCommSize, '\0'));
    return f;
}

// The nested AGGR_PID attribute: the task's id and its stats.
Result<TaskFigures> decodeAggregate(std::span<const std::byte> nested)
{
    Attributes inner(nested);
    Attribute attribute;
    std::optional<std::uint32_t> pid;
    std::span<const std::byte> stats;
    bool haveStats = false;
    while (inner.next(attribute)) {
        if (attribute.type == kTypePid && attribute.payload.size() >= 4)
            pid = readAt<std::uint32_t>(attribute.payload, 0);
        else if (attribute.type == kTypeStats)
            stats = attribute.payload, haveStats = true;
    }
    if (inner.failed())
        return Error::truncated("taskstats attribute", kAttrHeader, nested.size());
    if (!pid || !haveStats)
        return Error::truncated("taskstats pid and stats", 2, pid ? 1 : 0);
    return decodeStats(stats, *pid);
}

struct Header {
    std::uint32_t length = 0;
    std::uint16_t type = 0;
};

Result<Header> readHeader(std::span<const std::byte> datagram)
{
    if (datagram.size() < kNlmsgHeader)
        return Error::truncated("netlink header", kNlmsgHeader, datagram.size());
    Header h { readAt<std::uint32_t>(datagram, 0), readAt<std::uint16_t>(datagram, 4) };
    if (h.length < kNlmsgHeader)
        return Error::invalidLength("netlink message", h.length, kNlmsgHeader);
    if (h.length > datagram.size())
        return Error::truncated("netlink message", h.length, datagram.size());
    return h;
}

void appendBytes(std::vector<std::byte>& out, const void* data, std::size_t size)
{
    const auto* bytes = static_cast<const std::byte*>(data);
    out.insert(out.end(), bytes, bytes + size);
}

template <typename T>
void append(std::vector<std::byte>& out, T value)
{
    appendBytes(out, &value, sizeof value);
}

void appendStringAttribute(std::vector<std::byte>& out, std::uint16_t type, std::string_view text)
{
    const auto length = static_cast<std::uint16_t>(kAttrHeader + text.size() + 1);
    append(out, length);
    append(out, type);
    appendBytes(out, text.data(), text.size());
    out.push_back(std::byte { 0 });
    out.resize(align4(out.size()));
}

std::vector<std::byte> genericRequest(std::uint16_t type, std::uint16_t flags, std::uint32_t seq, std::uint8_t cmd,
    std::uint16_t attributeType, std::string_view attribute)
{
    std::vector<std::byte> out;
    append<std::uint32_t>(out, 0); // length, set below
    append(out, type);
    append(out, flags);
    append(out, seq);
    append<std::uint32_t>(out, 0); // the kernel fills in our port id
    append(out, cmd);
    append<std::uint8_t>(out, 1); // family version
    append<std::uint16_t>(out, 0);
    appendStringAttribute(out, attributeType, attribute);
    writeAt<std::uint32_t>(out, 0, static_cast<std::uint32_t>(out.size()));
    return out;
}

} // namespace

Result<TaskstatsMessage> parseTaskstats(std::span<const std::byte> datagram, std::uint16_t familyId, std::uint32_t senderPid)
{
    if (senderPid != 0)
        return Error::spoofedSender(senderPid);
    const auto header = readHeader(datagram);
    if (!header)
        return header.error();
    const auto message = datagram.first(header.value().length);
    TaskstatsMessage out;
    const std::uint16_t type = header.value().type;
    if (type == kNlmsgError) {
        if (message.size() < kNlmsgHeader + 4)
            return Error::truncated("netlink error", kNlmsgHeader + 4, message.size());
        out.kind = TaskstatsMessage::Kind::Ack;
        out.error = static_cast<int>(std::clamp<std::int64_t>(-std::int64_t { readAt<std::int32_t>(message, kNlmsgHeader) }, 0, 0x7FFFFFFF));
        return out;
    }
    if (type == kNlmsgOverrun)
        return Error::overrun();
    if (type == kNlmsgNoop || type == kNlmsgDone || type != familyId)
        return out;
    if (message.size() < kNlmsgHeader + kGenlHeader)
        return Error::truncated("generic netlink header", kNlmsgHeader + kGenlHeader, message.size());
    const auto cmd = readAt<std::uint8_t>(message, kNlmsgHeader);
    if (cmd != kCmdNew)
        return Error::unexpectedMessageType(cmd);
    Attributes attributes(message.subspan(kNlmsgHeader + kGenlHeader));
    Attribute attribute;
    while (attributes.next(attribute)) {
        if (attribute.type != kTypeAggrPid)
            continue; // AGGR_TGID holds only the delays summed by the kernel: we add threads up ourselves
        auto figures = decodeAggregate(attribute.payload);
        if (!figures)
            return figures.error();
        out.kind = TaskstatsMessage::Kind::Figures;
        out.figures = std::move(figures).value();
        return out;
    }
    if (attributes.failed())
        return Error::truncated("taskstats attribute", kAttrHeader, message.size());
    return Error::truncated("taskstats figures", 1, 0);
}

Result<std::uint16_t> parseFamilyId(std::span<const std::byte> datagram)
{
    const auto header = readHeader(datagram);
    if (!header)
        return header.error();
    const auto message = datagram.first(header.value().length);
    if (header.value().type == kNlmsgError && message.size() >= kNlmsgHeader + 4) {
        const auto error = static_cast<int>(std::clamp<std::int64_t>(-std::int64_t { readAt<std::int32_t>(message, kNlmsgHeader) }, 0, 0x7FFFFFFF));
        return Error::os(error, "looking up the taskstats family");
    }
    if (header.value().type != kGenlIdCtrl || message.size() < kNlmsgHeader + kGenlHeader)
        return Error::unexpectedMessageType(header.value().type);
    Attributes attributes(message.subspan(kNlmsgHeader + kGenlHeader));
    Attribute attribute;
    while (attributes.next(attribute)) {
        if (attribute.type == kCtrlAttrFamilyId && attribute.payload.size() >= 2)
            return readAt<std::uint16_t>(attribute.payload, 0);
    }
    return Error::truncated("taskstats family id", 2, 0);
}

std::vector<std::byte> familyRequest(std::uint32_t seq)
{
    return genericRequest(kGenlIdCtrl, kFlagRequest, seq, kCtrlCmdGetFamily, kCtrlAttrFamilyName, kFamilyName);
}

std::vector<std::byte> registerRequest(std::uint16_t familyId, std::uint32_t seq, std::string_view cpulist)
{
    return genericRequest(familyId, kFlagRequest | kFlagAck, seq, kCmdGet, kCmdAttrRegisterCpumask, cpulist);
}

} // namespace procscope::protocol
