#pragma once

#include "jobs/job_context.h"
#include "moe/adaptation_history.h"
#include "moe/routing_capture.h"
#include "moe/upscaled_clip_model.h"
#include "pool/loaded_pool.h"

#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe {

struct UpscaledEvaluation
{
    QVector<double> accuracy; // per task, top-1
    RoutingCapture capture;   // empty unless asked for
};

// Evaluates a WEMoE model on every task's test set in `mode` (per-sample
// routing unless the caller says otherwise: the mode is part of the result's
// label), optionally recording the routing weights of every image and block.
UpscaledEvaluation evaluateUpscaled(const UpscaledClipModel &model, const LoadedPool &pool, RoutingMode mode,
                                    int batchSize, bool captureRouting, const JobContext &context = {});

// Table label of a WEMoE row, e.g. "wemoe (depth 2, 100 steps, lr 0.001,
// diversity 1, per_sample routing)", naming every upscale setting that is not
// the default (λ, init λ, router seed, bf16 task vectors); an E-WEMoE model is
// "ewemoe (depth 2, keep 10%, shared router, ...)". The same words for
// `wemoe eval -m wemoe:...`, a WEMoE model file and the studio, so two models
// built or adapted differently never share a row.
QString upscaledLabel(const UpscaleOptions &options, RoutingMode mode, const AdaptationHistory &adaptation);

} // namespace wemoe
