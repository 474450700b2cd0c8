// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/connector_socket.h"
#include "protocol/error.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace procscope::protocol {

// A generic netlink socket registered with the kernel's taskstats family for every possible
// CPU: from then on the kernel sends it each exiting task's figures. Registering needs
// CAP_NET_ADMIN; the registration outlives a later privilege drop. Move-only.
class TaskstatsSocket {
public:
    // Resolves the family, sets the receive buffer (forced when privileged) and registers.
    static Result<TaskstatsSocket> open(int receiveBufferBytes);

    TaskstatsSocket(TaskstatsSocket&& other) noexcept;
    TaskstatsSocket& operator=(TaskstatsSocket&& other) noexcept;
    TaskstatsSocket(const TaskstatsSocket&) = delete;
    TaskstatsSocket& operator=(const TaskstatsSocket&) = delete;
    ~TaskstatsSocket();

    // One datagram without waiting; nullopt when none is queued. Errors: Overrun (ENOBUFS: the
    // kernel dropped figures; queued ones stay readable), BufferTooSmall, OsError.
    Result<std::optional<Datagram>> receive(std::span<std::byte> buffer);
    // Up to out.size() datagrams in one system call (see receiveDatagrams()).
    Result<DatagramBatch> receiveMany(std::span<std::byte> buffer, std::span<Datagram> out)
    {
        return receiveDatagrams(m_fd, buffer, out, "receiving taskstats");
    }

    int fd() const { return m_fd; }
    std::uint16_t familyId() const { return m_family; }
    // CLOCK_MONOTONIC when the kernel acknowledged the registration: tasks that exited before
    // it have no figures here.
    std::uint64_t registeredAtNs() const { return m_registeredAtNs; }

private:
    explicit TaskstatsSocket(int fd)
        : m_fd(fd)
    {
    }
    Status send(std::span<const std::byte> request);
    // Waits up to 1 s for the reply to `seq`.
    Result<std::optional<Datagram>> awaitReply(std::span<std::byte> buffer);

    int m_fd = -1;
    std::uint16_t m_family = 0;
    std::uint64_t m_registeredAtNs = 0;
};

// The CPUs the kernel can ever run (a cpulist such as "0-1"), from sysfs.
std::string possibleCpus();

// The first line of a small file such as /proc/sys/kernel/random/boot_id, without its line end
// and trailing spaces; "" when it cannot be read.
std::string readFirstLine(const char* path);

} // namespace procscope::protocol
