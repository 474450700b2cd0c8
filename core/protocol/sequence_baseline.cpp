// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/sequence_baseline.h"

#include <cerrno>
#include <cstddef>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

namespace procscope::protocol {

void forkOnEveryCpu()
{
    cpu_set_t original;
    CPU_ZERO(&original);
    if (::sched_getaffinity(0, sizeof original, &original) != 0)
        return;
    for (std::size_t cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
        if (!CPU_ISSET(cpu, &original))
            continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        if (::sched_setaffinity(0, sizeof one, &one) != 0)
            continue;
        const pid_t child = ::fork(); // the fork event is sent on this CPU, the child's exit too
        if (child == 0)
            ::_exit(0);
        if (child > 0)
            while (::waitpid(child, nullptr, 0) < 0 && errno == EINTR) { }
    }
    ::sched_setaffinity(0, sizeof original, &original);
}

} // namespace procscope::protocol
