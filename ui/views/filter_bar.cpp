// SPDX-License-Identifier: GPL-3.0-or-later
#include "views/filter_bar.h"

#include "models/display_filter_state.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QToolButton>

namespace procscope::ui {

namespace {
constexpr int kHistorySize = 30;
const QString kHistoryKey = QStringLiteral("filter/history");
} // namespace

FilterBar::FilterBar(DisplayFilterState* state, QWidget* parent)
    : QWidget(parent)
    , m_state(state)
    , m_edit(new QLineEdit(this))
    , m_message(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_historyButton(new QToolButton(this))
{
    setObjectName(u"filterBar"_qs);
    m_edit->setObjectName(u"filterField"_qs);
    m_edit->setPlaceholderText(tr("Display filter, e.g. type == exec and argv contains \"make\" (Ctrl+/)"));
    m_edit->setAccessibleName(tr("Display filter"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_message->setObjectName(u"filterMessage"_qs);
    m_message->setAccessibleName(tr("Display filter status"));
    m_message->setTextFormat(Qt::RichText);
    m_progress->setMaximumWidth(120);
    m_progress->setRange(0, 100);
    m_progress->setAccessibleName(tr("Filtering progress"));
    m_progress->hide();
    m_historyButton->setText(tr("History \u25BE"));
    m_historyButton->setAccessibleName(tr("Filter history"));
    m_historyButton->setStyleSheet(u"QToolButton::menu-indicator { image: none; width: 0px; }"_qs); // the text has its own arrow, with room
    m_historyButton->setToolTip(tr("Filters applied before (Up and Down in the field walk them)"));
    m_historyButton->setPopupMode(QToolButton::InstantPopup);
    m_historyButton->setMenu(new QMenu(m_historyButton));
    auto* apply = new QPushButton(tr("Apply"), this);
    apply->setToolTip(tr("Apply the filter (Enter)"));
    auto* label = new QLabel(tr("&Filter:"), this);
    label->setBuddy(m_edit);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(label);
    layout->addWidget(m_edit, 3);
    layout->addWidget(apply);
    layout->addWidget(m_historyButton);
    layout->addWidget(m_progress);
    layout->addWidget(m_message, 2);

    m_history = QSettings().value(kHistoryKey).toStringList();
    connect(m_historyButton->menu(), &QMenu::aboutToShow, this, [this] {
        QMenu* menu = m_historyButton->menu();
        menu->clear();
        for (const QString& entry : std::as_const(m_history))
            menu->addAction(entry, this, [this, entry] { setExpression(entry, true); });
        if (m_history.isEmpty())
            menu->addAction(tr("(no filters applied yet)"))->setEnabled(false);
    });
    connect(m_edit, &QLineEdit::textChanged, this, [this] {
        validate();
        m_historyAt = -1;
    });
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::applyCurrent);
    connect(apply, &QPushButton::clicked, this, &FilterBar::applyCurrent);
    connect(state, &DisplayFilterState::progress, this, [this](int percent) {
        m_progress->setValue(percent);
        m_progress->setVisible(m_state->busy());
    });
    connect(state, &DisplayFilterState::applied, this, [this] {
        m_progress->hide();
        updateSummary();
    });
    connect(state, &DisplayFilterState::rowsMatched, this, &FilterBar::updateSummary);
    connect(state, &DisplayFilterState::requested, this, &FilterBar::setExpression);
    validate();
}

bool FilterBar::validate()
{
    const QString text = m_edit->text();
    m_error.reset();
    if (text.trimmed().isEmpty()) {
        m_edit->setStyleSheet({});
        updateSummary();
        return true;
    }
    auto compiled = session::DisplayFilter::compile(text.toStdString());
    if (const auto* error = std::get_if<session::FilterError>(&compiled)) {
        m_error = *error;
        m_edit->setStyleSheet(u"QLineEdit { background: #fbd5d5; color: #5a0000; }"_qs);
        // The expression with the offending text marked, then the parser's message.
        const int at = std::clamp(static_cast<int>(error->column) - 1, 0, static_cast<int>(text.size()));
        const QString marked = text.left(at).toHtmlEscaped() + u"<b style=\"color:#c00000; text-decoration:underline\">"_qs
            + (at < text.size() ? text.mid(at, 1).toHtmlEscaped() : u"\u2038"_qs) + u"</b>"_qs + text.mid(at + 1).toHtmlEscaped();
        m_message->setText(u"<span style=\"color:#c00000\">%1</span> &nbsp; <tt>%2</tt>"_qs.arg(
            QString::fromStdString(error->describe()).toHtmlEscaped(), marked));
        m_message->setToolTip(QString::fromStdString(error->describe()));
        m_message->setAccessibleDescription(QString::fromStdString(error->describe()));
        return false;
    }
    m_edit->setStyleSheet(u"QLineEdit { background: #d9f5d9; color: #003300; }"_qs);
    updateSummary();
    return true;
}

QString FilterBar::errorText() const { return m_error ? QString::fromStdString(m_error->describe()) : QString(); }

void FilterBar::updateSummary()
{
    if (m_error)
        return;
    m_message->setToolTip({});
    if (!m_state->active()) {
        m_message->setText(m_edit->text().trimmed().isEmpty() ? QString() : tr("Press Enter to apply"));
        return;
    }
    const QString applied = m_state->text();
    m_message->setText(tr("%1 matching events").arg(QLocale().toString(qulonglong(m_state->matchCount())))
        + (applied != m_edit->text() ? tr(" (for the applied filter; Enter applies this one)") : QString()));
    m_message->setAccessibleDescription(m_message->text());
}

void FilterBar::applyCurrent()
{
    const QString text = m_edit->text();
    if (!validate()) {
        // Leave the expression as it is, with the cursor on the offending text.
        m_edit->setFocus();
        m_edit->setSelection(std::clamp(static_cast<int>(m_error->column) - 1, 0, static_cast<int>(text.size())), 1);
        return;
    }
    if (text.trimmed().isEmpty()) {
        m_state->clear();
        return;
    }
    auto compiled = session::DisplayFilter::compile(text.toStdString());
    auto filter = std::make_shared<session::DisplayFilter>(std::move(std::get<session::DisplayFilter>(compiled)));
    remember(text);
    m_state->apply(std::move(filter), text);
}

void FilterBar::clearFilter()
{
    m_edit->clear();
    m_state->clear();
}

void FilterBar::setExpression(const QString& expression, bool apply)
{
    m_edit->setText(expression);
    if (apply)
        applyCurrent();
    else
        focusField();
}

void FilterBar::focusField()
{
    m_edit->setFocus();
    m_edit->selectAll();
}

void FilterBar::remember(const QString& expression)
{
    m_history.removeAll(expression);
    m_history.prepend(expression);
    while (m_history.size() > kHistorySize)
        m_history.removeLast();
    QSettings().setValue(kHistoryKey, m_history);
}

bool FilterBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if ((key == Qt::Key_Up || key == Qt::Key_Down) && !m_history.isEmpty()) {
            m_historyAt = std::clamp(m_historyAt + (key == Qt::Key_Up ? 1 : -1), -1, static_cast<int>(m_history.size()) - 1);
            const QSignalBlocker block(m_edit);
            m_edit->setText(m_historyAt < 0 ? QString() : m_history[m_historyAt]);
            validate();
            return true;
        }
        if (key == Qt::Key_Escape) {
            clearFilter();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace procscope::ui
