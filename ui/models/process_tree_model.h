// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/changed_nodes.h"
#include "models/item_roles.h"
#include "session/session.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QTimer>
#include <deque>
#include <span>
#include <unordered_set>
#include <vector>

namespace procscope::ui {

// The process tree: each lineage node under the process that forked it (kept after that
// parent exits). It adapts the session's lineage without copying its data: it keeps only the
// tree's shape (each node's shown parent and its children, sorted by node id, so a row is a
// binary search away). Lineage changes are collected as they happen and applied by flush(),
// once per batch: one beginInsertRows per parent that gained children, dataChanged for changed
// nodes, a move when a process seen early (a placeholder) later learns its parent.
class ProcessTreeModel : public QAbstractItemModel, public session::LineageListener
{
    Q_OBJECT
public:
    // Cpu to TreeWritten follow CostColumn's order.
    enum Column
    {
        Name,
        Pid,
        User,
        Started,
        Duration,
        Status,
        Cpu,
        TreeCpu,
        Memory,
        TreeMemory,
        Read,
        TreeRead,
        Written,
        TreeWritten,
        CommandLine,
        ColumnCount
    };

    // A process with this many children shown under it has their count beside its name.
    static constexpr std::size_t kChildCountShownFrom = 1000;

    explicit ProcessTreeModel(QObject* parent = nullptr);
    ~ProcessTreeModel() override;

    // Shows `session` (may be null) from scratch and listens to its lineage from now on.
    void setSession(session::Session* session);
    // Applies the lineage changes collected since the last flush.
    // `highlightNew`: processes added now are highlighted for a while (live; not while a file
    // loads).
    void flush(bool highlightNew = true);
    // Leaves out the capture's own helper and anything it started (a new layout when changed).
    void setHideHelper(bool hide);
    bool hidesHelper() const { return m_hideHelper; }
    // How long a new process stays highlighted (0: never).
    void setHighlightMs(int ms) { m_highlightMs = ms; }

    // The process at `index`; kNoNode for a host's row (hostAt()).
    session::NodeId nodeAt(const QModelIndex& index) const;
    // The host whose row `index` is (a session of several hosts), else -1.
    int hostAt(const QModelIndex& index) const;
    // The node at `row` under `parent`, without building an index (the filter's hot path).
    session::NodeId childNode(const QModelIndex& parent, int row) const;
    // Also of a host's row, by the item shownChildren(kNoNode) lists for it.
    QModelIndex indexOf(session::NodeId node, int column = 0) const;
    // The nodes shown under `parent` (session::kNoNode: the top level), sorted.
    std::span<const session::NodeId> shownChildren(session::NodeId parent) const;
    bool isHighlighted(session::NodeId node) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // session::LineageListener
    void nodeAdded(session::NodeId node) override;
    void nodeChanged(session::NodeId node) override;
    void childAdded(session::NodeId parent, session::NodeId child) override;

private:
    static QVariant alignment(int column); // of cells and their heading
    static constexpr session::NodeId kRoot = session::kNoNode;
    // A session of several hosts has a row per host at the top: items above any node id.
    static constexpr session::NodeId kHostItems = 0xFFFFFF00;
    static bool isHostItem(session::NodeId item)
    {
        return item >= kHostItems && item < kHostItems + capture::kMaxHosts;
    }
    static session::NodeId hostItem(std::uint8_t host) { return kHostItems + host; }
    session::NodeId topOf(session::NodeId node) const; // where a process without a parent is shown
    session::NodeId itemAt(const QModelIndex& index) const; // a node, a host item, or kRoot
    QModelIndex indexOfItem(session::NodeId item) const;
    QVariant hostData(std::uint8_t host, int column, int role) const;
    std::vector<session::NodeId>& childrenOf(session::NodeId parent);
    const std::vector<session::NodeId>* childrenOf(session::NodeId parent) const;
    int rowOf(session::NodeId node) const;
    bool shown(session::NodeId node) const
    {
        return node < m_shownParent.size() && m_shownParent[node] != kUnshown && m_shownParent[node] != kHidden;
    }
    bool isHelper(session::NodeId node) const;
    bool isAncestorOrSelf(session::NodeId candidate, session::NodeId node) const;
    void insertNew(std::vector<session::NodeId> pending);
    void reparent(session::NodeId node, session::NodeId newParent);
    void expireHighlights();
    QVariant displayData(session::NodeId id, int column) const;

    static constexpr session::NodeId kUnshown = 0xFFFFFFFE; // not placed yet
    static constexpr session::NodeId kHidden = 0xFFFFFFFD; // the helper, or started by it
    bool m_hideHelper = true;
    session::Session* m_session = nullptr;
    // Per node. Deques: growing them with millions of processes never moves what is there (a
    // vector's reallocation moved 80 MB at 3.3 M processes, a pause of its own).
    std::deque<session::NodeId> m_shownParent; // the parent it is shown under, kRoot, or kUnshown
    // The children of those that have any (most processes have none): an index per node
    // into a list per parent, each sorted.
    static constexpr std::uint32_t kNoChildList = 0xFFFFFFFF;
    std::deque<std::uint32_t> m_childList;
    std::deque<std::vector<session::NodeId>> m_childLists;
    std::vector<session::NodeId> m_roots; // sorted (host items, when there are several hosts)
    std::vector<std::vector<session::NodeId>> m_hostChildren; // per host: its top processes, sorted
    std::vector<session::NodeId> m_added; // since the last flush
    ChangedNodes m_changed;
    std::vector<session::NodeId> m_linked;
    // Highlighting of new processes: node -> when it appeared, in insertion order.
    std::vector<std::pair<session::NodeId, qint64>> m_fresh;
    std::unordered_set<session::NodeId> m_freshSet;
    QElapsedTimer m_clock;
    QTimer m_highlightTimer;
    int m_highlightMs = 0;
};

} // namespace procscope::ui
