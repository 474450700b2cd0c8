// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/navigator.h"

namespace procscope::ui {

using session::kNoNode;
using session::NodeId;

Navigator::Navigator(QObject* parent)
    : QObject(parent)
{
}

void Navigator::reset()
{
    m_node = kNoNode;
    m_event = kNoEvent;
    m_visited.clear();
    m_visitedAt = 0;
    m_nodeCount = 0;
    emit historyChanged();
    showWholeTree();
}

void Navigator::selectNode(NodeId node)
{
    if (node == kNoNode || node >= m_nodeCount)
        return;
    remember(node);
    if (node == m_node && m_event == kNoEvent)
        return;
    m_node = node;
    m_event = kNoEvent;
    emit currentNodeChanged(node);
}

void Navigator::selectEvent(std::size_t storeRow, NodeId node)
{
    if (node != kNoNode && node < m_nodeCount)
        remember(node);
    if (storeRow == m_event)
        return;
    m_event = storeRow;
    emit currentEventChanged(storeRow);
}

void Navigator::remember(NodeId node)
{
    if (!m_visited.empty() && m_visited[m_visitedAt] == node)
        return;
    if (!m_visited.empty())
        m_visited.resize(m_visitedAt + 1); // a new branch drops what was ahead
    m_visited.push_back(node);
    m_visitedAt = m_visited.size() - 1;
    emit historyChanged();
}

void Navigator::moveInHistory(std::size_t to)
{
    m_visitedAt = to;
    const NodeId node = m_visited[to];
    emit historyChanged();
    if (node == m_node && m_event == kNoEvent)
        return;
    m_node = node;
    m_event = kNoEvent;
    emit currentNodeChanged(node);
}

void Navigator::goBack()
{
    if (canGoBack())
        moveInHistory(m_visitedAt - 1);
}

void Navigator::goForward()
{
    if (canGoForward())
        moveInHistory(m_visitedAt + 1);
}

void Navigator::showOnlySubtree(NodeId node)
{
    if (node == kNoNode || node >= m_nodeCount || node == m_subtreeRoot)
        return;
    m_subtreeRoot = node;
    emit subtreeRootChanged(node);
}

void Navigator::showWholeTree()
{
    if (m_subtreeRoot == kNoNode)
        return;
    m_subtreeRoot = kNoNode;
    emit subtreeRootChanged(kNoNode);
}

} // namespace procscope::ui
