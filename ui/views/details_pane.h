// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/process_event_index.h"
#include "session/session.h"

#include <QTextBrowser>

namespace procscope::ui {

class CaptureDocument;

// Everything known about the selected process (or the process of the selected event): its
// command line one argument per line, executable, working directory, credentials and their
// changes, lineage up to the oldest known ancestor (each link selects it), children, threads,
// times, exit status, exec and name histories, and its own events. What could not be read is
// said, not left blank. Links: "node:ID" selects a process, "filter:EXPR" prepares a filter.
class DetailsPane : public QTextBrowser {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget* parent = nullptr);

    // Follows the document: its session, the navigator's current process or event; links select
    // processes and apply filters there.
    void bindTo(CaptureDocument* document);
    void setSession(const session::Session* session);
    void showNode(session::NodeId node);
    void showEvent(std::size_t storeRow);
    void clearDetails();
    session::NodeId node() const { return m_node; }
    // Rebuilds the text when the shown process changed (a live capture).
    void refreshIfChanged();

signals:
    void nodeRequested(session::NodeId node);
    void filterRequested(const QString& expression);

private:
    QString html(session::NodeId node, std::size_t eventRow) const;

    const session::Session* m_session = nullptr;
    mutable session::ProcessEventIndex m_index; // extended as the details are rendered
    session::NodeId m_node = session::kNoNode;
    std::size_t m_eventRow = SIZE_MAX;
    std::size_t m_eventsSeen = 0;
    std::uint64_t m_costsSeen = 0; // cost records: the last ones (running processes) come after every event
};

} // namespace procscope::ui
