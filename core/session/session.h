// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/decoder.h"
#include "capture/records.h"
#include "session/event_store.h"
#include "session/lineage.h"
#include "session/process_costs.h"
#include "session/rates.h"
#include "session/string_pool.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace procscope::session {

// Records a reader had to skip as damaged. Only the first few errors are kept, so a file that is
// damaged throughout cannot grow this with every record.
struct DamageTally
{
    static constexpr std::size_t kKeptErrors = 16;
    std::uint64_t records = 0;
    std::vector<capture::DecodeError> first; // the first kKeptErrors, with their offsets
    void note(const capture::DecodeError& error)
    {
        ++records;
        if (first.size() < kKeptErrors)
            first.push_back(error);
    }
};

// What the files of a ring capture that are no longer on disk held, as the files that are
// left say (their RingFile records).
struct RingDiscards
{
    bool ring = false; // the capture was written as a ring
    std::uint32_t firstFile = 0; // the number of the first file read
    std::uint64_t events = 0; // kernel events in files the ring discarded (or that are missing)
    // Of the events before the first file read, by kind (RingFileRecord's order).
    std::array<std::uint64_t, capture::kRingEventKinds> byKind {};
};

// One machine of a session: most sessions have one; a capture of several hosts has one each.
struct SessionHost
{
    std::string label; // as filters match it and the window shows it ("build1")
    std::string
        address; // how it was reached ("local", "ssh://root@build1"); empty in a one-host file
    std::optional<capture::HeaderRecord> header; // as its helper wrote it (its own clock)
    std::optional<capture::TrailerRecord> trailer;
    std::optional<capture::HostEndRecord> end; // how its stream ended, when the viewer said so
    // Added to its timestamps to place them on the session's clock (the first host's): the
    // difference of the two hosts' wall clocks at their monotonic zero, from their headers.
    std::int64_t clockOffsetNs = 0;
    std::array<std::uint64_t, capture::kLossReasonCount> losses {};
    std::uint64_t events = 0; // kernel events received from it
};

// Everything known about one capture: its events, process lineage, rates, losses and status
// messages. Fed record by record from the capture decoder, live or from a file.
class Session
{
public:
    // With a directory, the event rows are paged to an unnamed file there (see EventStore).
    explicit Session(const std::string& spillDirectory = {});

    void apply(const capture::Record& record);
    // A record the decoder skipped as damaged (every reader reports the same tally).
    void noteDamagedRecord(const capture::DecodeError& error);
    // The tally of records another reader skipped (added to this one's).
    void noteDamage(const DamageTally& tally);

    // The first host's header and trailer (the session's clock is that host's).
    const std::optional<capture::HeaderRecord>& header() const { return m_header; }
    const std::optional<capture::TrailerRecord>& trailer() const { return m_trailer; }
    const EventStore& events() const { return m_events; }
    const Lineage& lineage() const { return m_lineage; }
    Lineage& lineage() { return m_lineage; }
    const ProcessCosts& costs() const { return m_costs; }
    // The helper recorded each process's cost (header flag); false for older or unprivileged
    // captures.
    bool costsRecorded() const;
    const Rates& rates() const { return m_rates; }
    // One host's rates, laid out as rates().resample() lays out everyone's (a chart per host).
    Rates::Resampled resampleHost(
        std::uint8_t host, std::size_t windowBuckets, std::size_t maxPoints) const;
    const StringPool& strings() const { return m_strings; }
    const std::vector<capture::StatusRecord>& statuses() const { return m_statuses; }
    // Totals per loss reason (index = reason - 1), from the loss records seen.
    const std::array<std::uint64_t, capture::kLossReasonCount>& losses() const { return m_losses; }
    std::uint64_t totalLost() const;
    // The latest time of any event row (0 with none), on the session's clock.
    std::uint64_t latestEventNs() const { return m_latestEventNs; }
    const DamageTally& damage() const { return m_damage; }
    // Events of a ring capture that its files no longer hold: never counted as loss.
    const RingDiscards& ringDiscards() const { return m_ring; }
    // Hosts, by the index that events and processes carry. Never empty.
    const std::vector<SessionHost>& hosts() const { return m_hosts; }
    const SessionHost& host(std::uint8_t index) const
    {
        return m_hosts[index < m_hosts.size() ? index : 0];
    }
    bool severalHosts() const { return m_hosts.size() > 1; }
    // The header of the host a node or row came from (its helper pid, its clock).
    const std::optional<capture::HeaderRecord>& headerOf(std::uint8_t host) const
    {
        return this->host(host).header;
    }
    // The host each status message came from (index as statuses()).
    const std::vector<std::uint8_t>& statusHosts() const { return m_statusHosts; }
    // Events whose timestamps are too far from the capture's start to be real (see Rates).
    std::uint64_t timestampsOutOfRange() const { return m_rates.outOfRange(); }
    bool damaged() const { return m_damage.records != 0 || timestampsOutOfRange() != 0; }

    // Bytes held in memory by the event store and the lineage, without the interned strings
    // (event rows paged to a file: events().spilledBytes()).
    std::size_t memoryBytes() const
    {
        return m_events.bytes() + m_lineage.bytes() + m_costs.bytes();
    }

private:
    void applyEvent(const capture::KernelEventRecord& record);
    void applyHeader(const capture::HeaderRecord& header);
    void applyHost(const capture::HostRecord& host);
    void applyHostEnd(const capture::HostEndRecord& end);
    void applyLoss(const capture::LossRecord& loss);
    void applyRingFile(const capture::RingFileRecord& file);
    // A timestamp of the current host on the session's clock (0, unknown, stays 0).
    std::uint64_t onSessionClock(std::uint64_t ns) const;
    void addRate(EventKind kind, std::uint64_t timestampNs, bool nonzeroExit = false);
    void storeRow(const StoredEvent& row, bool nonzeroExit = false); // appends it and counts its rate

    StringPool m_strings;
    EventStore m_events;
    std::uint64_t m_latestEventNs = 0;
    Lineage m_lineage;
    ProcessCosts m_costs;
    Rates m_rates;
    std::optional<capture::HeaderRecord> m_header;
    std::optional<capture::TrailerRecord> m_trailer;
    std::vector<capture::StatusRecord> m_statuses;
    std::vector<std::uint8_t> m_statusHosts;
    std::vector<SessionHost> m_hosts = std::vector<SessionHost>(1);
    // Rates of hosts 1 and up (index - 1); the first host's are everyone's minus theirs, so a
    // one-host capture keeps no second copy.
    std::vector<std::unique_ptr<Rates>> m_otherHostRates;
    std::uint8_t m_current = 0; // the host whose records are being applied
    std::optional<std::uint8_t> m_clockHost; // whose header set the session's clock
    std::array<std::uint64_t, capture::kLossReasonCount> m_losses {};
    DamageTally m_damage;
    RingDiscards m_ring;
    std::optional<capture::RingFileRecord> m_lastRingFile;
    std::uint64_t m_eventsAtLastRingFile = 0;
    // After a RingFile record that continues a ring already read: its snapshot repeats
    // processes the session knows, and is passed over.
    bool m_skippingRingSnapshot = false;
};

} // namespace procscope::session
