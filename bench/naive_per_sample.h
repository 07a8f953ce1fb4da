#pragma once

#include "moe/weight_ensembling_mlp.h"

#include <torch/types.h>

namespace wemoe::bench {

// The per-sample loop the reference implementations run inside every MoE
// layer: for each sample b, θ(b) = θ0 + w1·τ1 + w2·τ2 + ... (one out-of-place
// tensor op per expert and parameter), then a batch-1 MLP call. Differentiable
// w.r.t. h and the router, as in the reference. h [B, N, D] -> [B, N, D].
torch::Tensor naiveReferenceMlp(const WeightEnsemblingMlpImpl &mlp, const torch::Tensor &h);

// The same loop with each θ(b) formed by one matmul w[b] · τ (a fairer naive
// baseline in C++: one library call per parameter instead of T).
torch::Tensor naiveMatmulMergeMlp(const WeightEnsemblingMlpImpl &mlp, const torch::Tensor &h);

} // namespace wemoe::bench
