#pragma once

#include "adapt/adaptation_progress.h"
#include "common/tensor_map.h"
#include "jobs/job_context.h"
#include "pool/loaded_pool.h"

#include <c10/core/Device.h>
#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

enum class AdaMergingGranularity {
    TaskWise,  // θ = θ0 + Σt λt τt
    LayerWise, // θ^l = θ0^l + Σt λt^l τt^l, one λ per task and parameter tensor (FusionBench's "layer")
};

QString adaMergingGranularityName(AdaMergingGranularity granularity); // "task-wise", "layer-wise"

struct AdaMergingOptions
{
    AdaMergingGranularity granularity = AdaMergingGranularity::TaskWise;
    double initLambda = 0.3;
    int steps = 1000;
    double learningRate = 1e-3; // Adam
    int batchSize = 16;
    quint64 seed = 0;
    c10::Device device = c10::Device(c10::kCPU);
};

// The accuracy table's row: "adamerging (task-wise, 1000 steps, lr 0.001)".
QString adaMergingLabel(const AdaMergingOptions &options);

struct AdaMergingResult
{
    // [tasks] for task-wise; [groups, tasks] for layer-wise.
    torch::Tensor coefficients;
    QStringList groups; // layer-wise: the tensor each row belongs to
    TensorMap merged;   // the plain merged model at the learned coefficients
    int completedSteps = 0;
};

// AdaMerging (docs/METHOD.md, baseline table): merging coefficients learned by
// minimising the same entropy objective as WEMoE on unlabeled test batches.
// The task vectors are held in float32 on the device (T × model size); a step
// keeps one task's activation graph at a time (task_by_task_gradient.h).
// Throws wemoe::Cancelled on cancel; `lastCoefficients`, when given, then holds
// the coefficients of the last completed step.
AdaMergingResult adaMerging(const LoadedPool &pool, const AdaMergingOptions &options,
                            const AdaptationStepCallback &onStep = {}, const JobContext &context = {},
                            torch::Tensor *lastCoefficients = nullptr);

} // namespace wemoe
