// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/capture_document.h"

#include "models/display_filter_state.h"
#include "document/navigator.h"
#include "document/view_options.h"
#include "models/event_table_model.h"
#include "models/process_table_model.h"
#include "models/process_tree_model.h"

#include <QFile>

namespace procscope::ui {

CaptureDocument::CaptureDocument(QObject* parent)
    : QObject(parent)
    , m_tree(new ProcessTreeModel(this))
    , m_events(new EventTableModel(this))
    , m_processes(new ProcessTableModel(this))
    , m_filter(new DisplayFilterState(this))
    , m_navigator(new Navigator(this))
    , m_viewOptions(new ViewOptions(this))
{
    m_events->setDisplayFilter(m_filter);
    connect(m_filter, &DisplayFilterState::applied, m_events, &EventTableModel::refilter);
}

CaptureDocument::~CaptureDocument() { setSessionEverywhere(nullptr); }

void CaptureDocument::setSessionEverywhere(session::Session* session)
{
    m_flushStep = 0;
    m_filter->setSession(session);
    m_tree->setSession(session);
    m_events->setSession(session);
    m_processes->setSession(session);
    m_navigator->reset();
    m_navigator->setNodeCount(session ? session->lineage().size() : 0);
    m_running = session ? std::make_unique<session::RunningCount>(session->lineage()) : nullptr;
}

void CaptureDocument::startLive(const QString& pagingDirectory) { begin(pagingDirectory, true, false, QString()); }

void CaptureDocument::begin(const QString& pagingDirectory, bool live, bool saved, const QString& path)
{
    auto fresh = std::make_unique<session::Session>(QFile::encodeName(pagingDirectory).toStdString());
    setSessionEverywhere(fresh.get());
    m_session = std::move(fresh);
    m_live = live;
    m_saved = saved;
    m_sourcePath = path;
    emit reset();
}

void CaptureDocument::append(std::vector<capture::Record> records)
{
    if (!m_session || records.empty())
        return;
    add(records);
    flush();
}

void CaptureDocument::add(const std::vector<capture::Record>& records)
{
    if (!m_session)
        return;
    for (const capture::Record& record : records)
        m_session->apply(record);
}

void CaptureDocument::flush()
{
    const bool staged = flushInProgress();
    while (!flushStep()) { }
    if (staged) // its first steps saw less than is there now
        while (!flushStep()) { }
}

bool CaptureDocument::flushStep()
{
    if (!m_session) {
        m_flushStep = 0;
        return true;
    }
    switch (m_flushStep) {
    case 0:
        m_filter->catchUp(); // before the models, whose filters read it
        m_tree->flush(m_live);
        m_flushStep = 1;
        return false;
    case 1:
        m_events->flush();
        m_flushStep = 2;
        return false;
    default:
        m_processes->flush();
        m_navigator->setNodeCount(m_session->lineage().size());
        m_flushStep = 0;
        emit changed();
        return true;
    }
}

void CaptureDocument::startFile(const QString& path, const QString& pagingDirectory, bool saved) { begin(pagingDirectory, false, saved, path); }

void CaptureDocument::replace(std::unique_ptr<session::Session> session, const QString& path)
{
    setSessionEverywhere(session.get());
    m_session = std::move(session);
    m_live = false;
    m_saved = true;
    m_sourcePath = path;
    emit reset();
}

void CaptureDocument::noteDamage(const session::DamageTally& tally)
{
    if (m_session && tally.records != 0)
        m_session->noteDamage(tally);
}

void CaptureDocument::clear()
{
    setSessionEverywhere(nullptr);
    m_session.reset();
    m_live = false;
    m_saved = true;
    m_sourcePath.clear();
    emit reset();
}

std::uint64_t CaptureDocument::latestNs() const
{
    if (!m_session)
        return 0;
    std::uint64_t latest = m_session->header() ? m_session->header()->monotonicNs : 0;
    if (const auto& trailer = m_session->trailer())
        latest = std::max<std::uint64_t>(latest, trailer->timestampNs);
    return std::max(latest, m_session->latestEventNs());
}

std::size_t CaptureDocument::runningProcesses() const { return m_running ? m_running->count() : 0; }

} // namespace procscope::ui
