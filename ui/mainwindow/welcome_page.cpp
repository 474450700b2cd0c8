// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/welcome_page.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace procscope::ui {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
    , m_recent(new QListWidget(this))
    , m_sample(new QPushButton(tr("Open the &sample capture"), this))
    , m_note(new QLabel(this))
{
    setObjectName(u"welcomePage"_qs);
    auto* title = new QLabel(tr("<h1>Procscope</h1><p>See every process start, run and end on this machine, live from the kernel.</p>"), this);
    title->setTextFormat(Qt::RichText);
    auto* start = new QPushButton(tr("Start &capture"), this);
    start->setDefault(true);
    start->setToolTip(tr("Capture process events now (Ctrl+E)"));
    auto* open = new QPushButton(tr("&Open a capture file..."), this);
    open->setToolTip(tr("Open a saved capture (Ctrl+O)"));
    m_sample->setToolTip(tr("A recorded build, to explore Procscope without capturing"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    auto* recentTitle = new QLabel(tr("Recent captures:"), this);
    recentTitle->setBuddy(m_recent);
    m_recent->setAccessibleName(tr("Recent captures"));
    m_recent->setMaximumHeight(180);

    auto* column = new QVBoxLayout;
    column->addWidget(title);
    column->addSpacing(12);
    column->addWidget(start);
    column->addWidget(m_note);
    column->addWidget(open);
    column->addWidget(m_sample);
    column->addSpacing(12);
    column->addWidget(recentTitle);
    column->addWidget(m_recent);
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
    if (files.isEmpty())
        new QListWidgetItem(tr("(none yet)"), m_recent);
    m_recent->setEnabled(!files.isEmpty());
}

void WelcomePage::setCaptureNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

void WelcomePage::setSampleAvailable(bool available) { m_sample->setVisible(available); }

} // namespace procscope::ui
