// SPDX-License-Identifier: GPL-3.0-or-later
#include "capture/file_loader.h"

#include <QFile>
#include <climits>

namespace procscope::ui {

namespace {
constexpr std::size_t kBatch = 4096; // records handed over at once (one lock each)
}

FileLoader::FileLoader(QString path, QObject* parent)
    : QThread(parent)
    , m_path(std::move(path))
{ }

FileLoader::~FileLoader()
{
    cancel();
    wait();
}

void FileLoader::cancel()
{
    m_cancelled = true;
    m_queue.wake();
}

std::vector<capture::Record> FileLoader::takeRecords()
{
    return m_queue.take();
}

session::DamageTally FileLoader::takeDamage()
{
    QMutexLocker lock(&m_mutex);
    return std::exchange(m_damage, {});
}

void FileLoader::run()
{
    std::vector<capture::Record> batch;
    batch.reserve(kBatch);
    session::CaptureIngest ingest(
        [&](capture::Record& record) {
            batch.push_back(std::move(record));
            if (batch.size() >= kBatch && m_queue.push(batch, &m_cancelled))
                emit recordsReady();
        },
        [this](const capture::DecodeError& error) {
            QMutexLocker lock(&m_mutex);
            m_damage.note(error); // a count and the first few: a file may be damaged throughout
        });
    m_result = session::readCapture(QFile::encodeName(m_path).toStdString(), ingest,
        [&](std::uint64_t done, std::uint64_t total) {
            emit progress(static_cast<qint64>(done), static_cast<qint64>(total));
            m_cutShort = m_cancelled.load();
            return !m_cutShort;
        });
    if (!batch.empty() && m_queue.push(batch, &m_cancelled))
        emit recordsReady();
}

QString FileLoader::problem(
    bool gotHeader, std::uint64_t damagedRecords, const QString& firstDamage) const
{
    if (m_cutShort)
        return gotHeader
            ? tr("Opening %1 was cancelled: what was read until then is shown.").arg(m_path)
            : tr("Opening %1 was cancelled.").arg(m_path);
    if (m_result.ioError)
        return QString::fromStdString(*m_result.ioError);
    if (m_result.damage) {
        return (gotHeader ? tr("%1 is damaged: %2. Everything before the damage is shown.")
                          : tr("%1 could not be read: %2"))
            .arg(m_path, QString::fromStdString(m_result.damage->message()));
    }
    if (damagedRecords != 0)
        return tr("%1: %2 damaged records were skipped (the rest is shown); the first: %3", nullptr,
            static_cast<int>(std::min<std::uint64_t>(damagedRecords, INT_MAX)))
            .arg(m_path)
            .arg(damagedRecords)
            .arg(firstDamage);
    return {};
}

} // namespace procscope::ui
