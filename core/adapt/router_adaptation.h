#pragma once

#include "adapt/adaptation_progress.h"
#include "jobs/job_context.h"
#include "moe/adaptation_history.h"
#include "moe/upscaled_clip_model.h"
#include "pool/loaded_pool.h"

#include <QtCore/QString>

namespace wemoe {

struct RouterAdaptationOptions
{
    int steps = 1000;
    double learningRate = 1e-4; // Adam
    int batchSize = 16;         // unlabeled test images per task per step
    quint64 seed = 0;           // batch order
    RoutingMode routing = RoutingMode::PerSample;
    // > 0: each task's loss is its mean entropy minus this times the entropy
    // of its batch's mean prediction (batchPredictionEntropy). 0 is the
    // paper's objective. Where entropy minimisation sends a task to one class
    // (docs/ZOO.md), the second term makes that collapse cost. It pulls each
    // batch's mean prediction towards uniform, so it assumes the classes of a
    // task's unlabeled images are roughly balanced.
    double diversityWeight = 0.0;
    int checkpointEvery = 0; // > 0: save the router state every N steps ...
    QString checkpointFile;  // ... to this .safetensors file (atomically)
};

// What a model file and a table row record of one adaptation run.
AdaptationRun adaptationRunOf(const RouterAdaptationOptions &options);

// WEMoE's test-time adaptation (docs/METHOD.md, WEMoE step 6): only the routers
// train, on loss = Σ_t mean entropy of softmax(head_t(model(batch_t))) (minus
// the diversity term when diversityWeight > 0; the recorded loss stays the
// entropy sum), one
// shuffled unlabeled batch per task per step, Adam. Each task's backward runs
// before the next task's forward, so at most one task's graph is alive.
//
// A step changes the routers only once all its tasks are done: on cancel
// (wemoe::Cancelled) or a non-finite loss (wemoe::Error naming the step and
// task) the model holds the routers of the last completed step.
// Returns the number of completed steps (== options.steps).
int adaptRouters(UpscaledClipModel &model, const LoadedPool &pool, const RouterAdaptationOptions &options,
                 const AdaptationStepCallback &onStep = {}, const JobContext &context = {});

} // namespace wemoe
