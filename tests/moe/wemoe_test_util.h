#pragma once

// Shared pieces of the weight-ensembling tests: random frozen layers, random
// images, and the naive per-sample reference the batched kernels are checked against.

#include "io/clip_config.h"
#include "moe/per_sample_linear.h"

#include <torch/torch.h>

#include <cstdint>

namespace wemoe::test {

// A random TaskVectorLinear: W0 ~ N(0, 1/in), τ ~ N(0, 0.3/in), biases ~ N(0, 0.1).
inline TaskVectorLinear randomLayer(int64_t experts, int64_t in, int64_t out, uint64_t seed,
                                    torch::Dtype dtype = torch::kFloat32, bool withBias = true)
{
    auto g = at::detail::createCPUGenerator(seed);
    const auto o = torch::TensorOptions().dtype(dtype);
    const double scale = 1.0 / std::sqrt(double(in));
    TaskVectorLinear layer;
    layer.weight = at::normal(0.0, scale, {out, in}, g, o);
    layer.taskWeights = at::normal(0.0, 0.3 * scale, {experts, out, in}, g, o);
    if (withBias) {
        layer.bias = at::normal(0.0, 0.1, {out}, g, o);
        layer.taskBiases = at::normal(0.0, 0.1, {experts, out}, g, o);
    }
    return layer;
}

// The obvious per-sample loop: form W(b) and bias(b) explicitly, F.linear per
// sample. Differentiable by plain autograd.
inline torch::Tensor naivePerSampleLinear(const torch::Tensor &x, const torch::Tensor &routing,
                                          const TaskVectorLinear &layer)
{
    const auto type = x.scalar_type();
    const auto tau = layer.taskWeights.to(type);
    std::vector<torch::Tensor> outputs;
    for (int64_t b = 0; b < x.size(0); ++b) {
        auto weight = layer.weight.to(type).clone();
        torch::Tensor bias;
        if (layer.bias.defined())
            bias = layer.bias.to(type).clone();
        for (int64_t t = 0; t < tau.size(0); ++t) {
            weight = weight + routing[b][t] * tau[t];
            if (bias.defined())
                bias = bias + routing[b][t] * layer.taskBiases.to(type)[t];
        }
        outputs.push_back(torch::nn::functional::linear(x[b], weight, bias));
    }
    return torch::stack(outputs);
}

// max |a − b| over max |b|: an error relative to the scale of the result, which
// stays meaningful for entries that happen to be near zero.
inline double scaledError(const torch::Tensor &a, const torch::Tensor &b)
{
    const auto x = a.detach().to(torch::kFloat64);
    const auto y = b.detach().to(torch::kFloat64);
    return ((x - y).abs().max() / y.abs().max().clamp_min(1e-30)).item<double>();
}

// A batch of N(0, 1) "images" of a config's size, from a seed.
inline torch::Tensor randomImages(const ClipVisionConfig &config, int batch, uint64_t seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {batch, config.numChannels, config.imageSize, config.imageSize}, generator)
        .to(torch::kFloat32);
}

// A copy of a layer in another dtype (τ keeps bfloat16 when it is).
inline TaskVectorLinear layerAs(const TaskVectorLinear &layer, torch::Dtype dtype)
{
    TaskVectorLinear copy;
    copy.weight = layer.weight.to(dtype);
    copy.taskWeights = layer.taskWeights.scalar_type() == torch::kBFloat16 ? layer.taskWeights
                                                                           : layer.taskWeights.to(dtype);
    if (layer.bias.defined()) {
        copy.bias = layer.bias.to(dtype);
        copy.taskBiases = layer.taskBiases.to(dtype);
    }
    return copy;
}

} // namespace wemoe::test
