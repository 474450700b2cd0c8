// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/welcome_page.h"

#include "mainwindow/capture_icons.h"

#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QStyle>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace procscope::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
    , m_sample(new QPushButton(tr("Open the &Sample Capture"), this))
    , m_note(new QLabel(this))
    , m_recentTitle(new QLabel(tr("Recent captures:"), this))
{
    setObjectName(u"welcomePage"_qs);
    auto* title = new QLabel(u"<h1>Procscope</h1><p>%1</p>"_qs.arg(tr("See every process start, run and end on this machine, live from the kernel.").toHtmlEscaped()), this);
    title->setTextFormat(Qt::RichText);
    auto* start = new QPushButton(startCaptureIcon(), tr("S&tart Capture"), this);
    start->setObjectName(u"welcomeStart"_qs);
    start->setDefault(true);
    start->setToolTip(tr("Capture process events now (Ctrl+E)"));
    QFont bold = start->font();
    bold.setBold(true);
    start->setFont(bold);
    start->setMinimumHeight(start->sizeHint().height() * 3 / 2); // the first thing to do here
    auto* open = new QPushButton(tr("&Open a Capture File..."), this);
    open->setToolTip(tr("Open a saved capture (Ctrl+O)"));
    m_sample->setToolTip(tr("A recorded build, to explore Procscope without capturing"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_recentTitle->setBuddy(m_recent);
    m_recent->setAccessibleName(tr("Recent captures"));
    m_recent->setMaximumHeight(180);
    auto* hint = new QLabel(tr("Capture files (.pscap) can also be dropped on this window."), this);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setWordWrap(true);

    // Each action with its shortcut beside it, as a menu shows them.
    const auto shortcut = [this](const QString& keys) {
        auto* label = new QLabel(keys, this);
        label->setForegroundRole(QPalette::PlaceholderText);
        label->setMinimumWidth(label->fontMetrics().horizontalAdvance(u"Ctrl+O"_qs) + 12);
        return label;
    };
    auto* actions = new QGridLayout;
    actions->setHorizontalSpacing(12);
    actions->addWidget(start, 0, 0);
    actions->addWidget(shortcut(tr("Ctrl+E")), 0, 1);
    actions->addWidget(m_note, 1, 0);
    actions->addWidget(open, 2, 0);
    actions->addWidget(shortcut(tr("Ctrl+O")), 2, 1);
    actions->addWidget(m_sample, 3, 0);
    actions->setRowMinimumHeight(1, 8);

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addSpacing(12);
    column->addLayout(actions);
    column->addSpacing(16);
    column->addWidget(m_recentTitle);
    column->addWidget(m_recent);
    column->addWidget(hint);
    auto* outer = new QHBoxLayout(this);
    outer->addStretch(1);
    auto* middle = new QVBoxLayout;
    middle->addStretch(1);
    middle->addLayout(column);
    middle->addStretch(2);
    outer->addLayout(middle, 2);
    outer->addStretch(1);

    connect(start, &QPushButton::clicked, this, &WelcomePage::startCaptureRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(m_sample, &QPushButton::clicked, this, &WelcomePage::openSampleRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) { emit openFileRequested(item->data(Qt::UserRole).toString()); });
}

void WelcomePage::setRecentFiles(const QStringList& files)
{
    m_recent->clear();
    for (const QString& file : files) {
        auto* item = new QListWidgetItem(QFileInfo(file).fileName() + u"  \u2014  "_qs + QDir::toNativeSeparators(QFileInfo(file).absolutePath()), m_recent);
        item->setData(Qt::UserRole, file);
        item->setToolTip(file);
    }
    // Nothing to show yet: no empty box.
    m_recent->setVisible(!files.isEmpty());
    m_recentTitle->setVisible(!files.isEmpty());
}

void WelcomePage::setCaptureNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void WelcomePage::setSampleAvailable(bool available) { m_sample->setVisible(available); }

} // namespace procscope::ui
