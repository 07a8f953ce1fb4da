#pragma once

#include "bench_harness.h"

#include "io/clip_config.h"

#include <QtCore/QTextStream>

#include <cstdint>

namespace wemoe::bench {

struct KernelBenchOptions
{
    ClipVisionConfig vit; // fc1 is [intermediate, hidden], fc2 the reverse; tokens = numPositions()
    int64_t batch = 16;
    int experts = 8;
    quint64 seed = 0;
};

// Our fused per-sample matmuls (core/moe/per_sample_gemm.h) against the
// library's dense GEMM of the same flops, on one thread, at the shapes of the
// ViT's fc1 and fc2: the forward x·W(b)ᵀ against x·W0ᵀ, the input gradient
// dy·W(b) against dy·W0, the routing gradient (dyᵀx contracted with τ)
// against the weight gradient dyᵀx. The ratio is what merging the weights as
// the matmul goes costs over a plain GEMM; the per_sample_gemm.cpp sizes were
// tuned on it. Prints Markdown; on a CPU without AVX2 and FMA, says so.
void runKernelBench(const KernelBenchOptions &options, const TimingOptions &timing, QTextStream &out);

} // namespace wemoe::bench
