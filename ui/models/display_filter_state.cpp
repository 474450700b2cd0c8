// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/display_filter_state.h"

namespace procscope::ui {

using namespace session;

DisplayFilterState::DisplayFilterState(QObject* parent)
    : QObject(parent)
{
    m_sliceTimer.setSingleShot(true);
    m_sliceTimer.setInterval(0);
    connect(&m_sliceTimer, &QTimer::timeout, this, &DisplayFilterState::runSlice);
}

void DisplayFilterState::setSession(const Session* session)
{
    m_session = session;
    drop();
}

void DisplayFilterState::drop()
{
    m_job.reset();
    m_sliceTimer.stop();
    m_filter.reset();
    m_text.clear();
    m_matches.clear();
    m_rows.clear();
    m_nodeHits.clear();
    m_subtreeHits.clear();
    ++m_generation;
}

void DisplayFilterState::test(const Session& session, const DisplayFilter& filter, std::size_t row, Results results)
{
    const bool hit = filter.matches(session, row);
    results.matches.push_back(hit);
    if (!hit)
        return;
    results.rows.push_back(static_cast<std::uint32_t>(row));
    const NodeId node = session.events()[row].node;
    if (node == kNoNode)
        return;
    ++results.nodeHits.at(node);
    // Mark the node, then its ancestors up to the first already marked as one: each node is
    // marked at most twice in all.
    if (results.subtreeHits.get(node) != 0)
        return; // and so are its ancestors
    results.subtreeHits.at(node) = kSubtreeHit;
    const Lineage& lineage = session.lineage();
    for (NodeId at = lineage.node(node).parent, depth = 0;
         at != kNoNode && at < lineage.size() && !(results.subtreeHits.get(at) & kDescendantHit) && depth < 4096;
         at = lineage.node(at).parent, ++depth)
        results.subtreeHits.at(at) = kSubtreeHit | kDescendantHit;
}

void DisplayFilterState::apply(std::shared_ptr<const DisplayFilter> filter, const QString& text)
{
    m_job.reset(); // a newer filter wins: whatever was running is dropped
    if (!m_session || !filter) {
        clear();
        return;
    }
    m_job = std::make_unique<Job>();
    m_job->filter = std::move(filter);
    m_job->text = text;
    m_job->end = m_session->events().size();
    m_job->matches.reserve(m_job->end);
    // Room for every row to match: only the part written is ever touched, and a growing vector
    // would copy millions of rows in one step of a slice.
    m_job->rows.reserve(m_job->end);
    m_job->clock.start();
    emit progress(0);
    runSlice();
}

void DisplayFilterState::clear()
{
    drop();
    emit applied();
}

void DisplayFilterState::runSlice()
{
    if (!m_job || !m_session)
        return;
    Job& job = *m_job;
    QElapsedTimer slice;
    slice.start();
    constexpr std::size_t kCheckEvery = 2048;
    while (job.next < job.end) {
        const std::size_t stop = std::min(job.end, job.next + kCheckEvery);
        for (; job.next < stop; ++job.next)
            test(*m_session, *job.filter, job.next, { job.matches, job.rows, job.nodeHits, job.subtreeHits });
        if (slice.elapsed() >= kSliceMs)
            break;
    }
    job.longestSliceMs = std::max(job.longestSliceMs, slice.elapsed());
    if (job.next < job.end) {
        emit progress(static_cast<int>(job.next * 100 / job.end));
        m_sliceTimer.start(); // the event loop runs (and the capture goes on) before the next slice
        return;
    }
    m_filter = std::move(job.filter);
    m_text = job.text;
    m_matches = std::move(job.matches);
    m_rows = std::move(job.rows);
    m_nodeHits = std::move(job.nodeHits);
    m_subtreeHits = std::move(job.subtreeHits);
    ++m_generation;
    m_lastDurationMs = job.clock.elapsed();
    m_lastLongestSliceMs = job.longestSliceMs;
    m_job.reset();
    catchUp(); // rows that arrived while it ran
    emit progress(100);
    emit applied();
}

void DisplayFilterState::catchUp()
{
    if (!m_filter || !m_session)
        return;
    const std::size_t before = m_rows.size();
    for (std::size_t row = m_matches.size(); row < m_session->events().size(); ++row)
        test(*m_session, *m_filter, row, { m_matches, m_rows, m_nodeHits, m_subtreeHits });
    if (m_rows.size() != before)
        emit rowsMatched();
}

} // namespace procscope::ui
