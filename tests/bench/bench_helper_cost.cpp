// SPDX-License-Identifier: GPL-3.0-or-later
// CPU cost per event of procscope-helper, side by side with Debian's forkstat, on the same
// storms, two kinds:
// - exec storm: children exec /bin/true (fork, exec, exit: three events each, one exec to enrich);
// - fork storm: children exit at once (fork, exit: two events each), as fast as 2 CPUs go.
// Both tools run for the whole storm; their CPU time (user + system) comes from wait4().
// Needs the proc connector (root, or 6.6+). --children=N sets the storm size (default 6000;
// the fork storm uses five times as many).

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int g_children = 6000;

struct Tool {
    pid_t pid = -1;
    int output = -1; // read end of its stdout, drained by a thread
};

Tool startTool(const std::vector<std::string>& command)
{
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        const int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, STDERR_FILENO);
        std::vector<char*> argv;
        for (const auto& arg : command)
            argv.push_back(const_cast<char*>(arg.c_str()));
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(out[1]);
    return { pid, out[0] };
}

// Forks `count` children from two worker processes; they exec /bin/true or exit at once.
void storm(int count, bool exec)
{
    pid_t workers[2];
    for (int w = 0; w < 2; ++w) {
        workers[w] = ::fork();
        if (workers[w] == 0) {
            for (int i = 0; i < count / 2; ++i) {
                const pid_t child = ::fork();
                if (child == 0) {
                    if (exec)
                        ::execl("/bin/true", "true", static_cast<char*>(nullptr));
                    ::_exit(exec ? 127 : 0);
                }
                ::waitpid(child, nullptr, 0);
            }
            ::_exit(0);
        }
    }
    for (const pid_t worker : workers)
        ::waitpid(worker, nullptr, 0);
}

void measure(benchmark::State& state, const std::vector<std::string>& command, bool exec)
{
    const int children = exec ? g_children : 5 * g_children;
    for (auto _ : state) {
        Tool tool = startTool(command);
        if (tool.pid < 0) {
            state.SkipWithError("could not start the tool");
            return;
        }
        std::atomic<std::uint64_t> bytes { 0 };
        std::thread drain([&] {
            char chunk[65536];
            ssize_t n;
            while ((n = ::read(tool.output, chunk, sizeof chunk)) > 0)
                bytes += std::uint64_t(n);
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(700)); // subscribed and idle
        const auto begin = std::chrono::steady_clock::now();
        storm(children, exec);
        const auto end = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(500)); // let it catch up
        ::kill(tool.pid, SIGINT);
        int status = 0;
        rusage usage {};
        ::wait4(tool.pid, &status, 0, &usage);
        drain.join();
        ::close(tool.output);
        if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
            state.SkipWithError("the tool did not run (not installed, or no access to the proc connector)");
            return;
        }
        const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
        const double events = (exec ? 3.0 : 2.0) * children;
        const double seconds = std::chrono::duration<double>(end - begin).count();
        state.SetIterationTime(seconds);
        state.counters["storm_events"] = events;
        state.counters["events_per_s"] = events / seconds;
        state.counters["cpu_s"] = cpu;
        state.counters["cpu_us_per_event"] = cpu * 1e6 / events;
        state.counters["output_MiB"] = double(bytes) / (1 << 20);
    }
}

const std::vector<std::string> kHelper { PROCSCOPE_HELPER_BIN, "--events", "fork,exec,exit", "--no-snapshot" };
const std::vector<std::string> kForkstat { "forkstat", "-e", "fork,exec,exit" };

void BM_ExecStorm_ProcscopeHelper(benchmark::State& state) { measure(state, kHelper, true); }
void BM_ExecStorm_Forkstat(benchmark::State& state) { measure(state, kForkstat, true); }
void BM_ForkStorm_ProcscopeHelper(benchmark::State& state) { measure(state, kHelper, false); }
void BM_ForkStorm_Forkstat(benchmark::State& state) { measure(state, kForkstat, false); }
BENCHMARK(BM_ExecStorm_ProcscopeHelper)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExecStorm_Forkstat)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForkStorm_ProcscopeHelper)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForkStorm_Forkstat)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strncmp(argv[i], "--children=", 11) == 0)
            g_children = std::max(2, std::atoi(argv[i] + 11));
        else
            rest.push_back(argv[i]);
    }
    int count = int(rest.size());
    benchmark::Initialize(&count, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
