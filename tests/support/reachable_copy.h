// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Tests that run one of our programs as another user (nobody, polkit test users) cannot run it
// from the build tree: a clone may live where only its owner can go (a 0700 home directory,
// a `mktemp -d` directory). They run a copy in a fresh directory every user can enter.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QTemporaryDir>
#include <sys/stat.h>

namespace procscope::testing {

class ReachableCopy {
public:
    explicit ReachableCopy(const QString& program)
        : m_dir(u"/var/tmp/procscope-test-XXXXXX"_qs)
    {
        const QString name = QFileInfo(program).fileName();
        if (!m_dir.isValid()) {
            m_error = u"cannot create a directory under /var/tmp: "_qs + m_dir.errorString();
            return;
        }
        // QTemporaryDir makes it 0700; others must be able to enter it and run what it holds.
        if (::chmod(QFile::encodeName(m_dir.path()).constData(), 0755) != 0) {
            m_error = u"cannot make %1 reachable"_qs.arg(m_dir.path());
            return;
        }
        const QString copy = m_dir.filePath(name);
        if (!QFile::copy(program, copy) || ::chmod(QFile::encodeName(copy).constData(), 0755) != 0) {
            m_error = u"cannot copy %1 to %2"_qs.arg(program, copy);
            return;
        }
        m_path = QFile::encodeName(copy);
    }

    bool ok() const { return m_error.isEmpty(); }
    const QString& error() const { return m_error; }
    const char* path() const { return m_path.constData(); }
    QString directory() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir; // removed with its copy when the test is done
    QString m_error;
    QByteArray m_path;
};

} // namespace procscope::testing
