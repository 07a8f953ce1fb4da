#include "naive_per_sample.h"

#include <torch/torch.h>

#include <functional>

namespace wemoe::bench {

namespace {

namespace F = torch::nn::functional;

using MergeFunction =
    std::function<torch::Tensor(const torch::Tensor &base, const torch::Tensor &tasks, int64_t sample)>;

torch::Tensor perSampleLoop(const WeightEnsemblingMlpImpl &mlp, const torch::Tensor &h, const MergeFunction &merged)
{
    const auto &fc1 = mlp.fc1();
    const auto &fc2 = mlp.fc2();
    std::vector<torch::Tensor> outputs;
    outputs.reserve(static_cast<std::size_t>(h.size(0)));
    for (int64_t b = 0; b < h.size(0); ++b) {
        const auto inner = F::linear(h[b], merged(fc1.weight, fc1.taskWeights, b), merged(fc1.bias, fc1.taskBiases, b));
        const auto act = applyMlpActivation(mlp.activation(), inner);
        outputs.push_back(F::linear(act, merged(fc2.weight, fc2.taskWeights, b), merged(fc2.bias, fc2.taskBiases, b)));
    }
    return torch::stack(outputs);
}

} // namespace

torch::Tensor naiveReferenceMlp(const WeightEnsemblingMlpImpl &mlp, const torch::Tensor &h)
{
    const auto w = mlp.router()->routingWeights(h);
    return perSampleLoop(mlp, h, [&](const torch::Tensor &base, const torch::Tensor &tasks, int64_t b) {
        auto theta = base;
        for (int64_t t = 0; t < tasks.size(0); ++t)
            theta = theta + w[b][t] * tasks[t];
        return theta;
    });
}

torch::Tensor naiveMatmulMergeMlp(const WeightEnsemblingMlpImpl &mlp, const torch::Tensor &h)
{
    const auto w = mlp.router()->routingWeights(h);
    return perSampleLoop(mlp, h, [&](const torch::Tensor &base, const torch::Tensor &tasks, int64_t b) {
        return base + at::matmul(w[b], tasks.flatten(1)).view(base.sizes());
    });
}

} // namespace wemoe::bench
