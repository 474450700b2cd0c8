// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>
#include <functional>
#include <utility>
#include <vector>

class QHBoxLayout;
class QLabel;

namespace procscope::ui {

// A line across the top of the window for what the user must know (a failed capture, a
// damaged file, a capture to recover), with optional buttons; never a modal box that would
// block a live capture.
class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    using Action = std::pair<QString, std::function<void()>>;

    explicit MessageBar(QWidget* parent = nullptr);
    void showMessage(const QString& text, Level level, const std::vector<Action>& actions = {});
    void dismiss();
    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel* m_label;
    QHBoxLayout* m_buttons;
    Level m_level = Level::Info;
};

} // namespace procscope::ui
