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
    // Whether the rows shown go through the proxy (sorted or filtered), not the model's own.
    bool showsThroughProxy() const;
    session::NodeId currentNode() const;
    void selectNode(session::NodeId node);
    // A header saved with saveState(): a sort it holds is applied, through the proxy.
    void restoreHeader(const QByteArray& state);

signals:
    void currentNodeChanged(session::NodeId node);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onFilterApplied();
    void refilter();
    bool needsProxy() const; // sorted, or a display filter applies
    void showThroughProxy(bool throughProxy);
    void followCurrentRow();

    CaptureDocument* m_document;
    ProcessTableFilter* m_proxy;
    // A display filter applied while the table was hidden: every process is looked at again
    // when it is shown, not each time a filter is typed elsewhere.
    bool m_refilterWhenShown = false;
};

} // namespace procscope::ui
