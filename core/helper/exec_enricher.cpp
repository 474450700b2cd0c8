// SPDX-License-Identifier: GPL-3.0-or-later
#include "helper/exec_enricher.h"

namespace procscope::helper {

void ExecEnricher::readEarly(std::uint32_t pid, std::uint64_t timestampNs)
{
    m_early.emplace(Key { pid, timestampNs }, m_proc.read(pid, capture::ProcessSource::Exec, timestampNs));
}

std::vector<capture::ProcessRecord> ExecEnricher::takeReady()
{
    std::vector<capture::ProcessRecord> ready;
    ready.reserve(m_written.size());
    for (const Key& key : m_written) {
        const auto early = m_early.find(key);
        if (early != m_early.end()) {
            ready.push_back(std::move(early->second));
            m_early.erase(early);
        } else {
            ready.push_back(m_proc.read(key.first, capture::ProcessSource::Exec, key.second));
        }
    }
    m_written.clear();
    // An exec the main socket lost still has its description: deliver it rather than drop it.
    constexpr std::uint64_t kOrphanAfterNs = 2'000'000'000;
    const std::uint64_t now = ProcReader::monotonicNowNs();
    for (auto it = m_early.begin(); it != m_early.end();) {
        if (it->second.observedNs + kOrphanAfterNs < now) {
            ready.push_back(std::move(it->second));
            it = m_early.erase(it);
        } else {
            ++it;
        }
    }
    return ready;
}

} // namespace procscope::helper
