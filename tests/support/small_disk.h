// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A tiny file system of its own for a test (a tmpfs of a few MiB, mounted as root and gone
// with the object): a disk that fills up, without touching the machine's disks.

#include <QString>
#include <QTemporaryDir>
#include <cerrno>
#include <cstring>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

namespace procscope::testing {

class SmallDisk {
public:
    explicit SmallDisk(std::size_t kib)
    {
        if (::geteuid() != 0) {
            m_problem = u"mounting a small tmpfs needs root"_qs;
            return;
        }
        const std::string options = "size=" + std::to_string(kib) + "k,mode=0700";
        if (::mount("tmpfs", QFile::encodeName(m_dir.path()).constData(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
            m_problem = u"cannot mount a tmpfs here: "_qs + QString::fromLocal8Bit(std::strerror(errno));
            return;
        }
        m_mounted = true;
    }
    ~SmallDisk()
    {
        if (m_mounted)
            ::umount2(QFile::encodeName(m_dir.path()).constData(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    bool mounted() const { return m_mounted; }
    // Why there is no small disk (for QSKIP).
    const QString& problem() const { return m_problem; }
    QString filePath(const QString& name) const { return m_dir.filePath(name); }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_problem;
};

} // namespace procscope::testing
