#pragma once

#include "common/tensor_map.h"

#include <torch/types.h>

#include <vector>

namespace wemoe {

// What every merge rule reads: the pretrained weights θ0 and the fine-tuned
// weights θ1..θT, all with the same names and shapes (LoadedPool checks that).
// The maps are usually memory-mapped checkpoints: rules read them tensor by
// tensor, so memory stays near one merged model plus one tensor per task.
struct MergeInputs
{
    const TensorMap *pretrained = nullptr;
    std::vector<const TensorMap *> finetuned;

    int taskCount() const { return static_cast<int>(finetuned.size()); }
    // Names of the tensors merged, in order: every floating-point tensor of θ0.
    std::vector<std::string> mergeableNames() const;
    // θ0[name] as float32 (on the CPU).
    torch::Tensor base(const std::string &name) const;
    // τt[name] = θt[name] − θ0[name], float32 (on the CPU).
    torch::Tensor taskVector(int task, const std::string &name) const;
};

} // namespace wemoe
