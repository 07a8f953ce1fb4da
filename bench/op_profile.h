#pragma once

#include <functional>
#include <string>
#include <vector>

namespace wemoe::bench {

// Where the time of one piece of work goes, op by op: every ATen op and
// autograd node the calling thread runs, by name, through RecordFunction's
// global callbacks (the hooks torch's own profiler uses, stable across
// LibTorch versions). Self time excludes the ops an op calls; work an op hands
// to other threads counts as its own, since the calling thread waits for it.
struct OpTime
{
    std::string name;
    double selfMs = 0;
    double totalMs = 0; // self and nested ops; a recursive name counts once per outermost call
    long calls = 0;
};

struct OpProfile
{
    double wallMs = 0;       // the whole work
    std::vector<OpTime> ops; // by self time, largest first
    // The ops the work itself called (outermost on the stack: a layer's linear,
    // our per-sample matmul, one autograd node of the backward), with
    // everything beneath them: what each part of the model costs. By total time.
    std::vector<OpTime> outermost;
    // Self times again, by outermost op and op ("outer › op"): where inside
    // each part the time goes. By self time.
    std::vector<OpTime> withinOutermost;
    double outsideOpsMs() const; // wall time no op accounts for (our own loops, Python-free glue)
};

// Runs `work` once with the callbacks installed. Not reentrant: one profile at a time.
OpProfile profileOps(const std::function<void()> &work);

} // namespace wemoe::bench
