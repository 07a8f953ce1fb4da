#pragma once

#include "io/clip_config.h"
#include "merge/held_task_vectors.h"
#include "model/clip_vision_model.h"

#include <c10/core/Device.h>
#include <torch/types.h>

#include <functional>

namespace wemoe {

// Task t's scalar loss, computed by the model it is handed (with autograd on).
using TaskLoss = std::function<torch::Tensor(int task, const ClipVisionModel &model)>;

// Adds d(Σt taskLoss(t))/dλ to coefficients.grad() for the merge
// θ(λ) = held.merged(coefficients), keeping one task's activation graph alive
// at a time (AdaMerging's steps; a joint backward over all tasks held T graphs:
// 9.7 GB against 4.4 GB for ViT-B/32, 8 tasks × 16 images, docs/PERFORMANCE.md). θ(λ) is built once; each task's loss is
// back-propagated into detached leaf copies θ' (sharing θ's storage), whose
// summed gradient is then pushed through the merge to λ in one backward.
// The tasks run in the order T-1 .. 0: the joint backward of loss_0 + … + loss_{T-1}
// reaches each weight from the last task first, so this order adds the weight
// gradients in the same order and λ's gradient comes out bit-identical to the
// joint one (tests/adapt/test_adaptation.cpp). Order 0 .. T-1 differed by up to
// 4e-7 relative, enough to change the CLI's golden layer-wise AdaMerging model.
// If taskLoss throws (e.g. on cancel), coefficients.grad() is untouched.
void accumulateCoefficientGradient(const HeldTaskVectors &held, const torch::Tensor &coefficients,
                                   const ClipVisionConfig &config, const c10::Device &device, int tasks,
                                   const TaskLoss &taskLoss);

} // namespace wemoe
