// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <QTableView>

namespace procscope::ui {

class CaptureDocument;
class ProcessTableFilter;

// One row per process lifetime, sortable by any column, limited by the display filter.
class ProcessTableView : public QTableView {
    Q_OBJECT
public:
    explicit ProcessTableView(CaptureDocument* document, QWidget* parent = nullptr);
    ProcessTableFilter* proxy() const { return m_proxy; }
    session::NodeId currentNode() const;
    void selectNode(session::NodeId node);

signals:
    void currentNodeChanged(session::NodeId node);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onFilterApplied();

    CaptureDocument* m_document;
    ProcessTableFilter* m_proxy;
    // A display filter applied while the table was hidden: every process is looked at again
    // when it is shown, not each time a filter is typed elsewhere.
    bool m_refilterWhenShown = false;
};

} // namespace procscope::ui
