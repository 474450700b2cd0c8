// SPDX-License-Identifier: GPL-3.0-or-later
#include "document/recovery_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace procscope::ui {

namespace {
constexpr qint64 kEmptyCapture = 16; // the preamble alone holds nothing worth recovering
}

RecoveryStore::RecoveryStore()
    : RecoveryStore(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/unsaved"_qs)
{
}

RecoveryStore::RecoveryStore(QString directory)
    : m_directory(std::move(directory))
{
}

RecoveryStore::~RecoveryStore() = default;

bool RecoveryStore::makeDirectory(QString* error)
{
    if (!QDir().mkpath(m_directory)) {
        if (error)
            *error = QCoreApplication::translate("RecoveryStore", "cannot create %1").arg(m_directory);
        return false;
    }
    QFile::setPermissions(m_directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

QString RecoveryStore::pagingDirectory() { return makeDirectory(nullptr) ? m_directory : QString(); }

QString RecoveryStore::create(QString* error)
{
    if (!makeDirectory(error))
        return {};
    const QString stem = m_directory + u"/capture-"_qs + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmmss"_qs) + u"-"_qs
        + QString::number(QCoreApplication::applicationPid());
    for (int n = 0; n < 100; ++n) {
        const QString path = stem + (n ? u"-%1"_qs.arg(n) : QString()) + u".pscap"_qs;
        if (QFile::exists(path))
            continue;
        auto lock = std::make_unique<QLockFile>(path + u".lock"_qs);
        lock->setStaleLockTime(0);
        if (!lock->tryLock(0))
            continue;
        m_locks[path] = std::move(lock);
        return path;
    }
    if (error)
        *error = QCoreApplication::translate("RecoveryStore", "no free file name in %1").arg(m_directory);
    return {};
}

QStringList RecoveryStore::orphans() const
{
    QStringList found;
    const QDir dir(m_directory);
    for (const QFileInfo& info : dir.entryInfoList({ u"*.pscap"_qs }, QDir::Files, QDir::Time | QDir::Reversed)) {
        const QString path = info.absoluteFilePath();
        if (m_locks.count(path))
            continue;
        if (info.size() <= kEmptyCapture) {
            continue;
        }
        QLockFile probe(path + u".lock"_qs);
        probe.setStaleLockTime(0);
        if (probe.tryLock(0)) { // nobody holds it: its window is gone
            probe.unlock();
            found << path;
        }
    }
    return found;
}

bool RecoveryStore::adopt(const QString& path)
{
    if (m_locks.count(path))
        return true;
    auto lock = std::make_unique<QLockFile>(path + u".lock"_qs);
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0))
        return false;
    m_locks[path] = std::move(lock);
    return true;
}

void RecoveryStore::discard(const QString& path)
{
    QFile::remove(path);
    m_locks.erase(path); // unlocks and removes the lock file
}

void RecoveryStore::release(const QString& path) { m_locks.erase(path); }

} // namespace procscope::ui
