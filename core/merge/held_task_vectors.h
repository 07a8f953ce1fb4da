#pragma once

#include "common/tensor_map.h"
#include "merge/merge_inputs.h"

#include <c10/core/Device.h>
#include <torch/types.h>

#include <string>
#include <vector>

namespace wemoe {

// θ0 and the task vectors τ1..τT held in memory on one device, for rules that
// merge the same inputs many times with different coefficients (AdaMerging's
// steps, the routing slopes of `wemoe zoo entropy`).
struct HeldTaskVectors
{
    std::vector<std::string> names;     // MergeInputs::mergeableNames()
    TensorMap base;                     // every tensor of θ0, as float32
    std::vector<TensorMap> taskVectors; // per task, τt of every name

    static HeldTaskVectors hold(const MergeInputs &inputs, const c10::Device &device);

    // θ = θ0 + Σt λ[g, t]·τt[names[g]] for coefficients [names, tasks], or
    // θ0 + Σt λ[t]·τt for coefficients [tasks]; differentiable in λ.
    TensorMap merged(const torch::Tensor &coefficients) const;
};

} // namespace wemoe
