// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/lineage.h"

#include <QObject>
#include <cstddef>
#include <vector>

namespace procscope::ui {

// Where the user is in the capture: the current process and event, Back / Forward through the
// processes visited, and the root of "show only this subtree". Views follow it and report to
// it; none is wired to another.
class Navigator : public QObject {
    Q_OBJECT
public:
    static constexpr std::size_t kNoEvent = static_cast<std::size_t>(-1);

    explicit Navigator(QObject* parent = nullptr);

    // How many processes the capture has (a node past them is ignored).
    void setNodeCount(std::size_t count) { m_nodeCount = count; }
    // A different capture: nothing selected, no history, the whole tree.
    void reset();

    session::NodeId currentNode() const { return m_node; }
    std::size_t currentEvent() const { return m_event; }
    // Makes `node` the current process everywhere and remembers it for Back.
    void selectNode(session::NodeId node);
    // Makes an event current (the details pane shows it); its process goes into the history
    // without moving the other views.
    void selectEvent(std::size_t storeRow, session::NodeId node);

    bool canGoBack() const { return m_visitedAt > 0 && !m_visited.empty(); }
    bool canGoForward() const { return m_visitedAt + 1 < m_visited.size(); }
    void goBack();
    void goForward();

    session::NodeId subtreeRoot() const { return m_subtreeRoot; }
    void showOnlySubtree(session::NodeId node);
    void showWholeTree();

signals:
    void currentNodeChanged(session::NodeId node);
    void currentEventChanged(std::size_t storeRow);
    void historyChanged();
    void subtreeRootChanged(session::NodeId root); // kNoNode: the whole tree

private:
    void remember(session::NodeId node);
    void moveInHistory(std::size_t to);

    std::size_t m_nodeCount = 0;
    session::NodeId m_node = session::kNoNode;
    std::size_t m_event = kNoEvent;
    std::vector<session::NodeId> m_visited;
    std::size_t m_visitedAt = 0;
    session::NodeId m_subtreeRoot = session::kNoNode;
};

} // namespace procscope::ui
