// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/loop_descriptors.h"

#include <cerrno>
#include <csignal>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace procscope::helper {

LoopDescriptors::~LoopDescriptors()
{
    for (const int fd : { m_epoll, m_signals, m_timer }) {
        if (fd >= 0)
            ::close(fd);
    }
}

std::optional<int> LoopDescriptors::create(std::optional<double> durationSeconds)
{
    // nohup's SIGHUP is left as inherited: it means what it says.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGHUP);
    ::sigprocmask(SIG_BLOCK, &stopSignals, nullptr);
    m_signals = ::signalfd(-1, &stopSignals, SFD_CLOEXEC | SFD_NONBLOCK);
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    if (m_signals < 0 || m_epoll < 0 || !add(m_signals, EPOLLIN))
        return errno;
    if (durationSeconds) {
        m_timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        itimerspec when {};
        when.it_value.tv_sec = static_cast<time_t>(*durationSeconds);
        when.it_value.tv_nsec = static_cast<long>((*durationSeconds - static_cast<double>(when.it_value.tv_sec)) * 1e9);
        if (when.it_value.tv_sec == 0 && when.it_value.tv_nsec == 0)
            when.it_value.tv_nsec = 1; // zero would disarm it
        if (m_timer < 0 || ::timerfd_settime(m_timer, 0, &when, nullptr) != 0 || !add(m_timer, EPOLLIN))
            return errno;
    }
    return std::nullopt;
}

bool LoopDescriptors::add(int fd, std::uint32_t events) const
{
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event) == 0;
}

bool LoopDescriptors::modify(int fd, std::uint32_t events) const
{
    epoll_event event {};
    event.events = events;
    event.data.fd = fd;
    return ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event) == 0;
}

void LoopDescriptors::drainSignals() const
{
    signalfd_siginfo info {};
    while (::read(m_signals, &info, sizeof info) == sizeof info) { }
}

} // namespace procscope::helper
