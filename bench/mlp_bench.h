#pragma once

#include "bench_harness.h"

#include "moe/weight_ensembling_mlp.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace wemoe::bench {

// ViT-B/32 sizes by default.
struct MlpBenchConfig
{
    int64_t hidden = 768;
    int64_t intermediate = 3072;
    int64_t tokens = 50;
    int64_t experts = 8;
    int routerDepth = 2;
    uint64_t seed = 0;
    bool withBf16 = true; // also time τ stored in bfloat16
};

// Variant names, shared by the table's baselines.
inline const char *kNaiveReference = "naive loop, per-expert merge (reference)";
inline const char *kNaiveLoop = "naive loop, one-matmul merge";
inline const char *kDense = "dense MLP (no routing)";

// One transformer block's MLP with random weights, measured every way:
// the naive per-sample loop, our batched per-sample routing (each strategy and
// the cost model's choice), batch-reduced routing, and the plain dense MLP.
// Each measurement is its own function so the 12-block benchmark can reuse them.
class MlpBench
{
public:
    explicit MlpBench(const MlpBenchConfig &config);

    // Inference (no autograd), every variant, at one batch size.
    void measureForward(ResultTable &table, int64_t batch);
    // One adaptation-like step: forward, loss, backward into the router and h.
    void measureForwardBackward(ResultTable &table, int64_t batch);
    // Where the time goes: router, each per-sample linear, the dense linears.
    void measureComponents(ResultTable &table, int64_t batch);
    // quick_gelu forward and backward on fc1's output: autograd of the tensor
    // ops against quickGelu's one-pass backward (model/quick_gelu.h).
    void measureActivationBackward(ResultTable &table, const torch::Tensor &inner);
    // MergeRowChunks forward with several chunk budgets (for the cost model's constant).
    void measureChunkBudgets(ResultTable &table, int64_t batch, const std::vector<int64_t> &megabytes);

    // The pieces, public for reuse.
    torch::Tensor input(int64_t batch, bool requiresGrad = false) const;
    // The per-sample loop as the reference writes it: θ(b) = θ0 + w1·τ1 + w2·τ2 + ...,
    // one out-of-place tensor op per expert and parameter, then a batch-1 MLP.
    torch::Tensor naiveReferenceForward(const torch::Tensor &h);
    // The same loop with each θ(b) formed by one matmul w[b] · τ.
    torch::Tensor naiveForward(const torch::Tensor &h);
    torch::Tensor denseForward(const torch::Tensor &h) const;
    torch::Tensor oursForward(const torch::Tensor &h, PerSampleStrategy strategy,
                              RoutingMode mode = RoutingMode::PerSample, int64_t chunkBytes = 0);

    WeightEnsemblingMlp &module() { return m_mlp; }

private:
    MlpBenchConfig m_config;
    WeightEnsemblingMlp m_mlp{nullptr};
    WeightEnsemblingMlp m_mlpBf16{nullptr};
};

} // namespace wemoe::bench
