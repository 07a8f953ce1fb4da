#pragma once

#include "adapt/adaptation_progress.h"
#include "common/tensor_map.h"
#include "eval/evaluator.h"
#include "jobs/job_context.h"
#include "methods/lambda_sweep.h"
#include "methods/method_call.h"
#include "moe/adaptation_history.h"
#include "moe/routing_capture.h"
#include "moe/upscaled_clip_model.h"
#include "pool/loaded_pool.h"

#include <torch/types.h>

#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <functional>
#include <memory>

namespace wemoe {

// How runMethod runs a method, and what it hands back besides the accuracy.
struct MethodRunOptions
{
    EvalOptions eval;
    bool evaluate = true;          // false: merge or adapt only (`wemoe adapt`, exports)
    bool captureRouting = false;   // WEMoE: record the routing weights of the evaluation
    bool keepModel = false;        // hand back the merged or adapted model
    AdaptationStepCallback onStep; // adaptive methods: every completed step, on the worker
    // WEMoE: adapt this model further instead of upscaling afresh (its
    // history continues); and save its routers every N steps to a file.
    std::shared_ptr<UpscaledClipModel> startFrom;
    AdaptationHistory startHistory;
    int checkpointEvery = 0;
    QString checkpointFile;
};

// What one run produced. Partial results (adaptation steps) went to
// MethodRunOptions::onStep as they came.
struct MethodOutcome
{
    QString label;                            // the accuracy table's row
    QVector<double> accuracy;                 // per task; empty when not evaluated
    QString routingMode;                      // WEMoE: "per_sample" or "batch_reduce"; empty otherwise
    TensorMap merged;                         // keepModel: the merged model (static, data-based or AdaMerging)
    torch::Tensor coefficients;               // AdaMerging: [tasks] or [tensors, tasks]
    QStringList coefficientGroups;            // AdaMerging layer-wise: the tensor of each row
    std::shared_ptr<UpscaledClipModel> wemoe; // keepModel: the adapted WEMoE model
    AdaptationHistory adaptation;             // WEMoE: every run its routers went through
    RoutingCapture capture;                   // captureRouting: per image and block
    // Tasks whose predictions went to one class while adapting (PredictionCollapseMonitor).
    QStringList collapseWarnings;
};

// Runs one method of the catalogue on a pool: merges (or adapts, then builds)
// and evaluates on every task. The one pipeline the CLI, the studio and the
// benchmark share. Throws wemoe::Error, or wemoe::Cancelled on cancel.
MethodOutcome runMethod(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                        const JobContext &context = {});

// Measures a λ sweep: each point merged and evaluated in turn, handed to
// `onPoint` as soon as it is measured (so a cancel keeps the points so far).
// Progress counts the images of every point; its text names the point, "λ=0.5".
using SweepPointCallback = std::function<void(double lambda, const QString &label, const QVector<double> &accuracy)>;
void runLambdaSweep(const LambdaSweep &sweep, const LoadedPool &pool, const EvalOptions &options,
                    const SweepPointCallback &onPoint, const JobContext &context = {});

} // namespace wemoe
