// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLockFile>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>

namespace procscope::ui {

// Live captures are written as they arrive to files in the user's cache directory, each held
// by a lock while its window runs. A file whose lock is free was left by a window that ended
// without saving or discarding it (a crash, a logout): the next start offers to recover it.
class RecoveryStore {
public:
    RecoveryStore();
    explicit RecoveryStore(QString directory);
    ~RecoveryStore();

    const QString& directory() const { return m_directory; }
    // Where the event rows of an open capture are paged (unnamed files, gone with the window):
    // the directory itself, made private; empty when it cannot be made.
    QString pagingDirectory();
    // A new file for a live capture, locked by this process; empty (and `error` set) on failure.
    QString create(QString* error = nullptr);
    // Files left behind by windows that are gone (not locked by a running one), oldest first.
    QStringList orphans() const;
    // Take over an orphan (lock it), so it is ours to keep or discard.
    bool adopt(const QString& path);
    // Delete a capture file we hold (saved elsewhere, or discarded).
    void discard(const QString& path);
    // Let go of a file without deleting it (kept for recovery).
    void release(const QString& path);

private:
    bool makeDirectory(QString* error);

    QString m_directory;
    std::map<QString, std::unique_ptr<QLockFile>> m_locks;
};

} // namespace procscope::ui
