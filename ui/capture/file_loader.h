// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "capture/record_queue.h"
#include "session/capture_loader.h"
#include "session/session.h"

#include <QMutex>
#include <QString>
#include <QThread>
#include <atomic>
#include <vector>

namespace procscope::ui {

// Reads a capture file on a worker thread and decodes it into records that the UI thread takes
// in batches (takeRecords) and applies at its own pace, as it does a live capture's: a large
// file shows its first events and its tree at once and fills in while it loads. The worker
// stays at most kMaxWaiting records ahead, so reading never outruns memory. Reports progress
// and honours cancel().
class FileLoader : public QThread
{
    Q_OBJECT
public:
    static constexpr std::size_t kMaxWaiting = 1 << 16;

    explicit FileLoader(QString path, QObject* parent = nullptr);
    ~FileLoader() override;

    void cancel();
    bool cancelled() const { return m_cancelled; }
    const QString& path() const { return m_path; }

    // The records decoded since the last call, and the damaged records skipped meanwhile.
    std::vector<capture::Record> takeRecords();
    session::DamageTally takeDamage();
    // After finished(): what went wrong, as one sentence for the window (empty when the file
    // was read whole). `gotHeader`: whether the file began as a capture does.
    QString problem(bool gotHeader, std::uint64_t damagedRecords, const QString& firstDamage) const;

signals:
    void progress(qint64 done, qint64 total);
    void recordsReady(); // the first record of a new batch is waiting

protected:
    void run() override;

private:
    QString m_path;
    std::atomic<bool> m_cancelled { false };
    std::atomic<bool> m_cutShort { false }; // cancelled before the end of the file was read
    QMutex m_mutex;
    RecordQueue m_queue { kMaxWaiting };
    session::DamageTally m_damage;
    session::LoadResult m_result;
};

} // namespace procscope::ui
