// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/constants.h"
#include "protocol/error.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace procscope::protocol {

struct Subscription {
    EventMask mask = kAllEvents; // what was asked for
    bool kernelFiltered = false; // the kernel applies `mask`; otherwise the caller must filter
    bool ackExpected = false; // only unfiltered subscriptions get an ack
    std::uint32_t requestAck = 0; // match acks with isAckFor(ack, requestAck)
};

struct Datagram {
    std::span<const std::byte> bytes;
    std::uint32_t senderPid = 0; // nl_pid of the sender; 0 is the kernel
};

// What one recvmmsg call took from a netlink socket.
struct DatagramBatch {
    std::size_t received = 0;
    std::size_t truncated = 0;
};

// Receives up to out.size() datagrams from netlink socket `fd` in one system call, without
// waiting; `buffer` is split into equal slots, and a datagram longer than its slot is counted in
// `truncated`, not returned. ENOBUFS is an Overrun (queued datagrams stay readable).
Result<DatagramBatch> receiveDatagrams(int fd, std::span<std::byte> buffer, std::span<Datagram> out, const char* what);

// A netlink socket bound to the proc connector's multicast group. Move-only; closing it
// unsubscribes first, because the kernel counts listeners and only IGNORE decrements the count.
class ConnectorSocket {
public:
    static Result<ConnectorSocket> open();

    ConnectorSocket(ConnectorSocket&& other) noexcept;
    ConnectorSocket& operator=(ConnectorSocket&& other) noexcept;
    ConnectorSocket(const ConnectorSocket&) = delete;
    ConnectorSocket& operator=(const ConnectorSocket&) = delete;
    ~ConnectorSocket();

    // Subscribes to `mask`. Uses the kernel-side mask when the kernel has it (6.6+) and the
    // mask is not everything; otherwise the 4-byte LISTEN, leaving filtering to the caller.
    // Never waits for the ack: a filtered subscription never gets one.
    Result<Subscription> subscribe(EventMask mask = kAllEvents);
    // Sends IGNORE. Safe to call when not subscribed.
    Status unsubscribe();
    bool isSubscribed() const { return m_subscribed; }

    // Waits up to `timeout` (0 = poll, negative = forever) and receives one datagram into
    // `buffer`. nullopt on timeout. Errors: Overrun (ENOBUFS; queued events are still readable),
    // BufferTooSmall (the datagram did not fit and is lost), Interrupted, OsError.
    Result<std::optional<Datagram>> receive(std::span<std::byte> buffer, std::chrono::milliseconds timeout);

    // Receives up to out.size() datagrams in one system call (recvmmsg), without waiting.
    // `buffer` is split into out.size() slots of equal size; a datagram longer than its slot
    // is counted in `truncated` and not returned. Returns how many were received (0: none
    // queued). Errors as receive(): an Overrun is reported once, queued events stay readable.
    using Batch = DatagramBatch;
    Result<Batch> receiveMany(std::span<std::byte> buffer, std::span<Datagram> out);

    // Sets the receive buffer; tries SO_RCVBUFFORCE first (needs CAP_NET_ADMIN) so the
    // system-wide rmem_max does not cap it. Returns the size the kernel reports afterwards.
    Result<int> setReceiveBuffer(int bytes);
    Result<int> receiveBufferSize() const;

    // For an event loop (epoll, QSocketNotifier). The socket is non-blocking.
    int fd() const { return m_fd; }
    void close();

private:
    explicit ConnectorSocket(int fd)
        : m_fd(fd)
    {
    }
    Status send(std::span<const std::byte> request);

    int m_fd = -1;
    bool m_subscribed = false;
    std::uint32_t m_nextAck = 0;
};

} // namespace procscope::protocol
