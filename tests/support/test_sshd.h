// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A private OpenSSH server for integration tests: /usr/sbin/sshd on a free port of 127.0.0.1,
// its keys, configuration, log and pid file in a temporary directory, all gone with the object.
// The client side is a config file and an `ssh` wrapper in binDirectory() that uses it. OpenSSH
// finds ~ through the password database, not $HOME, so putting binDirectory() first on PATH is
// how a test points `ssh`, and anything that runs `ssh`, at this server and nothing else.

#include "process_tree.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <pwd.h>
#include <shadow.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace procscope::testing {

// A port of 127.0.0.1 that nothing listens on at the moment (the kernel's pick for port 0), or 0.
inline quint16 unusedLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    quint16 port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port = ntohs(address.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

class TestSshd
{
public:
    TestSshd() = default;
    ~TestSshd() { stop(); }
    TestSshd(const TestSshd&) = delete;
    TestSshd& operator=(const TestSshd&) = delete;

    // Why no sshd can run here, for QSKIP; empty when one can.
    static QString unavailableReason()
    {
        // sshd switches to the user who logs in and chroots its pre-authentication child.
        if (::geteuid() != 0)
            return u"a private sshd needs root"_qs;
        for (const QString& tool : { sshdPath(), keygenPath(), sshPath() }) {
            if (!QFileInfo(tool).isExecutable())
                return tool + u" is missing (Debian: openssh-server)"_qs;
        }
        if (::getpwnam("sshd") == nullptr)
            return u"sshd's privilege separation user `sshd` is missing (openssh-server adds it)"_qs;
        // Without PAM, sshd refuses every login to an account whose password is locked.
        if (const spwd* root = ::getspnam("root"); root && root->sp_pwdp && root->sp_pwdp[0] == '!')
            return u"root's password is locked ('!' in /etc/shadow), so sshd refuses root logins"_qs;
        return {};
    }

    bool start(QString* whyNot)
    {
        if (const QString reason = unavailableReason(); !reason.isEmpty())
            return fail(whyNot, reason);
        // sshd_config and ssh_config split on blanks and expand % and ~ in some paths.
        if (!m_dir.isValid()
            || !QRegularExpression(u"^[A-Za-z0-9/._+-]+$"_qs).match(m_dir.path()).hasMatch())
            return fail(whyNot,
                u"no temporary directory whose path a config file can hold: "_qs + m_dir.path());
        // sshd reads authorized_keys as the user logging in: any user may reach it. The
        // private keys stay 0600.
        QFile::setPermissions(m_dir.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ExeGroup
                | QFile::ExeOther);
        if (!makePrivilegeSeparationDirectory(whyNot)
            || !generateKey(path(u"host_ed25519"_qs), whyNot)
            || !generateKey(path(u"client_ed25519"_qs), whyNot))
            return false;
        m_hostKey = publicKey(u"host_ed25519"_qs);
        if (!writeFile(path(u"authorized_keys"_qs), publicKey(u"client_ed25519"_qs) + u'\n')
            || !QFile::setPermissions(path(u"authorized_keys"_qs),
                QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther))
            return fail(whyNot, u"cannot write authorized_keys"_qs);
        // The free port is released before sshd binds it: another process may take it meanwhile.
        for (int attempt = 0; attempt < 3; ++attempt) {
            m_port = unusedLoopbackPort();
            if (m_port == 0)
                return fail(whyNot, u"no free port on 127.0.0.1"_qs);
            if (!writeServerConfig())
                return fail(whyNot, u"cannot write sshd_config"_qs);
            if (startServer())
                return writeClientSide()
                    || fail(whyNot, u"cannot write the client configuration"_qs);
            const QString log = this->log();
            stop();
            if (!log.contains(u"Address already in use"_qs))
                return fail(whyNot, u"sshd did not come up on port %1:\n"_qs.arg(m_port) + log);
        }
        return fail(whyNot, u"sshd found every port it tried taken"_qs);
    }

    quint16 port() const { return m_port; }
    QString binDirectory() const { return path(u"bin"_qs); }
    QString clientConfig() const { return path(u"ssh_config"_qs); }
    // Any user can log in with the client key, unless the account's password is locked ('!').
    QString url(const QString& user = u"root"_qs) const
    {
        return u"ssh://%1@localhost:%2"_qs.arg(user).arg(m_port);
    }
    // What sshd wrote to its standard error (LogLevel VERBOSE).
    QString log() const
    {
        QFile file(path(u"sshd.log"_qs));
        return file.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(file.readAll()) : QString();
    }

    // known_hosts then holds another key for this server: ssh sees the host key as changed.
    bool setKnownHostsWrong()
    {
        const QString key = path(u"other_host_ed25519"_qs);
        return generateKey(key, nullptr) && writeKnownHosts(publicKey(u"other_host_ed25519"_qs));
    }
    // authorized_keys empty: the client key is refused from the next login on.
    // Before start(): directories put first on the PATH of every session (stand-ins for
    // programs the remote side runs).
    void setSessionPath(const QString& directories) { m_sessionPath = directories; }

    bool revokeClientKey() { return writeFile(path(u"authorized_keys"_qs), {}); }

    // Kills every connection's processes (sshd's children, and the session and command under
    // each), not the listener: clients see the connection cut. True when there was one.
    bool dropConnections()
    {
        if (m_server.state() != QProcess::Running)
            return false;
        const std::set<pid_t> killed = killDescendants(static_cast<pid_t>(m_server.processId()));
        m_killed.insert(killed.begin(), killed.end());
        return !killed.empty();
    }

    // Returns once sshd and every process it had are gone.
    void stop()
    {
        if (m_server.state() == QProcess::NotRunning)
            return;
        // Everything under sshd, ended or not, is gone once sshd has reaped it; only then does
        // sshd go, so that none of it is left for init to reap.
        dropConnections();
        for (pid_t pid : descendantsOf(static_cast<pid_t>(m_server.processId()), true))
            m_killed.insert(pid);
        if (!waitUntilGone(m_killed, 10'000))
            qWarning("TestSshd: processes of sshd's connections are still there after 10 s");
        m_killed.clear();
        m_server.terminate();
        if (!m_server.waitForFinished(5000)) {
            m_server.kill();
            m_server.waitForFinished(5000);
        }
    }

private:
    static QString sshdPath() { return u"/usr/sbin/sshd"_qs; } // sshd re-executes itself by it
    static QString keygenPath() { return u"/usr/bin/ssh-keygen"_qs; }
    static QString sshPath() { return u"/usr/bin/ssh"_qs; }

    static bool fail(QString* whyNot, const QString& why)
    {
        if (whyNot)
            *whyNot = why;
        return false;
    }

    QString path(const QString& name) const { return m_dir.filePath(name); }

    static bool writeFile(const QString& path, const QString& content)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(content.toLocal8Bit()) == content.toLocal8Bit().size();
    }

    // sshd refuses to start without /run/sshd, the empty directory it chroots its
    // pre-authentication child into. Debian's service creates it when it starts, so while that
    // never ran it is missing. Made as the service makes it, and left, as the service leaves it:
    // a test running beside this one may have an sshd that needs it.
    static bool makePrivilegeSeparationDirectory(QString* whyNot)
    {
        if (::mkdir("/run/sshd", 0755) == 0)
            qInfo("TestSshd: created /run/sshd, sshd's privilege separation directory");
        else if (errno != EEXIST)
            return fail(whyNot,
                u"cannot create /run/sshd: "_qs + QString::fromLocal8Bit(std::strerror(errno)));
        return true;
    }

    static bool generateKey(const QString& file, QString* whyNot)
    {
        QFile::remove(file);
        QFile::remove(file + u".pub"_qs);
        QProcess keygen;
        keygen.setProcessChannelMode(QProcess::MergedChannels);
        keygen.start(keygenPath(),
            { u"-q"_qs, u"-t"_qs, u"ed25519"_qs, u"-N"_qs, QString(), u"-C"_qs,
                u"procscope-test"_qs, u"-f"_qs, file });
        if (keygen.waitForFinished(30'000) && keygen.exitStatus() == QProcess::NormalExit
            && keygen.exitCode() == 0)
            return true;
        return fail(whyNot,
            u"ssh-keygen failed: "_qs + keygen.errorString() + u"\n"_qs
                + QString::fromLocal8Bit(keygen.readAll()));
    }

    // "ssh-ed25519 AAAA…" of a key pair in the directory, without its comment.
    QString publicKey(const QString& name) const
    {
        QFile file(path(name + u".pub"_qs));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QString::fromLatin1(file.readAll()).split(u' ').mid(0, 2).join(u' ');
    }

    bool acceptsConnections() const
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address {};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(m_port);
        const bool connected
            = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        if (fd >= 0)
            ::close(fd);
        return connected;
    }

    bool writeServerConfig() const
    {
        return writeFile(path(u"sshd_config"_qs),
            u"# A private sshd for one test (procscope tests/support/test_sshd.h).\n"
            "ListenAddress 127.0.0.1:%1\n"
            "HostKey %2\n"
            "PidFile %3\n"
            "AuthorizedKeysFile %4\n"
            // The temporary directory may lie under a directory that fails sshd's checks.
            "StrictModes no\n"
            // PAM would run the system's session modules (pam_loginuid fails in containers).
            "UsePAM no\n"
            "PermitRootLogin prohibit-password\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PrintMotd no\n"
            "PrintLastLog no\n"
            // No AcceptEnv: the session gets none of the client's environment.
            "LogLevel VERBOSE\n"_qs.arg(m_port)
                .arg(path(u"host_ed25519"_qs), path(u"sshd.pid"_qs), path(u"authorized_keys"_qs))
                + (m_sessionPath.isEmpty() ? QString() : u"SetEnv PATH=%1:/usr/local/bin:/usr/bin:/bin\n"_qs.arg(m_sessionPath)));
    }

    // Starts sshd and waits until its port accepts connections, or it exits.
    bool startServer()
    {
        // A file, not a pipe: nothing reads a pipe while a test blocks elsewhere, and a full
        // one would stall sshd.
        m_server.setStandardOutputFile(QProcess::nullDevice());
        m_server.setStandardErrorFile(path(u"sshd.log"_qs));
        // sshd reaps any child; as a subreaper it also adopts what its connections orphan (a
        // command whose session process was killed, a child its monitor left unreaped), so
        // nothing of it is left to init, and stop() sees all of it. A test that crashes, or
        // that ctest kills, takes sshd with it.
        m_server.setChildProcessModifier([] {
            ::prctl(PR_SET_CHILD_SUBREAPER, 1);
            ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        });
        m_server.start(sshdPath(), { u"-D"_qs, u"-e"_qs, u"-f"_qs, path(u"sshd_config"_qs) });
        if (!m_server.waitForStarted(10'000))
            return false;
        const QDeadlineTimer deadline(10'000);
        while (!deadline.hasExpired()) {
            if (acceptsConnections())
                return true;
            if (m_server.waitForFinished(20))
                return false;
        }
        return false;
    }

    bool writeKnownHosts(const QString& key) const
    {
        return writeFile(
            path(u"known_hosts"_qs), u"[127.0.0.1]:%1,[localhost]:%1 %2\n"_qs.arg(m_port).arg(key));
    }

    bool writeClientSide() const
    {
        const QString config
            = u"# Only this server and this key; nothing from ~/.ssh or /etc/ssh.\n"
              "Host *\n"
              "    IdentityFile %1\n"
              "    IdentitiesOnly yes\n"
              "    IdentityAgent none\n"
              "    UserKnownHostsFile %2\n"
              "    GlobalKnownHostsFile /dev/null\n"
              "    StrictHostKeyChecking yes\n"
              "    UpdateHostKeys no\n"
              "    CheckHostIP no\n"
              "    BatchMode yes\n"
              "    ControlMaster no\n"
              "    ControlPath none\n"
              "    ConnectTimeout 10\n"_qs.arg(path(u"client_ed25519"_qs), path(u"known_hosts"_qs));
        QString quoted = clientConfig();
        quoted.replace(u'\'', u"'\\''"_qs);
        const QString wrapper = u"#!/bin/sh\nexec %1 -F '%2' \"$@\"\n"_qs.arg(sshPath(), quoted);
        const QString ssh = binDirectory() + u"/ssh"_qs;
        return writeKnownHosts(m_hostKey) && writeFile(clientConfig(), config)
            && QDir().mkpath(binDirectory()) && writeFile(ssh, wrapper)
            && QFile::setPermissions(
                ssh, QFile::permissions(ssh) | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther);
    }

    QTemporaryDir m_dir; // first: removed after sshd has stopped
    QProcess m_server;
    std::set<pid_t> m_killed; // sshd's children that stop() waits for, maybe not reaped yet
    QString m_hostKey;
    quint16 m_port = 0;
    QString m_sessionPath;
};

} // namespace procscope::testing
