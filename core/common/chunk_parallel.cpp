#include "common/chunk_parallel.h"

#include <ATen/Parallel.h>
#include <ATen/TensorIterator.h>
#include <ATen/ThreadLocalState.h>
#include <torch/torch.h>

#include <atomic>

namespace wemoe {

int chunkThreads(const c10::Device &device)
{
    return device.is_cpu() && !at::in_parallel_region() ? std::max(1, at::get_num_threads()) : 1;
}

void forEachChunk(int64_t chunks, const c10::Device &device, const std::function<void(int64_t chunk)> &work)
{
    const int64_t threads = std::min<int64_t>(chunks, chunkThreads(device));
    if (threads < 2) {
        for (int64_t c = 0; c < chunks; ++c)
            work(c);
        return;
    }
    // TensorIterator::for_each is ATen's OpenMP parallel_for, compiled into
    // LibTorch (our own sources are not built with OpenMP): iterating over one
    // element per thread starts one worker on each.
    std::atomic<int64_t> next{0};
    std::atomic<bool> failed{false};
    const at::ThreadLocalState callerState;
    const auto workers = at::empty({threads}, at::TensorOptions().dtype(at::kLong));
    auto iter = at::TensorIteratorConfig().add_input(workers).build();
    iter.for_each(
        [&](char **, const int64_t *, int64_t n) {
            at::ThreadLocalStateGuard stateGuard(callerState);
            for (int64_t worker = 0; worker < n; ++worker) {
                for (int64_t c = next++; c < chunks && !failed; c = next++) {
                    try {
                        work(c);
                    } catch (...) {
                        failed = true; // the others stop; parallel_for rethrows this
                        throw;
                    }
                }
            }
        },
        /*grain_size=*/1);
}

torch::Tensor sumInChunkOrder(const std::vector<torch::Tensor> &parts)
{
    auto total = parts.at(0).clone();
    for (std::size_t i = 1; i < parts.size(); ++i)
        total.add_(parts[i]);
    return total;
}

} // namespace wemoe
