// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/file_loader.h"

#include <QFile>

namespace procscope::ui {

FileLoader::FileLoader(QString path, QString pagingDirectory, QObject* parent)
    : QThread(parent)
    , m_path(std::move(path))
    , m_pagingDirectory(std::move(pagingDirectory))
{
}

FileLoader::~FileLoader()
{
    cancel();
    wait();
}

void FileLoader::run()
{
    m_session = std::make_unique<session::Session>(QFile::encodeName(m_pagingDirectory).toStdString());
    m_result = session::loadCapture(QFile::encodeName(m_path).toStdString(), *m_session, [this](std::uint64_t done, std::uint64_t total) {
        emit progress(static_cast<qint64>(done), static_cast<qint64>(total));
        return !m_cancelled.load();
    });
    m_readHeader = m_session->header().has_value();
    m_damagedRecords = m_session->damage().records;
    if (!m_session->damage().first.empty())
        m_firstDamage = QString::fromStdString(m_session->damage().first.front().message());
}

QString FileLoader::problem() const
{
    if (m_cancelled)
        return tr("Opening %1 was cancelled.").arg(m_path);
    if (m_result.ioError)
        return QString::fromStdString(*m_result.ioError);
    if (m_result.damage) {
        const bool nothing = !m_readHeader;
        return (nothing ? tr("%1 could not be read: %2") : tr("%1 is damaged: %2. Everything before the damage is shown."))
            .arg(m_path, QString::fromStdString(m_result.damage->message()));
    }
    if (m_damagedRecords != 0)
        return tr("%1: %2 damaged records were skipped (the rest is shown); the first: %3", nullptr, static_cast<int>(std::min<std::uint64_t>(m_damagedRecords, INT_MAX)))
            .arg(m_path)
            .arg(m_damagedRecords)
            .arg(m_firstDamage);
    return {};
}

} // namespace procscope::ui
