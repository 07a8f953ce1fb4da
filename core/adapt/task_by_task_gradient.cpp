#include "adapt/task_by_task_gradient.h"

#include <torch/torch.h>

namespace wemoe {

void accumulateCoefficientGradient(const HeldTaskVectors &held, const torch::Tensor &coefficients,
                                   const ClipVisionConfig &config, const c10::Device &device, int tasks,
                                   const TaskLoss &taskLoss)
{
    const TensorMap merged = held.merged(coefficients);
    // θ' leaves share θ's storage; tensors that do not depend on λ (not merged) pass through.
    TensorMap leaves;
    std::vector<torch::Tensor> mergedTensors;
    std::vector<torch::Tensor> leafTensors;
    for (const auto &[name, tensor] : merged) {
        if (!tensor.requires_grad()) {
            leaves.emplace(name, tensor);
            continue;
        }
        auto leaf = tensor.detach().requires_grad_(true);
        leaves.emplace(name, leaf);
        mergedTensors.push_back(tensor);
        leafTensors.push_back(leaf);
    }
    const ClipVisionModel model(config, leaves, device);
    // Last task first: the order in which a joint backward would reach the weights (see the header).
    for (int t = tasks - 1; t >= 0; --t)
        taskLoss(t, model).backward(); // frees task t's graph before the next task runs
    std::vector<torch::Tensor> weightGradients;
    std::vector<torch::Tensor> reached;
    for (size_t i = 0; i < leafTensors.size(); ++i) {
        if (!leafTensors[i].grad().defined())
            continue; // a weight no task's loss reached (none in a plain CLIP encoder)
        reached.push_back(mergedTensors[i]);
        weightGradients.push_back(leafTensors[i].grad());
    }
    if (!reached.empty())
        torch::autograd::backward(reached, weightGradients);
}

} // namespace wemoe
