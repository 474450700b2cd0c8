// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/connector_socket.h"

#include "protocol/kernel_version.h"
#include "protocol/messages.h"

#include <array>
#include <cerrno>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace procscope::protocol {

namespace {

// What a failed recv means on the connector: ENOBUFS is the kernel's overrun report.
Error receiveError(int errnum)
{
    switch (errnum) {
    case ENOBUFS:
        return Error::overrun();
    case EINTR:
        return Error::interrupted("receiving proc events");
    default:
        return Error::os(errnum, "receiving from the proc connector");
    }
}

} // namespace

Result<ConnectorSocket> ConnectorSocket::open()
{
    const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, kNetlinkConnector);
    if (fd < 0)
        return Error::os(errno, "opening the proc connector socket");
    ConnectorSocket socket(fd);
    sockaddr_nl address {};
    address.nl_family = AF_NETLINK;
    address.nl_groups = kCnIdxProc;
    address.nl_pid = 0; // let the kernel pick a unique port id
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return Error::os(errno, "binding to the proc connector group");
    // Distinct ack numbers per socket and process, so our acks can be told from other listeners'.
    socket.m_nextAck = (static_cast<std::uint32_t>(::getpid()) << 12) ^ static_cast<std::uint32_t>(fd);
    return socket;
}

ConnectorSocket::ConnectorSocket(ConnectorSocket&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_subscribed(std::exchange(other.m_subscribed, false))
    , m_nextAck(other.m_nextAck)
{
}

ConnectorSocket& ConnectorSocket::operator=(ConnectorSocket&& other) noexcept
{
    if (this != &other) {
        close();
        m_fd = std::exchange(other.m_fd, -1);
        m_subscribed = std::exchange(other.m_subscribed, false);
        m_nextAck = other.m_nextAck;
    }
    return *this;
}

ConnectorSocket::~ConnectorSocket() { close(); }

void ConnectorSocket::close()
{
    if (m_fd < 0)
        return;
    if (m_subscribed)
        (void)unsubscribe(); // best effort: the fd closes either way
    ::close(m_fd);
    m_fd = -1;
}

Status ConnectorSocket::send(std::span<const std::byte> request)
{
    sockaddr_nl kernel {};
    kernel.nl_family = AF_NETLINK;
    kernel.nl_pid = 0;
    kernel.nl_groups = 0;
    while (true) {
        const ssize_t sent = ::sendto(m_fd, request.data(), request.size(), 0,
            reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel);
        if (sent >= 0)
            return Ok {};
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN) { // the kernel consumes requests synchronously; wait briefly
            pollfd pfd { m_fd, POLLOUT, 0 };
            (void)::poll(&pfd, 1, 100);
            continue;
        }
        return Error::os(errno, "sending a proc connector request");
    }
}

Result<Subscription> ConnectorSocket::subscribe(EventMask mask)
{
    if (m_fd < 0)
        return Error::os(EBADF, "subscribing to the proc connector");
    Subscription subscription;
    subscription.mask = mask;
    subscription.requestAck = m_nextAck++;
    const bool wantsFilter = (mask & kAllEvents) != kAllEvents && (mask & kAllEvents) != 0;
    const bool useKernelMask = wantsFilter && supportsEventFilter(parseKernelRelease(runningKernelRelease()));
    Status sent = useKernelMask
        ? send(buildSubscribeMask(McastOp::Listen, mask, subscription.requestAck, subscription.requestAck))
        : send(buildSubscribeOp(McastOp::Listen, subscription.requestAck, subscription.requestAck));
    if (!sent)
        return sent.error();
    subscription.kernelFiltered = useKernelMask;
    subscription.ackExpected = !useKernelMask;
    m_subscribed = true;
    return subscription;
}

Status ConnectorSocket::unsubscribe()
{
    if (m_fd < 0 || !m_subscribed)
        return Ok {};
    const std::uint32_t ack = m_nextAck++;
    Status sent = send(buildSubscribeOp(McastOp::Ignore, ack, ack));
    if (sent)
        m_subscribed = false;
    return sent;
}

Result<std::optional<Datagram>> ConnectorSocket::receive(std::span<std::byte> buffer, std::chrono::milliseconds timeout)
{
    if (m_fd < 0)
        return Error::os(EBADF, "receiving from the proc connector");
    if (timeout.count() != 0) {
        pollfd pfd { m_fd, POLLIN, 0 };
        const int waitMs = timeout.count() < 0 ? -1 : static_cast<int>(std::min<long long>(timeout.count(), INT32_MAX));
        const int ready = ::poll(&pfd, 1, waitMs);
        if (ready < 0)
            return errno == EINTR ? Error::interrupted("waiting for proc events") : Error::os(errno, "polling the proc connector");
        if (ready == 0)
            return std::optional<Datagram> {};
    }
    sockaddr_nl from {};
    iovec iov { buffer.data(), buffer.size() };
    msghdr header {};
    header.msg_name = &from;
    header.msg_namelen = sizeof from;
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
    // MSG_TRUNC makes netlink report the datagram's real length even when it did not fit.
    const ssize_t received = ::recvmsg(m_fd, &header, MSG_DONTWAIT | MSG_TRUNC);
    if (received < 0) {
        if (errno == EAGAIN)
            return std::optional<Datagram> {};
        return receiveError(errno);
    }
    const auto length = static_cast<std::size_t>(received);
    if (length > buffer.size() || (header.msg_flags & MSG_TRUNC))
        return Error::bufferTooSmall(length, buffer.size());
    return std::optional<Datagram> { Datagram { buffer.first(length), from.nl_pid } };
}

Result<ConnectorSocket::Batch> ConnectorSocket::receiveMany(std::span<std::byte> buffer, std::span<Datagram> out)
{
    if (m_fd < 0)
        return Error::os(EBADF, "receiving from the proc connector");
    return receiveDatagrams(m_fd, buffer, out, "receiving from the proc connector");
}

Result<DatagramBatch> receiveDatagrams(int fd, std::span<std::byte> buffer, std::span<Datagram> out, const char* what)
{
    constexpr std::size_t kMaxBatch = 256;
    const std::size_t count = std::min(out.size(), kMaxBatch);
    if (count == 0)
        return DatagramBatch {};
    const std::size_t slot = buffer.size() / count;
    // Only the first `count` entries are set up: zeroing all 256 (23 KiB) cost more per call
    // than receiving one datagram, and the exec trigger is read once per exec.
    std::array<mmsghdr, kMaxBatch> headers;
    std::array<iovec, kMaxBatch> vectors;
    std::array<sockaddr_nl, kMaxBatch> senders;
    for (std::size_t i = 0; i < count; ++i) {
        vectors[i] = { buffer.data() + i * slot, slot };
        headers[i] = mmsghdr {};
        senders[i] = sockaddr_nl {};
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &senders[i];
        headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_nl);
    }
    const int received = ::recvmmsg(fd, headers.data(), static_cast<unsigned>(count), MSG_DONTWAIT, nullptr);
    if (received < 0) {
        if (errno == EAGAIN)
            return DatagramBatch {};
        if (errno == ENOBUFS)
            return Error::overrun();
        if (errno == EINTR)
            return Error::interrupted(what);
        return Error::os(errno, what);
    }
    DatagramBatch batch;
    for (std::size_t i = 0; i < static_cast<std::size_t>(received); ++i) {
        if (headers[i].msg_hdr.msg_flags & MSG_TRUNC) {
            ++batch.truncated;
            continue;
        }
        out[batch.received++] = Datagram { buffer.subspan(i * slot, headers[i].msg_len), senders[i].nl_pid };
    }
    return batch;
}

Result<int> ConnectorSocket::setReceiveBuffer(int bytes)
{
    if (::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0
        && ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0)
        return Error::os(errno, "setting the receive buffer size");
    return receiveBufferSize();
}

Result<int> ConnectorSocket::receiveBufferSize() const
{
    int size = 0;
    socklen_t length = sizeof size;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &size, &length) != 0)
        return Error::os(errno, "reading the receive buffer size");
    return size;
}

} // namespace procscope::protocol
