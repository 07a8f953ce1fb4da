#pragma once

#include "moe/sparse_task_weights.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <cstdint>

namespace wemoe {

// One linear layer of a weight-ensembling MoE: the pretrained weight and bias
// (θ0) and the T task vectors stacked (τ). All frozen. τ is either dense
// (WEMoE) or pruned and sparse (E-WEMoE), never both.
struct TaskVectorLinear
{
    torch::Tensor weight;      // W0 [out, in], the compute dtype (float32; float64 in tests)
    torch::Tensor bias;        // b0 [out], same dtype as weight; undefined for a layer without bias
    torch::Tensor taskWeights; // τ [T, out, in], contiguous; weight's dtype or bfloat16; undefined when sparse
    torch::Tensor taskBiases;  // [T, out]; defined exactly when bias is (pruned, but dense: it is tiny)
    SparseTaskWeights sparseTaskWeights; // τ pruned, defined instead of taskWeights

    bool isSparse() const { return sparseTaskWeights.defined(); }
    int64_t experts() const { return isSparse() ? sparseTaskWeights.experts : taskWeights.size(0); }
    int64_t inFeatures() const { return weight.size(1); }
    int64_t outFeatures() const { return weight.size(0); }
    // τ as a dense [T, out, in] tensor in `type`: a conversion of taskWeights,
    // or the sparse entries scattered into zeros.
    torch::Tensor denseTaskWeights(c10::ScalarType type) const;
    // Bytes of τ as held (weights and biases).
    int64_t taskVectorBytes() const;
};

// How y[b] = x[b] · W(b)ᵀ with W(b) = W0 + Σt w[b,t] τt is computed.
enum class PerSampleStrategy {
    Auto,           // choosePerSampleStrategy() decides
    MergeRowChunks, // per-sample weights formed a block of output rows at a time, used at once
    Expand,         // x·W0ᵀ + Σt w[b,t] (x·τtᵀ): one matmul of x per expert, no merged weights
};

QString perSampleStrategyName(PerSampleStrategy strategy);

// The sizes the strategy and the chunking depend on.
struct PerSampleShape
{
    int64_t batch = 1;   // B
    int64_t tokens = 1;  // N
    int64_t experts = 1; // T
    int64_t in = 1;
    int64_t out = 1;
};

// The cheaper strategy for a shape by the cost model documented in the .cpp.
PerSampleStrategy choosePerSampleStrategy(const PerSampleShape &shape, const c10::Device &device);

// Output rows per chunk for a strategy, so that a chunk's temporaries fit in
// chunkBytes (0: the device's default budget, see the .cpp).
int64_t defaultChunkRows(PerSampleStrategy strategy, const PerSampleShape &shape, const c10::Device &device,
                         int64_t chunkBytes = 0);

struct PerSampleLinearOptions
{
    PerSampleStrategy strategy = PerSampleStrategy::Auto;
    int64_t chunkRows = 0;  // > 0 forces the rows per chunk (tests use tiny chunks to exercise the seams)
    int64_t chunkBytes = 0; // > 0 overrides the default memory budget of a chunk (the benchmark sweeps it)
};

// y[b] = x[b] · W(b)ᵀ + bias(b) with W(b) = W0 + Σt w[b,t] τt and
// bias(b) = b0 + Σt w[b,t] τbias_t.
//   x       [B, N, in], the layer's dtype
//   routing [B, T], the per-sample expert weights w
// Returns [B, N, out]. Differentiable w.r.t. x and routing only. The backward
// is written by hand: it saves x and routing and recomputes per-sample weights
// chunk by chunk, so no [B, out, in] tensor ever lives in the autograd graph.
// Sparse task vectors go through sparsePerSampleMatmul (sparse_per_sample_linear.h)
// with the same strategies; their chunks are whole row blocks.
// Throws wemoe::Error when shapes, dtypes or devices do not fit together.
torch::Tensor perSampleLinear(const torch::Tensor &x, const torch::Tensor &routing, const TaskVectorLinear &layer,
                              const PerSampleLinearOptions &options = {});

} // namespace wemoe
