#pragma once

#include "moe/per_sample_linear.h"

#include <torch/types.h>

#include <cstdint>

namespace wemoe {

// x·W(b)ᵀ, without the biases, for W(b) = W0 + Σt w[b,t] τt with τ pruned and
// stored sparse (E-WEMoE). perSampleLinear checks the inputs and calls it.
//   x [B, N, in], routing [B, T], weight W0 [out, in], all in the compute dtype
//   strategy MergeRowChunks or Expand (resolved, not Auto), as for dense τ
//   chunkRows the rows per chunk, rounded up to whole row blocks of τ
// A chunk rebuilds its blocks of τ dense (one scatter per block) and then
// works like the dense kernel, so the cost per chunk is the dense one plus
// the scatter, while τ itself stays sparse. Differentiable w.r.t. x and
// routing; the hand-written backward also walks the output rows, so each
// chunk adds its part of dx into one of a few per-lane sums (a fixed lane per
// chunk, lanes added in order: the result does not depend on thread timing).
torch::Tensor sparsePerSampleMatmul(const torch::Tensor &x, const torch::Tensor &routing, const torch::Tensor &weight,
                                    const SparseTaskWeights &tasks, PerSampleStrategy strategy, int64_t chunkRows);

} // namespace wemoe
