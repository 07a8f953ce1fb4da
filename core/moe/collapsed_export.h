#pragma once

#include "io/checkpoint.h"
#include "jobs/job_context.h"
#include "moe/upscaled_clip_model.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// A WEMoE model folded into plain CLIP checkpoints, one per task: each block's
// MLP merged at the routing weights averaged over that task's test images
// (UpscaledClipModel::collapse), written as `folder`/<task>/ Hugging Face
// folders shaped like `like`.
//
// The whole of `folder` is one StagedFolder: every task is written into a
// hidden sibling that takes `folder`'s place only when all are done, so a
// failure or cancel between tasks leaves nothing, and an existing `folder` is
// replaced only with options.overwrite. Task names become folder names and
// come from files: each must be one path component (`source` names the file in
// the error).
//
// `tasks` are names of model.taskNames(); meanRouting is [experts, layers,
// experts], row t for model.taskNames()[t]; `routing` ("sample", "batch") is
// recorded in each file's metadata. Returns the folders as they are now.
QStringList exportCollapsedModels(const QString &folder, const Checkpoint &like, const UpscaledClipModel &model,
                                  const QStringList &tasks, const torch::Tensor &meanRouting, const QString &routing,
                                  const ExportOptions &options, const QString &source, const JobContext &context = {});

} // namespace wemoe
