// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/message_bar.h"

#include <QAccessible>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace procscope::ui {

MessageBar::MessageBar(QWidget* parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_buttons(new QHBoxLayout)
{
    setObjectName(u"messageBar"_qs);
    setAccessibleName(tr("Message"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setObjectName(u"messageText"_qs);
    auto* close = new QToolButton(this);
    close->setText(u"\u2715"_qs);
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    close->setAccessibleName(tr("Dismiss message"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addLayout(m_buttons);
    layout->addWidget(close);
    connect(close, &QToolButton::clicked, this, &MessageBar::dismiss);
    hide();
}

void MessageBar::showMessage(const QString& text, Level level, const std::vector<Action>& actions)
{
    m_level = level;
    m_label->setText(text);
    while (QLayoutItem* item = m_buttons->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const auto& [label, run] : actions) {
        auto* button = new QPushButton(label, this);
        connect(button, &QPushButton::clicked, this, [this, run] {
            dismiss();
            run();
        });
        m_buttons->addWidget(button);
    }
    struct Colours {
        const char* background;
        const char* text;
        const char* border;
    };
    const Colours c = level == Level::Error ? Colours { "#fde7e7", "#8a1010", "#e0a0a0" }
        : level == Level::Warning          ? Colours { "#fff4d6", "#5c4200", "#e6c874" }
                                           : Colours { "#e3effd", "#0d3b6e", "#a8c8ee" };
    setStyleSheet(u"#messageBar { background: %1; border: 1px solid %3; border-radius: 4px; }"
                  " #messageBar QLabel { color: %2; background: transparent; border: none; }"_qs.arg(
                      QLatin1String(c.background), QLatin1String(c.text), QLatin1String(c.border)));
    show();
    QAccessibleEvent event(m_label, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
}

void MessageBar::dismiss() { hide(); }

QString MessageBar::text() const { return isVisibleTo(parentWidget()) ? m_label->text() : QString(); }

} // namespace procscope::ui
