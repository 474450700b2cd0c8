// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/records.h"
#include "helper/cost_matcher.h"
#include "helper/exec_enricher.h"
#include "helper/loss_accounting.h"
#include "helper/options.h"
#include "helper/output_buffer.h"
#include "helper/proc_reader.h"
#include "protocol/connector_socket.h"
#include "protocol/sequence_tracker.h"
#include "protocol/taskstats_socket.h"

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace procscope::helper {

struct CaptureResult {
    capture::StopReason stopReason = capture::StopReason::Signal;
    std::optional<std::string> error; // one line for stderr when the capture failed
    std::uint64_t events = 0;
    std::uint64_t processes = 0;
};

// Streams one capture: header, optional /proc snapshot, then kernel events (with exec
// enrichment and loss records) until a stop condition, then the trailer. Single-threaded, on
// epoll: the connector is drained in batches and output never blocks the reader.
class CaptureLoop {
public:
    // `execTrigger`, when given, is a second socket subscribed to exec events only (kernel
    // filter, 6.6+): it wakes the loop at once for enrichment, so the main socket can be read
    // in batches (far fewer wake-ups) without reading /proc late.
    // `costs`, when given, is registered for every exiting task's figures (taskstats): each is
    // written as a task cost record and paired with its exit event, what stays unpaired counted.
    CaptureLoop(protocol::ConnectorSocket& socket, const protocol::Subscription& subscription,
        const HelperOptions& options, int outputFd, int peerFd, protocol::ConnectorSocket* execTrigger = nullptr,
        protocol::TaskstatsSocket* costs = nullptr);

    CaptureResult run(const capture::HeaderRecord& header, const std::vector<capture::StatusRecord>& notes);

private:
    // A record refused by the full output buffer is counted as lost under `refused`.
    void write(const capture::Record& record, bool reserved = false, capture::LossReason refused = capture::LossReason::OutputBuffer);
    std::size_t drainConnector(std::size_t maxDatagrams); // returns datagrams taken
    void handleDatagram(std::span<const std::byte> bytes, std::uint32_t senderPid);
    void drainExecTrigger();
    bool drainCosts(); // true when the socket is empty
    void handleCostDatagram(const protocol::Datagram& datagram, std::uint64_t nowNs);
    void countUnpairedCosts(bool all);
    void writeRunningCosts();
    void reportLosses();
    void flushOutput();
    void takeSnapshot();
    void stop(capture::StopReason reason, std::optional<std::string> error = std::nullopt);

    protocol::ConnectorSocket& m_socket;
    protocol::Subscription m_subscription;
    HelperOptions m_options;
    bool m_helperFilters;
    bool m_trackSequence;
    int m_outputFd;
    int m_peerFd;
    OutputBuffer m_output;
    ProcReader m_proc;
    protocol::SequenceTracker m_sequence;
    LossAccounting m_losses;
    std::vector<std::byte> m_scratch; // one encoded record at a time
    std::vector<std::byte> m_batchBuffer; // recvmmsg slots
    std::array<protocol::Datagram, 64> m_batch {};
    std::chrono::nanoseconds m_coalesce { 0 };
    ExecEnricher m_enricher;
    std::vector<ExecEnricher::Exec> m_triggered; // one trigger batch's execs, reused
    protocol::ConnectorSocket* m_execTrigger;
    protocol::TaskstatsSocket* m_costs;
    bool m_pairCosts; // every exit is captured, so each task's figures should meet its exit
    bool m_unsubscribed = false; // figures of tasks exiting from now on are outside the capture
    CostMatcher m_costMatcher;
    std::vector<std::byte> m_costBuffer; // recvmmsg slots
    std::array<protocol::Datagram, 32> m_costBatch {};
    std::uint64_t m_events = 0;
    std::uint64_t m_processes = 0;
    std::optional<capture::StopReason> m_stopReason;
    std::optional<std::string> m_error;
    bool m_peerGone = false;
    bool m_outputBlocked = false; // a write left bytes behind: wait for EPOLLOUT
};

} // namespace procscope::helper
