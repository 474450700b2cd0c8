// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/host_demux.h"

#include <optional>

namespace procscope::capture {

struct HostDemux::Host
{
    HostRecord declaration;
    StreamDecoder decoder;
    std::uint64_t corruptSeen = 0;
    bool failed = false;
    std::optional<HostEndReason> end;
};

HostDemux::HostDemux(RecordSink onRecord, DamageSink onDamaged)
    : m_onRecord(std::move(onRecord))
    , m_onDamaged(std::move(onDamaged))
{ }

HostDemux::~HostDemux() = default;

HostDemux::Host& HostDemux::host(std::uint16_t index)
{
    auto& slot = m_hosts[index];
    if (!slot) {
        // Bytes of a host whose declaration was lost to damage: kept, under a name of its own.
        slot = std::make_unique<Host>();
        slot->decoder.setMaxMajorVersion(kMajorVersion);
        slot->declaration.index = index;
        slot->declaration.label = "host " + std::to_string(index + 1);
    }
    return *slot;
}

void HostDemux::switchTo(std::uint16_t index)
{
    if (m_current == index)
        return;
    m_current = index;
    Record marker = host(index).declaration;
    m_onRecord(marker);
}

void HostDemux::report(const Host& host, const DecodeError& error)
{
    DecodeError named = error;
    named.detail = "host " + host.declaration.label + ": " + error.detail;
    m_onDamaged(named);
}

void HostDemux::apply(Record& outer)
{
    if (auto* declaration = std::get_if<HostRecord>(&outer)) {
        if (!m_hosts[declaration->index]) {
            m_hosts[declaration->index]
                = std::make_unique<Host>(Host { *declaration, {}, 0, false, std::nullopt });
            m_hosts[declaration->index]->decoder.setMaxMajorVersion(kMajorVersion);
        }
        return; // announced with the host's first records
    }
    if (auto* end = std::get_if<HostEndRecord>(&outer)) {
        host(end->index).end = end->reason;
        switchTo(end->index);
        m_onRecord(outer);
        return;
    }
    auto* bytes = std::get_if<HostBytesRecord>(&outer);
    if (!bytes)
        return;
    Host& h = host(bytes->index);
    if (h.failed)
        return;
    h.decoder.feed(bytes->bytes);
    for (auto step = h.decoder.next(m_record); step != StreamDecoder::Step::NeedMore;
         step = h.decoder.next(m_record)) {
        if (step == StreamDecoder::Step::GotRecord) {
            switchTo(bytes->index);
            m_onRecord(m_record);
        } else if (step == StreamDecoder::Step::Skipped) {
            if (h.decoder.lastError() && h.decoder.corruptSkipped() > h.corruptSeen) {
                h.corruptSeen = h.decoder.corruptSkipped();
                report(h, *h.decoder.lastError());
            }
        } else {
            h.failed = true;
            if (h.decoder.lastError())
                report(h, *h.decoder.lastError());
            break;
        }
    }
}

void HostDemux::finish()
{
    for (const auto& h : m_hosts) {
        if (!h || h->failed)
            continue;
        const auto error = h->decoder.finish();
        if (!error)
            continue;
        // A broken connection cuts a stream anywhere; a host that never started sent nothing.
        const bool cut = error->kind == DecodeErrorKind::TruncatedRecord
            || error->kind == DecodeErrorKind::EmptyStream
            || error->kind == DecodeErrorKind::MissingHeader;
        const bool explained = h->end && *h->end != HostEndReason::Finished && cut;
        if (!explained)
            report(*h, *error);
    }
}

std::uint64_t HostDemux::unknownSkipped() const
{
    std::uint64_t total = 0;
    for (const auto& h : m_hosts)
        total += h ? h->decoder.unknownSkipped() : 0;
    return total;
}

} // namespace procscope::capture
