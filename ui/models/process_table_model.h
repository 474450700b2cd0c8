// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/changed_nodes.h"
#include "models/item_roles.h"
#include "session/session.h"

#include <QAbstractTableModel>
#include <vector>

namespace procscope::ui {

// One row per process lifetime (a lineage node), in the order they became known; sorted and
// filtered through ProcessTableFilter. Live: flush() appends the new nodes with one
// beginInsertRows and sends dataChanged for the changed ones.
class ProcessTableModel : public QAbstractTableModel, public session::LineageListener {
    Q_OBJECT
public:
    // Cpu to TreeWritten follow CostColumn's order.
    enum Column { Name, Pid, Ppid, User, Started, Ended, Duration, Status, Execs, Children, Threads, Cpu, TreeCpu, Memory, TreeMemory,
        Read, TreeRead, Written, TreeWritten, CommandLine, Host, ColumnCount }; // Host: see EventTableModel

    explicit ProcessTableModel(QObject* parent = nullptr);
    ~ProcessTableModel() override;

    void setSession(session::Session* session);
    void flush();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void nodeAdded(session::NodeId) override {}
    void nodeChanged(session::NodeId node) override { m_changed.add(node); }
    void childAdded(session::NodeId parent, session::NodeId) override { m_changed.add(parent); }

private:
    static QVariant alignment(int column); // of cells and their heading
    QVariant value(session::NodeId id, int column, bool forSorting) const;

    session::Session* m_session = nullptr;
    std::size_t m_rows = 0;
    ChangedNodes m_changed;
};

} // namespace procscope::ui
