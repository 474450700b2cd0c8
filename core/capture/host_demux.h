// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/decoder.h"
#include "capture/records.h"

#include <array>
#include <functional>
#include <memory>

namespace procscope::capture {

// Turns a version 3 capture's host records back into each host's own records, in the order
// their bytes were written. Before each run of one host's records comes that host's HostRecord
// (so whoever applies them knows whose they are); a HostEndRecord follows its host's last records.
class HostDemux
{
public:
    using RecordSink = std::function<void(Record&)>;
    using DamageSink = std::function<void(const DecodeError&)>;

    HostDemux(RecordSink onRecord, DamageSink onDamaged);
    ~HostDemux();

    // A record of the outer stream: HostRecord, HostBytesRecord or HostEndRecord.
    void apply(Record& outer);
    // End of input: a host's stream cut short is damage, unless its end record said the
    // connection was lost there.
    void finish();
    std::uint64_t unknownSkipped() const;

private:
    struct Host;
    Host& host(std::uint16_t index);
    void switchTo(std::uint16_t index);
    void report(const Host& host, const DecodeError& error);

    RecordSink m_onRecord;
    DamageSink m_onDamaged;
    std::array<std::unique_ptr<Host>, kMaxHosts> m_hosts;
    int m_current = -1;
    Record m_record;
};

} // namespace procscope::capture
