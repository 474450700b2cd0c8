// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <QTimer>
#include <QTreeWidget>

namespace procscope::ui {

class CaptureDocument;

// The session's statistics: events by type, processes, top programs executed, top parents by
// children, failures (non-zero exits, signals, core dumps), credential changes and losses.
// Activating a row (Enter or double-click) applies the filter that selects it, or selects the
// process it names.
class StatisticsView : public QTreeWidget {
    Q_OBJECT
public:
    enum Role { FilterRole = Qt::UserRole + 1, NodeRole };

    explicit StatisticsView(CaptureDocument* document, QWidget* parent = nullptr);
    void refresh();
    // The row whose first column starts with `label` under the section `section`, or null.
    QTreeWidgetItem* find(const QString& section, const QString& label) const;

protected:
    void showEvent(QShowEvent* event) override;

signals:
    void filterRequested(const QString& expression);
    void nodeRequested(session::NodeId node);

private:
    CaptureDocument* m_document;
    QTimer m_refreshTimer;
    bool m_stale = true;
};

} // namespace procscope::ui
