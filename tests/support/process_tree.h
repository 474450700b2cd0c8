// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A process's descendants, found by scanning /proc/*/stat for parent PIDs
// (/proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN, which not every kernel has), and
// killing them all.

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <algorithm>
#include <csignal>
#include <set>
#include <sys/types.h>
#include <vector>

namespace procscope::testing {

// The descendants of `root` at one moment; those that ended and wait to be reaped too if asked.
inline std::vector<pid_t> descendantsOf(pid_t root, bool zombiesToo = false)
{
    std::vector<std::pair<pid_t, pid_t>> parentOf; // (pid, ppid)
    const QStringList entries = QDir(u"/proc"_qs).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool numeric = false;
        const pid_t pid = entry.toInt(&numeric);
        QFile stat(u"/proc/"_qs + entry + u"/stat"_qs);
        if (!numeric || !stat.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold blanks and parentheses, so from the last ')'.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && (zombiesToo || fields[0] != "Z"))
            parentOf.emplace_back(pid, fields[1].toInt());
    }
    std::vector<pid_t> found { root };
    for (std::size_t next = 0; next < found.size(); ++next) {
        for (const auto& [pid, ppid] : parentOf) {
            if (ppid == found[next])
                found.push_back(pid);
        }
    }
    found.erase(found.begin());
    return found;
}

// SIGKILLs every descendant of `root` (not root itself) and returns them. Each is stopped first
// and the scan repeated until it finds no new one, so none can fork, or be reparented out of
// reach by its parent's death, between the scan and the kill.
inline std::set<pid_t> killDescendants(pid_t root)
{
    std::set<pid_t> stopped;
    for (bool grew = true; grew;) {
        grew = false;
        for (pid_t pid : descendantsOf(root)) {
            if (stopped.insert(pid).second) {
                ::kill(pid, SIGSTOP);
                grew = true;
            }
        }
    }
    for (pid_t pid : stopped)
        ::kill(pid, SIGKILL);
    return stopped;
}

// Waits until none of `pids` is left, not even as a zombie; false if some still are after `ms`.
// One whose parent was killed with it is reaped by init, which some containers' init does only
// every second or two.
inline bool waitUntilGone(const std::set<pid_t>& pids, int ms)
{
    QDeadlineTimer deadline(ms);
    for (;;) {
        const bool left = std::any_of(pids.begin(), pids.end(),
            [](pid_t pid) { return QFileInfo::exists(u"/proc/"_qs + QString::number(pid)); });
        if (!left || deadline.hasExpired())
            return !left;
        QThread::msleep(20);
    }
}

} // namespace procscope::testing
