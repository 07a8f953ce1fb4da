#pragma once

#include "model/mlp_activation.h"
#include "moe/per_sample_linear.h"
#include "moe/router.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <QtCore/QString>

#include <cstdint>
#include <string>
#include <vector>

namespace wemoe {

// The four tensors of a CLIP MLP (fc1, activation, fc2). Used both for the
// pretrained MLP θ0 and for a task vector τt = θt − θ0.
struct MlpWeights
{
    torch::Tensor fc1Weight; // [I, D]
    torch::Tensor fc1Bias;   // [I]
    torch::Tensor fc2Weight; // [D, I]
    torch::Tensor fc2Bias;   // [D]
};

// PerSample: every sample gets its own merged MLP (the paper's method).
// BatchReduce: the routing weights are averaged over the batch and one merged
// MLP serves the whole batch (cheaper, no longer per sample).
enum class RoutingMode { PerSample, BatchReduce };

QString routingModeName(RoutingMode mode);

struct WeightEnsemblingMlpOptions
{
    QString activation = QStringLiteral("quick_gelu"); // config.json's hidden_act
    int routerDepth = 2;
    double initLambda = 0.3;
    uint64_t routerSeed = 0;
    // Store τ in bfloat16 (half the memory); chunks are widened to float32 in the kernel.
    bool bf16TaskVectors = false;
    // E-WEMoE: the share of every MLP task-vector tensor (fc1 and fc2, weights
    // and biases, each on its own) kept by magnitude (magnitude_pruning.h).
    // Below 1 the weights' τ is stored sparse; 1 is WEMoE, dense.
    double keepRatio = 1.0;
    int64_t sparseRowBlock = SparseTaskWeights::kDefaultRowBlock; // rows per block of sparse τ
    PerSampleLinearOptions linear;                                // strategy and chunking of the per-sample kernel
};

// E-WEMoE's pruned task vectors of one MLP as a model file stores them: the
// weights sparse, the biases pruned but dense ([T, I] and [T, D]).
struct SparseMlpTaskVectors
{
    SparseTaskWeights fc1Weights;
    torch::Tensor fc1Biases;
    SparseTaskWeights fc2Weights;
    torch::Tensor fc2Biases;
};

// The router an MLP of `hiddenSize` and `experts` gets from `options` (depth,
// init λ, seed): a block's own router, and E-WEMoE's shared one.
RouterOptions routerOptionsFor(const WeightEnsemblingMlpOptions &options, int64_t hiddenSize, int64_t experts);

struct EnsembledMlpOutput
{
    torch::Tensor output;         // [B, N, D]
    torch::Tensor routingWeights; // [B, T], the weights actually applied to each sample
};

// One transformer block's MLP upscaled into a weight-ensembling MoE:
// θ(b) = θ0 + Σt w[b,t] τt for the weights and biases of fc1 and fc2, with w
// from the block's Router. θ0 and τ are frozen buffers (stored once, never
// requiring grad); the router's parameters are the only parameters, so
// parameters() is exactly what test-time adaptation trains.
struct WeightEnsemblingMlpImpl : torch::nn::Module
{
    // Copies θ0 (as float32) and stacks the task vectors, pruned and sparse
    // when options.keepRatio < 1; everything lives on the device of
    // pretrained.fc1Weight and moves with ->to(device) (the TaskVectorLinear
    // members share their storage with the registered buffers). With
    // sharedRouter the MLP routes with that router (E-WEMoE's router shared by
    // every block) instead of making its own. Throws wemoe::Error naming the
    // first missing or mis-shaped tensor.
    WeightEnsemblingMlpImpl(const MlpWeights &pretrained, const std::vector<MlpWeights> &taskVectors,
                            const WeightEnsemblingMlpOptions &options = {}, Router sharedRouter = nullptr);
    // From task vectors already pruned (a model file): options.keepRatio is
    // recorded, not applied again.
    WeightEnsemblingMlpImpl(const MlpWeights &pretrained, const SparseMlpTaskVectors &taskVectors,
                            const WeightEnsemblingMlpOptions &options, Router sharedRouter = nullptr);

    // h [B, N, D] (the LN2 output) -> output and routing weights. In BatchReduce
    // mode the returned weights are the batch mean, repeated for every sample.
    EnsembledMlpOutput forward(const torch::Tensor &h, RoutingMode mode = RoutingMode::PerSample);

    // The MLP with externally fixed routing weights: [B, T] (one row per sample)
    // or [1, T] / [T] (one merged MLP for the whole batch). Differentiable
    // w.r.t. h and routing.
    torch::Tensor forwardWithRouting(const torch::Tensor &h, const torch::Tensor &routing);

    Router router() const { return m_router; }
    int64_t experts() const { return m_fc1.experts(); }
    int64_t hiddenSize() const { return m_fc1.inFeatures(); }
    int64_t intermediateSize() const { return m_fc1.outFeatures(); }
    MlpActivation activation() const { return m_activation; }
    const TaskVectorLinear &fc1() const { return m_fc1; }
    const TaskVectorLinear &fc2() const { return m_fc2; }

    // Strategy and chunking can be changed between calls (the benchmark does).
    void setLinearOptions(const PerSampleLinearOptions &options) { m_linearOptions = options; }
    const PerSampleLinearOptions &linearOptions() const { return m_linearOptions; }

private:
    void registerLinear(const std::string &prefix, TaskVectorLinear &target, TaskVectorLinear source);
    void setRouter(const WeightEnsemblingMlpOptions &options, Router sharedRouter);

    MlpActivation m_activation;
    PerSampleLinearOptions m_linearOptions;
    TaskVectorLinear m_fc1;
    TaskVectorLinear m_fc2;
    Router m_router{nullptr};
};
TORCH_MODULE(WeightEnsemblingMlp);

} // namespace wemoe
