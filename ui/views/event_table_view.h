// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/event_store.h"

#include <QWidget>
#include <functional>
#include <array>

class QTableView;
class QCheckBox;

namespace procscope::ui {

class CaptureDocument;

// Every event, newest last, with a toggle per event kind. When the view is scrolled to the
// bottom it stays there as events arrive (like a terminal); scrolled up, it stays put.
class EventTableView : public QWidget {
    Q_OBJECT
public:
    explicit EventTableView(CaptureDocument* document, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    void setKindMask(std::uint32_t mask);
    std::uint32_t kindMask() const;
    // Several hosts: each host's events together, or all in the order they happened.
    void setGroupByHost(bool grouped);

signals:
    void nodeActivated(session::NodeId node);

private:
    void applyToggles();
    void keepingTheSelection(const std::function<void()>& change);

    CaptureDocument* m_document;
    QTableView* m_table;
    std::array<QCheckBox*, session::kEventKindCount> m_toggles {};
    bool m_stickToBottom = true;
};

} // namespace procscope::ui
