// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/file_loader.h"

#include <QFile>

namespace procscope::ui {

FileLoader::FileLoader(QString path, QObject* parent)
    : QThread(parent)
    , m_path(std::move(path))
{
}

FileLoader::~FileLoader()
{
    cancel();
    wait();
}

void FileLoader::run()
{
    m_session = std::make_unique<session::Session>();
    m_result = session::loadCapture(QFile::encodeName(m_path).toStdString(), *m_session, [this](std::uint64_t done, std::uint64_t total) {
        emit progress(static_cast<qint64>(done), static_cast<qint64>(total));
        return !m_cancelled.load();
    });
    m_readHeader = m_session->header().has_value();
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
    if (!m_result.skipped.empty())
        return tr("%1: %2 damaged record(s) were skipped; the first: %3")
            .arg(m_path)
            .arg(m_result.skipped.size())
            .arg(QString::fromStdString(m_result.skipped.front().message()));
    return {};
}

} // namespace procscope::ui
