// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "session/capture_loader.h"
#include "session/session.h"

#include <QString>
#include <QThread>
#include <atomic>
#include <memory>

namespace procscope::ui {

// Opens a capture file on a worker thread into a new Session, reporting progress and honouring
// cancel(); the UI thread takes the finished session (takeSession) when finished() arrives.
class FileLoader : public QThread {
    Q_OBJECT
public:
    // `pagingDirectory`: where the session pages its event rows (see session::EventStore).
    explicit FileLoader(QString path, QString pagingDirectory = {}, QObject* parent = nullptr);
    ~FileLoader() override;

    void cancel() { m_cancelled = true; }
    bool cancelled() const { return m_cancelled; }
    const QString& path() const { return m_path; }

    // After finished(): the session (everything read before any damage) and what went wrong.
    std::unique_ptr<session::Session> takeSession() { return std::move(m_session); }
    const session::LoadResult& result() const { return m_result; }
    // One sentence for the window, or empty when the file was read whole.
    QString problem() const;

signals:
    void progress(qint64 done, qint64 total);

protected:
    void run() override;

private:
    QString m_path;
    QString m_pagingDirectory;
    std::atomic<bool> m_cancelled { false };
    std::unique_ptr<session::Session> m_session;
    session::LoadResult m_result;
    bool m_readHeader = false;
    std::uint64_t m_damagedRecords = 0;
    QString m_firstDamage;
};

} // namespace procscope::ui
