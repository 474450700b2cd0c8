// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/display_filter.h"

#include <QStringList>
#include <QWidget>
#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QToolButton;

namespace procscope::ui {

class DisplayFilterState;

// The display-filter bar: checks the expression as it is typed (green when it compiles; red,
// with the parser's message and the offending text marked, when it does not), applies it on
// Enter, keeps a history of applied filters (remembered across runs; Up and Down walk it),
// shows progress while a long filter runs and how many events match.
class FilterBar : public QWidget {
    Q_OBJECT
public:
    explicit FilterBar(DisplayFilterState* state, QWidget* parent = nullptr);

    QLineEdit* field() const { return m_edit; }
    QString errorText() const;
    const QStringList& history() const { return m_history; }

    // Puts `expression` in the field; applies it when `apply` (else the user reviews it first).
    void setExpression(const QString& expression, bool apply);
    void applyCurrent();
    void clearFilter();
    void focusField();

private:
    bool validate(); // true when the text compiles (or is empty)
    void updateSummary();
    void remember(const QString& expression);
    bool eventFilter(QObject* watched, QEvent* event) override;

    DisplayFilterState* m_state;
    QLineEdit* m_edit;
    QLabel* m_message;
    QProgressBar* m_progress;
    QToolButton* m_historyButton;
    QStringList m_history;
    int m_historyAt = -1;
    std::optional<session::FilterError> m_error;
};

} // namespace procscope::ui
