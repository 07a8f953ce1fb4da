#pragma once

#include "jobs/job_context.h"
#include "merge/merge_inputs.h"

#include <torch/types.h>

namespace wemoe {

// Cosine similarity of the task vectors τt = θt − θ0 (all mergeable tensors
// flattened together): [tasks, tasks] float64 in [-1, 1], NaN for a task
// vector of zero length. Task vectors that point apart are what merging has
// to reconcile; this is the matrix to look at before choosing λ or a method.
// Accumulated tensor by tensor in double, so memory stays at one tensor per
// task. Progress per tensor, cancellable between tensors.
torch::Tensor taskVectorSimilarity(const MergeInputs &inputs, const JobContext &context = {});

} // namespace wemoe
