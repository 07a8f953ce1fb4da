#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace wemoe {

// Runs work(begin, end) over contiguous ranges covering the chunks [0, chunks).
//
// On a CPU with several intra-op threads the ranges are spread over ATen's own
// thread pool and every tensor op inside a range runs single-threaded (ATen and
// OpenBLAS do not nest parallel regions). The per-sample kernels issue B + 2
// library calls per chunk; letting each of them fork and join the threads costs
// ~3x on a busy 2-core machine, one fork/join per layer does not
// (bench/README.md). The caller's thread-local state (grad mode, inference
// mode) is carried into the workers.
//
// Elsewhere (a GPU, one thread, or already inside a parallel region) it is a
// plain loop on the calling thread: the same tensor ops, in chunk order.
// Ranges write disjoint outputs or accumulate into their own partial sums.
void forEachChunkRange(int64_t chunks, const c10::Device &device, const std::function<void(int64_t begin, int64_t end)> &work);

// The threads forEachChunkRange would use on a device (1 off the CPU).
int chunkThreads(const c10::Device &device);

// Partial sums from chunk ranges, added up in chunk order, so the total does
// not depend on which thread finished first.
class RangeSums
{
public:
    void add(int64_t begin, const torch::Tensor &partial);
    // Undefined when nothing was added.
    torch::Tensor total() const;

private:
    mutable std::mutex m_mutex;
    std::map<int64_t, torch::Tensor> m_parts;
};

} // namespace wemoe
