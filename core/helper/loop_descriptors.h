// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>

namespace procscope::helper {

// The capture loop's own descriptors: an epoll set, a signalfd for the stop signals and an
// optional duration timer. Closed on destruction.
class LoopDescriptors {
public:
    LoopDescriptors() = default;
    LoopDescriptors(const LoopDescriptors&) = delete;
    LoopDescriptors& operator=(const LoopDescriptors&) = delete;
    ~LoopDescriptors();

    // Blocks SIGINT, SIGTERM and SIGHUP into a signalfd (resetting SIGINT and SIGTERM to their
    // default first: a background job starts with SIGINT ignored, and an ignored signal never
    // reaches a signalfd), and arms the timer. Returns errno on failure.
    std::optional<int> create(std::optional<double> durationSeconds);

    bool add(int fd, std::uint32_t events) const;
    bool modify(int fd, std::uint32_t events) const;
    void drainSignals() const;

    int epoll() const { return m_epoll; }
    int signals() const { return m_signals; }
    int timer() const { return m_timer; }

private:
    int m_epoll = -1;
    int m_signals = -1;
    int m_timer = -1;
};

} // namespace procscope::helper
