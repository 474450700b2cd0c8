// SPDX-License-Identifier: GPL-3.0-or-later
// CPU cost of procscope-helper, side by side with Debian's forkstat (and extrace when it is on
// PATH; Debian 12 does not package it), on the same storms:
// - exec storm, all tools at once (BM_ExecStorm_SideBySide): two workers fork children that exec
//   /bin/true with a marker argument; every tool watches the same storm. Per tool: CPU per storm
//   iteration (fork + exec + exit), the share of the execs whose argv it knew (its output holds
//   the marker for that pid), and wake-ups per iteration (voluntary context switches: each
//   blocking wait that slept). `--helper=PATH` measures another helper binary instead of this
//   build's, e.g. an older one; `--before=PATH` (repeatable) adds one to the same storm, but
//   tools running at once affect each other's cost by their order (an identical second helper
//   measured 20% more CPU than the first): compare builds in separate runs with --helper.
// - exec storm and fork storm, one tool at a time (children exit at once in the fork storm).
// CPU time (user + system) comes from wait4(). Needs the proc connector (root, or 6.6+).
// --children=N sets the storm size (default 6000; the fork storm uses five times as many).
// *_HelperWithoutCosts run the helper with --no-costs: the cost of recording each process's
// figures is the ratio of the two helper rows.

#include "capture/decoder.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int g_children = 6000;
std::vector<std::string> g_before; // other helper binaries to compare with (--before, repeatable)
const std::string kMarker = "procscope-bench-" + std::to_string(::getpid());

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
        const int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, STDIN_FILENO); // not a pipe: the helper would take it for its peer
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
                        ::execl("/bin/true", "true", kMarker.c_str(), static_cast<char*>(nullptr));
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

struct StreamFigures {
    std::size_t argvKnown = 0; // execs described with the marker in their argv
    std::size_t exitedBeforeRead = 0; // described as gone before /proc could be read
    std::uint64_t lost = 0;
    bool trailer = false;
    std::size_t exits = 0; // task exits in the stream
    std::size_t exitsWithFigures = 0; // of those, with their cost record
    std::uint64_t costLost = 0; // counted: exits without figures, figures without exit, overruns
};

StreamFigures readStream(const std::string& bytes)
{
    using namespace procscope::capture;
    StreamFigures figures;
    StreamDecoder decoder;
    decoder.feed({ reinterpret_cast<const std::byte*>(bytes.data()), bytes.size() });
    Record record;
    std::set<std::uint32_t> known;
    std::vector<std::uint32_t> exited;
    std::set<std::uint32_t> figured;
    for (auto step = decoder.next(record); step != StreamDecoder::Step::NeedMore && step != StreamDecoder::Step::Failed;
         step = decoder.next(record)) {
        if (step != StreamDecoder::Step::GotRecord)
            continue;
        if (const auto* process = std::get_if<ProcessRecord>(&record); process && process->source == ProcessSource::Exec) {
            if (std::find(process->argv.begin(), process->argv.end(), kMarker) != process->argv.end())
                known.insert(process->pid);
            else if (process->readable & readable::kExitedBeforeRead)
                ++figures.exitedBeforeRead;
        } else if (const auto* event = std::get_if<KernelEventRecord>(&record)) {
            const auto message = event->parse();
            if (const auto* proc = std::get_if<procscope::protocol::ProcEvent>(&message)) {
                if (const auto* exit = std::get_if<procscope::protocol::ExitEvent>(&proc->payload))
                    exited.push_back(exit->pid);
            }
        } else if (const auto* cost = std::get_if<TaskCostRecord>(&record)) {
            if (!(cost->flags & cost_flags::kRunning))
                figured.insert(cost->figures.pid);
        } else if (const auto* trailer = std::get_if<TrailerRecord>(&record)) {
            figures.trailer = true;
            for (const auto n : trailer->lost)
                figures.lost += n;
            for (const auto reason : { LossReason::CostOverrun, LossReason::ExitWithoutCost, LossReason::CostWithoutExit })
                figures.costLost += trailer->lost[std::size_t(reason) - 1];
        }
    }
    figures.argvKnown = known.size();
    figures.exits = exited.size();
    for (const std::uint32_t pid : exited)
        figures.exitsWithFigures += figured.count(pid);
    return figures;
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
        // A Procscope helper's stream is kept, to count the exits that came with their figures.
        const bool procscope = command.front().find("procscope") != std::string::npos;
        std::string stream;
        if (procscope)
            stream.reserve(std::size_t(exec ? 8 : 32) << 20); // no reallocation while the storm runs
        std::thread drain([&] {
            char chunk[65536];
            ssize_t n;
            while ((n = ::read(tool.output, chunk, sizeof chunk)) > 0) {
                bytes += std::uint64_t(n);
                if (procscope)
                    stream.append(chunk, std::size_t(n));
            }
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
        state.counters["cpu_us_per_iter"] = cpu * 1e6 / children;
        state.counters["wakeups_per_iter"] = double(usage.ru_nvcsw) / children;
        state.counters["output_MiB"] = double(bytes) / (1 << 20);
        if (procscope) {
            const StreamFigures figures = readStream(stream);
            state.counters["exits"] = double(figures.exits);
            state.counters["exits_with_figures_pct"] = figures.exits ? 100.0 * double(figures.exitsWithFigures) / double(figures.exits) : 0;
            state.counters["cost_lost"] = double(figures.costLost);
        }
    }
}

bool onPath(const char* name)
{
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t at = 0;
    while (at <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', at), dirs.size());
        if (::access((dirs.substr(at, end - at) + "/" + name).c_str(), X_OK) == 0)
            return true;
        at = end + 1;
    }
    return false;
}

double cpuSeconds(const rusage& usage)
{
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Contender {
    std::string name;
    std::vector<std::string> command;
    bool procscope = false; // its output is a capture stream, else text lines
    Tool tool;
    std::string output;
    std::thread drain;
    rusage usage {};
    int status = 0;
};

// Storm children whose argv a text tool printed: distinct pids on lines holding the marker,
// exit lines aside (forkstat repeats the command line it remembered there). The pid is the
// first all-digit word (forkstat: "10:30:06 exec 27078 ...", extrace: "27078+ /bin/true ...").
std::size_t argvKnownInText(const std::string& text)
{
    std::set<std::string> pids;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        const std::string_view line(text.data() + at, end - at);
        at = end + 1;
        if (line.find(kMarker) == std::string_view::npos || line.find(" exit ") != std::string_view::npos)
            continue;
        std::size_t word = 0;
        while (word < line.size()) {
            while (word < line.size() && line[word] == ' ')
                ++word;
            std::size_t stop = word;
            while (stop < line.size() && line[stop] >= '0' && line[stop] <= '9')
                ++stop;
            if (stop > word && (stop == line.size() || line[stop] == ' ' || line[stop] == '+')) {
                pids.emplace(line.substr(word, stop - word));
                break;
            }
            word = std::min(line.size(), line.find(' ', word));
        }
    }
    return pids.size();
}

std::vector<std::string> kHelper { PROCSCOPE_HELPER_BIN, "--events", "fork,exec,exit", "--no-snapshot" }; // --helper=PATH replaces it
const std::vector<std::string> kForkstat { "forkstat", "-e", "fork,exec,exit" };
// The same helper without the per-task accounting: what recording each process's cost adds.
std::vector<std::string> withoutCosts()
{
    auto command = kHelper;
    command.push_back("--no-costs");
    return command;
}

// Every tool at once on one exec storm: what each knew, and what it cost.
void BM_ExecStorm_SideBySide(benchmark::State& state)
{
    std::vector<std::unique_ptr<Contender>> tools;
    const auto add = [&](std::string name, std::vector<std::string> command, bool procscope) {
        auto contender = std::make_unique<Contender>();
        contender->name = std::move(name);
        contender->command = std::move(command);
        contender->procscope = procscope;
        tools.push_back(std::move(contender));
    };
    add("procscope-helper", kHelper, true);
    for (const auto& binary : g_before) {
        auto before = kHelper;
        before[0] = binary;
        add("before " + binary.substr(binary.rfind('/') + 1), before, true);
    }
    add("forkstat", kForkstat, false);
    if (onPath("extrace"))
        add("extrace", { "extrace" }, false);
    for (auto _ : state) {
        for (auto& c : tools) {
            c->output.clear();
            c->tool = startTool(c->command);
            if (c->tool.pid < 0) {
                state.SkipWithError("could not start a tool");
                return;
            }
            c->drain = std::thread([tool = c.get()] {
                char chunk[65536];
                ssize_t n;
                while ((n = ::read(tool->tool.output, chunk, sizeof chunk)) > 0)
                    tool->output.append(chunk, std::size_t(n));
            });
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1000)); // subscribed and idle
        const auto begin = std::chrono::steady_clock::now();
        storm(g_children, true);
        const auto end = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::milliseconds(700)); // let them catch up
        for (auto& c : tools)
            ::kill(c->tool.pid, SIGINT);
        for (auto& c : tools) {
            ::wait4(c->tool.pid, &c->status, 0, &c->usage);
            c->drain.join();
            ::close(c->tool.output);
        }
        const double seconds = std::chrono::duration<double>(end - begin).count();
        state.SetIterationTime(seconds);
        const double n = g_children;
        std::printf("\nexec storm, %d children (%.0f execs/s), all tools at once:\n", g_children, n / seconds);
        std::printf("%-24s %12s %10s %12s %13s %s\n", "tool", "cpu us/iter", "argv known", "wakeups/iter", "preempted/iter", "notes");
        for (auto& c : tools) {
            if (!WIFEXITED(c->status) || WEXITSTATUS(c->status) == 127) {
                std::printf("%-24s did not run (status %d)\n", c->name.c_str(), c->status);
                continue;
            }
            std::size_t known = 0;
            std::string notes;
            if (c->procscope) {
                const StreamFigures figures = readStream(c->output);
                known = figures.argvKnown;
                notes = std::to_string(figures.exitedBeforeRead) + " exited before read, " + std::to_string(figures.lost) + " lost"
                    + (figures.trailer ? "" : ", NO TRAILER");
            } else {
                known = argvKnownInText(c->output);
            }
            const double cpuUs = cpuSeconds(c->usage) * 1e6 / n;
            const double share = 100.0 * double(known) / n;
            const double wakeups = double(c->usage.ru_nvcsw) / n;
            const double preempted = double(c->usage.ru_nivcsw) / n;
            std::printf("%-24s %12.1f %9.1f%% %12.2f %13.2f %s\n", c->name.c_str(), cpuUs, share, wakeups, preempted, notes.c_str());
            std::string key = c->name.substr(0, c->name.find(' '));
            if (c->name.starts_with("before "))
                key = c->name.substr(7);
            state.counters[key + "_cpu_us"] = cpuUs;
            state.counters[key + "_argv_pct"] = share;
            state.counters[key + "_wakeups"] = wakeups;
        }
        std::fflush(stdout);
    }
}

void BM_ExecStorm_ProcscopeHelper(benchmark::State& state) { measure(state, kHelper, true); }
void BM_ExecStorm_Forkstat(benchmark::State& state) { measure(state, kForkstat, true); }
void BM_ForkStorm_ProcscopeHelper(benchmark::State& state) { measure(state, kHelper, false); }
void BM_ForkStorm_Forkstat(benchmark::State& state) { measure(state, kForkstat, false); }
void BM_ExecStorm_HelperWithoutCosts(benchmark::State& state) { measure(state, withoutCosts(), true); }
void BM_ForkStorm_HelperWithoutCosts(benchmark::State& state) { measure(state, withoutCosts(), false); }
BENCHMARK(BM_ExecStorm_SideBySide)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExecStorm_ProcscopeHelper)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExecStorm_Forkstat)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExecStorm_HelperWithoutCosts)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
// Registered in main() when there: BM_ExecStorm_Before (--before), BM_ExecStorm_Extrace (on PATH).
BENCHMARK(BM_ForkStorm_ProcscopeHelper)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForkStorm_Forkstat)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForkStorm_HelperWithoutCosts)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv)
{
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strncmp(argv[i], "--children=", 11) == 0)
            g_children = std::max(2, std::atoi(argv[i] + 11));
        else if (std::strncmp(argv[i], "--helper=", 9) == 0)
            kHelper[0] = argv[i] + 9;
        else if (std::strncmp(argv[i], "--before=", 9) == 0)
            g_before.emplace_back(argv[i] + 9);
        else
            rest.push_back(argv[i]);
    }
    int count = int(rest.size());
    benchmark::Initialize(&count, rest.data());
    for (const auto& binary : g_before) {
        benchmark::RegisterBenchmark(("BM_ExecStorm_Before_" + binary.substr(binary.rfind('/') + 1)).c_str(), [binary](benchmark::State& state) {
            auto before = kHelper;
            before[0] = binary;
            measure(state, before, true);
        })->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
    }
    if (onPath("extrace")) {
        benchmark::RegisterBenchmark("BM_ExecStorm_Extrace", [](benchmark::State& state) { measure(state, { "extrace" }, true); })
            ->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
