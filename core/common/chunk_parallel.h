#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace wemoe {

// Runs work(chunk) for every chunk in [0, chunks), each exactly once.
//
// On a CPU with several intra-op threads, ATen's threads take chunks one at a
// time from a shared counter, and every tensor op inside a chunk runs
// single-threaded (ATen and OpenBLAS do not nest parallel regions). The
// per-sample kernels issue B + 2 library calls per chunk: letting each of them
// fork and join the threads costs up to 3x on a busy 2-core machine, one fork
// and join per layer does not (measured with wemoe-bench). Taking chunks dynamically
// instead of splitting them in halves keeps a thread that the OS delays from
// holding up the other. The caller's thread-local state (grad mode, inference
// mode) is carried into the workers.
//
// Elsewhere (a GPU, one thread, or already inside a parallel region) it is a
// plain loop on the calling thread: the same tensor ops, in chunk order.
// Chunks must write disjoint outputs; sums over chunks go through per-chunk
// partial results added with sumInChunkOrder, so results do not depend on
// which thread ran which chunk.
void forEachChunk(int64_t chunks, const c10::Device &device, const std::function<void(int64_t chunk)> &work);

// The threads forEachChunk would use on a device (1 off the CPU).
int chunkThreads(const c10::Device &device);

// parts[0] + parts[1] + ..., in that order (parts must be non-empty).
torch::Tensor sumInChunkOrder(const std::vector<torch::Tensor> &parts);

} // namespace wemoe
