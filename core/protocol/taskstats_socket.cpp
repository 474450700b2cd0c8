// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/taskstats_socket.h"

#include "protocol/clock.h"
#include "protocol/taskstats.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace procscope::protocol {

namespace {
constexpr int kReplyTimeoutMs = 1000;
constexpr std::size_t kReplyBuffer = 8192;
} // namespace

std::string readFirstLine(const char* path)
{
    std::FILE* file = std::fopen(path, "re");
    if (!file)
        return {};
    char line[256] = {};
    const bool ok = std::fgets(line, sizeof line, file) != nullptr;
    std::fclose(file);
    std::string text = ok ? line : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

std::string possibleCpus()
{
    const std::string cpus = readFirstLine("/sys/devices/system/cpu/possible");
    return cpus.empty() ? "0" : cpus;
}

Result<TaskstatsSocket> TaskstatsSocket::open(int receiveBufferBytes)
{
    const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd < 0)
        return Error::os(errno, "opening a generic netlink socket for taskstats");
    TaskstatsSocket socket(fd);
    sockaddr_nl address {};
    address.nl_family = AF_NETLINK; // nl_pid 0: the kernel picks our port id, which it sends to
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return Error::os(errno, "binding the taskstats socket");

    std::array<std::byte, kReplyBuffer> buffer {};
    if (auto sent = socket.send(familyRequest(1)); !sent)
        return sent.error();
    auto reply = socket.awaitReply(buffer);
    if (!reply)
        return reply.error();
    if (!reply.value())
        return Error::os(ETIMEDOUT, "looking up the taskstats family");
    const auto family = parseFamilyId(reply.value()->bytes);
    if (!family)
        return family.error();
    socket.m_family = family.value();

    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receiveBufferBytes, sizeof receiveBufferBytes) != 0)
        (void)::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receiveBufferBytes, sizeof receiveBufferBytes);

    if (auto sent = socket.send(registerRequest(socket.m_family, 2, possibleCpus())); !sent)
        return sent.error();
    // Figures of tasks exiting meanwhile may come before the acknowledgement: they are passed
    // over (the capture has not started yet).
    while (true) {
        auto answer = socket.awaitReply(buffer);
        if (!answer)
            return answer.error();
        if (!answer.value())
            return Error::os(ETIMEDOUT, "registering for taskstats");
        const auto parsed = parseTaskstats(answer.value()->bytes, socket.m_family, answer.value()->senderPid);
        if (parsed && parsed.value().kind == TaskstatsMessage::Kind::Ack) {
            if (parsed.value().error != 0)
                return Error::os(parsed.value().error, "registering for taskstats");
            socket.m_registeredAtNs = static_cast<std::uint64_t>(clockNs(CLOCK_MONOTONIC));
            break;
        }
    }
    return socket;
}

TaskstatsSocket::TaskstatsSocket(TaskstatsSocket&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_family(other.m_family)
    , m_registeredAtNs(other.m_registeredAtNs)
{
}

TaskstatsSocket& TaskstatsSocket::operator=(TaskstatsSocket&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_family = other.m_family;
        m_registeredAtNs = other.m_registeredAtNs;
    }
    return *this;
}

// Closing is enough: the kernel drops a listener whose socket is gone at its next send.
// (Deregistering would need CAP_NET_ADMIN, which the helper no longer has by then.)
TaskstatsSocket::~TaskstatsSocket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status TaskstatsSocket::send(std::span<const std::byte> request)
{
    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    while (true) {
        if (::sendto(m_fd, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) >= 0)
            return Ok {};
        if (errno != EINTR)
            return Error::os(errno, "sending a taskstats request");
    }
}

Result<std::optional<Datagram>> TaskstatsSocket::awaitReply(std::span<std::byte> buffer)
{
    pollfd pfd { m_fd, POLLIN, 0 };
    const int ready = ::poll(&pfd, 1, kReplyTimeoutMs);
    if (ready < 0)
        return Error::os(errno, "waiting for the kernel's taskstats reply");
    if (ready == 0)
        return std::optional<Datagram> {};
    return receive(buffer);
}

Result<std::optional<Datagram>> TaskstatsSocket::receive(std::span<std::byte> buffer)
{
    std::array<Datagram, 1> one;
    auto received = receiveDatagrams(m_fd, buffer, one, "receiving taskstats");
    if (!received)
        return received.error();
    if (received.value().truncated != 0)
        return Error::bufferTooSmall(buffer.size() + 1, buffer.size());
    return received.value().received ? std::optional<Datagram>(one[0]) : std::nullopt;
}

} // namespace procscope::protocol
