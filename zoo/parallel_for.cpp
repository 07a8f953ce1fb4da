#include "zoo/parallel_for.h"

#include "common/error.h"

#include <QtCore/QThread>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace wemoe {

void parallelFor(int count, int threads, const JobContext &context, const std::function<void(int index)> &work,
                 const std::function<void(int done)> &onProgress)
{
    if (count <= 0)
        return;
    const int workers = std::clamp(threads > 0 ? threads : QThread::idealThreadCount(), 1, count);

    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;

    auto runOne = [&](int index) {
        try {
            work(index);
        } catch (...) {
            std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure)
                failure = std::current_exception();
            stop = true;
        }
        done.fetch_add(1);
    };
    auto claim = [&]() -> int {
        if (stop.load() || context.isCancelled())
            return -1;
        const int index = next.fetch_add(1);
        return index < count ? index : -1;
    };

    std::vector<std::thread> pool;
    pool.reserve(size_t(workers - 1));
    for (int t = 1; t < workers; ++t) {
        try {
            pool.emplace_back([&] {
                for (int index = claim(); index >= 0; index = claim())
                    runOne(index);
            });
        } catch (const std::system_error &) {
            break; // no more threads to be had: the started ones (and this one) do the work
        }
    }
    for (int index = claim(); index >= 0; index = claim()) {
        runOne(index);
        if (onProgress)
            onProgress(done.load());
    }
    for (std::thread &thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
    context.throwIfCancelled();
    if (onProgress)
        onProgress(done.load());
}

} // namespace wemoe
