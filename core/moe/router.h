#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace wemoe {

struct RouterOptions
{
    int64_t hiddenSize = 768; // D, the width of the MLP input h
    int64_t experts = 8;      // T
    int depth = 2;            // 0: a learned bias; 1: Linear(D, T); 2: Linear(D, D), ReLU, Linear(D, T)
    double initLambda = 0.3;  // the last bias at init, so step 0 equals task arithmetic
    uint64_t seed = 0;        // the same seed gives the same router on every machine
};

// The router of one weight-ensembling MLP: reads h token by token and gives
// each token T expert weights. No softmax: weights may be negative and need
// not sum to 1. Weights ~ N(0, 0.01) drawn on the CPU from a generator seeded
// by options.seed, first bias 0, last bias initLambda. Built on the CPU; move
// it with ->to(device).
struct RouterImpl : torch::nn::Module
{
    explicit RouterImpl(const RouterOptions &options);

    // h [B, N, D] -> per-token weights [B, N, T].
    torch::Tensor forward(const torch::Tensor &h);
    // Per-sample routing weights: the mean over all tokens (CLS included), [B, T].
    torch::Tensor routingWeights(const torch::Tensor &h);

    const RouterOptions &options() const { return m_options; }

    static constexpr double kInitStd = 0.01;

private:
    RouterOptions m_options;
    torch::Tensor m_hiddenWeight; // [D, D], depth 2
    torch::Tensor m_hiddenBias;   // [D], depth 2
    torch::Tensor m_outputWeight; // [T, D], depth >= 1
    torch::Tensor m_outputBias;   // [T], every depth
};
TORCH_MODULE(Router);

} // namespace wemoe
