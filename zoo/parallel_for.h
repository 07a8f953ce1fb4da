#pragma once

#include "jobs/job_context.h"

#include <functional>

namespace wemoe {

// Runs work(i) for every i in [0, count) on `threads` threads (0 = ideal
// count; the calling thread is one of them). `onProgress(done)` is called on
// the calling thread only, so JobContext callbacks keep their thread. Stops
// handing out work when the context is cancelled (then throws Cancelled) or
// when work throws (then rethrows the first exception once every thread has
// stopped).
void parallelFor(int count, int threads, const JobContext &context, const std::function<void(int index)> &work,
                 const std::function<void(int done)> &onProgress = {});

} // namespace wemoe
