#pragma once

#include "jobs/job_context.h"
#include "moe/adaptation_history.h"
#include "moe/upscaled_clip_model.h"

#include <c10/core/Device.h>

#include <QtCore/QString>

namespace wemoe {

// A WEMoE model as one .safetensors file:
//   dense.<name>               the merged dense weights (canonical CLIP names; θ0's MLPs)
//   moe.layers.N.<buffer>      θ0 MLP and the stacked task vectors of block N
//   router.layers.N.<param>    the routers
//   __metadata__: wemoe_format "1", config (CLIPVisionConfig JSON), tasks (JSON
//   array), scaling_factor, router_depth, init_lambda, router_seed,
//   bf16_task_vectors, adapted_steps (the total), adaptation_history (JSON:
//   the runs with their steps, learning rate and diversity weight; files
//   without it read as one run of adapted_steps with the objective unknown).
// E-WEMoE (pruned task vectors or a shared router) is wemoe_format "2", which
// adds task_vector_keep, sparse_row_block and router_sharing; block N's
// pruned weights are fc1_task_values, fc1_task_indices, fc1_task_block_starts
// (the same for fc2) in place of fc1_task_weights, and a shared router is
// router.shared.<param>. A WEMoE model is still written as format 1.
// Written atomically; read back exactly (same tensors bit for bit).
void saveUpscaledModel(const QString &path, const UpscaledClipModel &model, const AdaptationHistory &adaptation,
                       const JobContext &context = {});

struct LoadedUpscaledModel
{
    UpscaledClipModel model;
    AdaptationHistory adaptation;
};

// Throws wemoe::Error naming the file for anything that is not such a file or
// does not fit together (missing tensors, wrong shapes, router depth).
LoadedUpscaledModel loadUpscaledModel(const QString &path, const c10::Device &device);

} // namespace wemoe
