#include "op_profile.h"

#include <ATen/record_function.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

namespace wemoe::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Frame
{
    Clock::time_point start;
    double childMs = 0;
    std::string name;
};

// The callbacks are plain function pointers, so their state is global; only
// the profiled thread records (profileOps is not reentrant).
struct Recorder
{
    std::thread::id thread;
    std::vector<Frame> stack;
    std::map<std::string, OpTime> byName;
    std::map<std::string, OpTime> outermost;
    std::map<std::string, OpTime> withinOutermost;
    std::map<std::string, int> open; // nesting depth per name, so recursion counts total once
};

// Atomic: the callbacks read it on every thread that runs an op.
std::atomic<Recorder *> g_recorder{nullptr};

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::unique_ptr<at::ObserverContext> onStart(const at::RecordFunction &fn)
{
    Recorder *recorder = g_recorder;
    if (!recorder || std::this_thread::get_id() != recorder->thread)
        return nullptr;
    const std::string name = fn.name();
    ++recorder->open[name];
    recorder->stack.push_back(Frame{Clock::now(), 0.0, name});
    return nullptr;
}

void onEnd(const at::RecordFunction &, at::ObserverContext *)
{
    Recorder *recorder = g_recorder;
    if (!recorder || std::this_thread::get_id() != recorder->thread || recorder->stack.empty())
        return;
    const Frame frame = std::move(recorder->stack.back());
    recorder->stack.pop_back();
    const double total = millisecondsSince(frame.start);
    OpTime &op = recorder->byName[frame.name];
    op.name = frame.name;
    op.selfMs += total - frame.childMs;
    ++op.calls;
    if (--recorder->open[frame.name] == 0)
        op.totalMs += total;
    const std::string key = recorder->stack.empty() ? frame.name : recorder->stack.front().name + " › " + frame.name;
    OpTime &within = recorder->withinOutermost[key];
    within.name = key;
    within.selfMs += total - frame.childMs;
    ++within.calls;
    if (!recorder->stack.empty()) {
        recorder->stack.back().childMs += total;
    } else {
        OpTime &outer = recorder->outermost[frame.name];
        outer.name = frame.name;
        outer.totalMs += total;
        ++outer.calls;
    }
}

// The entries of a by-name map, largest `time` first.
std::vector<OpTime> sortedBy(std::map<std::string, OpTime> &byName, double OpTime::*time)
{
    std::vector<OpTime> ops;
    for (auto &entry : byName)
        ops.push_back(std::move(entry.second));
    std::sort(ops.begin(), ops.end(), [time](const OpTime &a, const OpTime &b) { return a.*time > b.*time; });
    return ops;
}

} // namespace

double OpProfile::outsideOpsMs() const
{
    double inOps = 0;
    for (const auto &op : ops)
        inOps += op.selfMs;
    return std::max(0.0, wallMs - inOps);
}

OpProfile profileOps(const std::function<void()> &work)
{
    static std::mutex oneAtATime;
    const std::lock_guard<std::mutex> lock(oneAtATime);
    Recorder recorder;
    recorder.thread = std::this_thread::get_id();
    g_recorder = &recorder;
    const auto handle = at::addGlobalCallback(at::RecordFunctionCallback(&onStart, &onEnd));
    const auto start = Clock::now();
    try {
        work();
    } catch (...) {
        at::removeCallback(handle);
        g_recorder = nullptr;
        throw;
    }
    OpProfile profile;
    profile.wallMs = millisecondsSince(start);
    at::removeCallback(handle);
    g_recorder = nullptr;
    profile.ops = sortedBy(recorder.byName, &OpTime::selfMs);
    profile.withinOutermost = sortedBy(recorder.withinOutermost, &OpTime::selfMs);
    profile.outermost = sortedBy(recorder.outermost, &OpTime::totalMs);
    return profile;
}

} // namespace wemoe::bench
