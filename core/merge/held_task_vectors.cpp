#include "merge/held_task_vectors.h"

#include <torch/torch.h>

namespace wemoe {

HeldTaskVectors HeldTaskVectors::hold(const MergeInputs &inputs, const c10::Device &device)
{
    HeldTaskVectors held;
    held.names = inputs.mergeableNames();
    for (const auto &[name, tensor] : *inputs.pretrained)
        held.base.emplace(name, tensor.to(device, torch::kFloat32));
    held.taskVectors.resize(size_t(inputs.taskCount()));
    for (int t = 0; t < inputs.taskCount(); ++t)
        for (const auto &name : held.names)
            held.taskVectors[size_t(t)].emplace(name, inputs.taskVector(t, name).to(device));
    return held;
}

TensorMap HeldTaskVectors::merged(const torch::Tensor &coefficients) const
{
    const bool perTensor = coefficients.dim() == 2;
    TensorMap result = base;
    for (size_t g = 0; g < names.size(); ++g) {
        const auto &name = names[g];
        auto value = base.at(name);
        for (size_t t = 0; t < taskVectors.size(); ++t) {
            const auto lambda = perTensor ? coefficients[int64_t(g)][int64_t(t)] : coefficients[int64_t(t)];
            value = value + lambda * taskVectors[t].at(name);
        }
        result[name] = value;
    }
    return result;
}

} // namespace wemoe
