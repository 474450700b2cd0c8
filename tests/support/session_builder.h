// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Feeds a Session hand-built records, as the helper would write them, with a running clock.

#include "datagram_builder.h"
#include "session/session.h"

#include <cstring>
#include <string>
#include <vector>

namespace procscope::testing {

class SessionBuilder {
public:
    // `helperPid`: the capture helper's own pid, as its header names it.
    explicit SessionBuilder(session::Session& session, std::uint32_t helperPid = 0)
        : m_session(session)
    {
        capture::HeaderRecord header;
        header.monotonicNs = 1'000'000'000;
        header.helperPid = helperPid;
        m_session.apply(header);
    }

    std::uint64_t now() const { return m_ts; }
    void advance(std::uint64_t ns) { m_ts += ns; }

    void event(std::uint32_t what, const Bytes& payload, std::uint32_t cpu = 0)
    {
        m_ts += 1000;
        capture::KernelEventRecord record;
        record.seq = m_seq++;
        record.procEvent = procEvent(what, cpu, m_ts, paddedPayload(payload));
        m_session.apply(record);
    }
    void fork(std::uint32_t parent, std::uint32_t child, std::uint32_t childTgid = 0)
    {
        event(0x1, words({ parent, parent, child, childTgid ? childTgid : child }));
    }
    void exec(std::uint32_t pid) { event(0x2, words({ pid, pid })); }
    void exit(std::uint32_t pid, std::uint32_t tgid, std::uint32_t status, std::int32_t signal = 17, std::uint32_t parent = 0)
    {
        event(0x80000000, words({ pid, tgid, status, std::uint32_t(signal), parent, parent }));
    }
    void comm(std::uint32_t tid, std::uint32_t tgid, const std::string& name)
    {
        Bytes payload = words({ tid, tgid });
        payload.resize(24);
        std::memcpy(payload.data() + 8, name.data(), std::min<std::size_t>(name.size(), 16));
        event(0x200, payload);
    }
    void uid(std::uint32_t pid, std::uint32_t ruid, std::uint32_t euid) { event(0x4, words({ pid, pid, ruid, euid })); }
    void sid(std::uint32_t pid) { event(0x80, words({ pid, pid })); }
    void ptrace(std::uint32_t pid, std::uint32_t tracer) { event(0x100, words({ pid, pid, tracer, tracer })); }
    void coredump(std::uint32_t pid) { event(0x40000000, words({ pid, pid, 0, 0 })); }

    // The helper's description of an exec that just happened (the last event's timestamp).
    void described(std::uint32_t pid, const std::string& exe, std::vector<std::string> argv, const std::string& comm)
    {
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = pid;
        p.eventTimestampNs = m_ts;
        p.exe = exe;
        p.argv = std::move(argv);
        p.comm = comm;
        p.readable = capture::readable::kExe | capture::readable::kArgv | capture::readable::kComm;
        m_session.apply(p);
    }
    // The helper's word that the process of the exec at `execNs` had exited before /proc was read.
    void exitedBeforeRead(std::uint32_t pid, std::uint64_t execNs)
    {
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Exec;
        p.pid = p.tgid = pid;
        p.eventTimestampNs = execNs;
        p.readable = capture::readable::kExitedBeforeRead;
        m_session.apply(p);
    }
    void snapshot(std::uint32_t pid, std::uint32_t ppid, const std::string& comm, std::uint32_t uid = 0)
    {
        capture::ProcessRecord p;
        p.source = capture::ProcessSource::Snapshot;
        p.pid = p.tgid = pid;
        p.ppid = ppid;
        p.comm = comm;
        p.exe = "/usr/bin/" + comm;
        p.argv = { comm };
        p.ruid = p.euid = uid;
        p.startNs = 500;
        p.readable = capture::readable::kComm | capture::readable::kExe | capture::readable::kArgv | capture::readable::kPpid
            | capture::readable::kIds | capture::readable::kStartTime;
        m_session.apply(p);
    }

private:
    session::Session& m_session;
    std::uint64_t m_ts = 1'000'000'000;
    std::uint32_t m_seq = 0;
};

} // namespace procscope::testing
