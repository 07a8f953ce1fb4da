#include "wemoe/chunk_parallel.h"

#include <ATen/Parallel.h>
#include <ATen/TensorIterator.h>
#include <ATen/ThreadLocalState.h>
#include <torch/torch.h>

namespace wemoe {

int chunkThreads(const c10::Device &device)
{
    return device.is_cpu() && !at::in_parallel_region() ? std::max(1, at::get_num_threads()) : 1;
}

void forEachChunkRange(int64_t chunks, const c10::Device &device, const std::function<void(int64_t begin, int64_t end)> &work)
{
    if (chunks <= 0)
        return;
    if (chunks == 1 || chunkThreads(device) < 2) {
        work(0, chunks);
        return;
    }
    // TensorIterator::for_each is ATen's OpenMP parallel_for, compiled into
    // LibTorch; iterating over the chunk indices hands each thread one
    // contiguous range of them.
    const auto indices = at::arange(chunks, at::TensorOptions().dtype(at::kLong));
    auto iter = at::TensorIteratorConfig().add_input(indices).build();
    const at::ThreadLocalState callerState;
    iter.for_each(
        [&](char **data, const int64_t *strides, int64_t n) {
            at::ThreadLocalStateGuard stateGuard(callerState);
            const auto index = [&](int64_t i) { return *reinterpret_cast<const int64_t *>(data[0] + i * strides[0]); };
            const auto begin = index(0);
            if (index(n - 1) == begin + n - 1) {
                work(begin, begin + n);
                return;
            }
            for (int64_t i = 0; i < n; ++i) // not a contiguous run (never seen): one chunk at a time
                work(index(i), index(i) + 1);
        },
        /*grain_size=*/1);
}

void RangeSums::add(int64_t begin, const torch::Tensor &partial)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_parts.emplace(begin, partial);
}

torch::Tensor RangeSums::total() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    torch::Tensor sum;
    for (const auto &[begin, part] : m_parts)
        sum = sum.defined() ? sum.add_(part) : part;
    return sum;
}

} // namespace wemoe
