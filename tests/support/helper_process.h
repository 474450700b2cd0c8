// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Runs procscope-helper with plain pipes (not QProcess, which reads eagerly), so a test can
// stall as a slow consumer would, close the stream as a GUI would, and decode what arrived.

#include "capture_samples.h"
#include "kernel_support.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QStringList>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

namespace procscope::testing {

class HelperProcess {
public:
    enum class Stream {
        Pipes, // stdout a pipe, stdin another
        SocketPair, // stdin and stdout one end of a socketpair, as the GUI connects
        DevNull, // stdout /dev/null (for --output); stdin a pipe
    };

    // `env` entries are added to the environment ("NAME=value").
    bool start(const char* program, const QStringList& args, const QStringList& env = {}, Stream mode = Stream::Pipes)
    {
        int out[2];
        int in[2];
        int err[2];
        const bool socket = mode == Stream::SocketPair;
        if (socket ? ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, out) != 0 : ::pipe2(out, O_CLOEXEC) != 0)
            return false;
        if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
            return false;
        if (socket) { // one descriptor for both directions
            ::close(in[0]);
            ::close(in[1]);
            in[0] = ::dup(out[1]);
            in[1] = -1;
        }
        std::vector<std::string> storage { program };
        for (const QString& arg : args)
            storage.push_back(arg.toStdString());
        std::vector<std::string> envStorage;
        for (const QString& e : env)
            envStorage.push_back(e.toStdString());
        m_pid = ::fork();
        if (m_pid == 0) {
            restoreDefaultSignals();
            ::dup2(in[0], STDIN_FILENO);
            ::dup2(mode == Stream::DevNull ? ::open("/dev/null", O_WRONLY) : out[1], STDOUT_FILENO);
            ::dup2(err[1], STDERR_FILENO);
            for (auto& e : envStorage)
                ::putenv(e.data());
            std::vector<char*> argv;
            for (auto& s : storage)
                argv.push_back(s.data());
            argv.push_back(nullptr);
            ::execv(program, argv.data());
            ::_exit(127);
        }
        ::close(out[1]);
        ::close(in[0]);
        ::close(err[1]);
        m_out = out[0];
        m_in = in[1];
        m_socket = socket;
        m_err = err[0];
        ::fcntl(m_out, F_SETFL, O_NONBLOCK);
        ::fcntl(m_err, F_SETFL, O_NONBLOCK);
        return m_pid > 0;
    }

    ~HelperProcess()
    {
        if (m_pid > 0 && !m_exited) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        for (int fd : { m_out, m_in, m_err }) {
            if (fd >= 0)
                ::close(fd);
        }
    }

    pid_t pid() const { return m_pid; }
    void setPipeSize(int bytes) const { ::fcntl(m_out, F_SETPIPE_SZ, bytes); }

    // Reads what is available (waiting up to `ms` for something).
    void read(int ms = 0)
    {
        pollfd pfd { m_out, POLLIN, 0 };
        if (ms > 0)
            ::poll(&pfd, 1, ms);
        char chunk[65536];
        ssize_t n;
        while ((n = ::read(m_out, chunk, sizeof chunk)) > 0)
            m_stream.append(chunk, n);
        while ((n = ::read(m_err, chunk, sizeof chunk)) > 0)
            m_stderr.append(chunk, n);
    }

    // Until the preamble and header have arrived: the helper is subscribed from then on.
    bool waitForHeader(int ms = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            read(50);
            const auto outcome = decodeAll(stream());
            if (!outcome.records.empty())
                return true;
            if (exited())
                return false;
        }
        return false;
    }

    // The reader goes away (for a socket: shuts down its sending side, as closing would).
    void closeInput()
    {
        if (m_socket) {
            ::shutdown(m_out, SHUT_WR);
            return;
        }
        ::close(m_in);
        m_in = -1;
    }

    bool exited()
    {
        if (m_exited)
            return true;
        if (::waitpid(m_pid, &m_status, WNOHANG) == m_pid)
            m_exited = true;
        return m_exited;
    }

    // Reads until the helper exits; returns its exit code, or -1 (killed, or timed out).
    int finish(int ms = 20000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!exited() && timer.elapsed() < ms)
            read(20);
        read();
        if (!m_exited)
            return -1;
        return WIFEXITED(m_status) ? WEXITSTATUS(m_status) : -1;
    }

    std::span<const std::byte> stream() const
    {
        return { reinterpret_cast<const std::byte*>(m_stream.constData()), std::size_t(m_stream.size()) };
    }
    const QByteArray& standardError() const { return m_stderr; }

private:
    pid_t m_pid = -1;
    int m_out = -1;
    int m_in = -1;
    int m_err = -1;
    int m_status = 0;
    bool m_exited = false;
    bool m_socket = false;
    QByteArray m_stream;
    QByteArray m_stderr;
};

template <typename T>
std::vector<T> recordsOf(const DecodeOutcome& outcome)
{
    std::vector<T> out;
    for (const auto& record : outcome.records) {
        if (const auto* r = std::get_if<T>(&record))
            out.push_back(*r);
    }
    return out;
}

inline std::vector<protocol::ProcEvent> eventsOf(const DecodeOutcome& outcome)
{
    std::vector<protocol::ProcEvent> out;
    for (const auto& record : recordsOf<capture::KernelEventRecord>(outcome)) {
        const auto message = record.parse();
        if (const auto* event = std::get_if<protocol::ProcEvent>(&message); event && !std::holds_alternative<protocol::UnknownEvent>(event->payload))
            out.push_back(*event);
    }
    return out;
}

template <typename T>
std::vector<T> payloadsOf(const DecodeOutcome& outcome)
{
    std::vector<T> out;
    for (const auto& event : eventsOf(outcome)) {
        if (const auto* p = std::get_if<T>(&event.payload))
            out.push_back(*p);
    }
    return out;
}

} // namespace procscope::testing
