#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"

#include <torch/types.h>

#include <QtCore/QString>

#include <functional>
#include <vector>

namespace wemoe {

// The one training loop of the demo models (the demo zoo's pretraining and
// fine-tuning, and `pool synth --fine-tune-steps`), with the engine's own
// functional model: a ClipVisionModel built from a map of leaf tensors that
// record gradients computes with those very tensors (its float32
// .contiguous() copy of a float32 contiguous CPU tensor is the tensor
// itself), so an optimizer over the leaves trains the model.

// Float32 contiguous CPU copies of `weights`, detached from any graph, as
// leaves with requires_grad set.
TensorMap trainableWeights(const TensorMap &weights);
// Float32 copies without gradients: what is exported after training.
TensorMap detachedWeights(const TensorMap &weights);
// The map's tensors in its (sorted, so deterministic) order.
std::vector<torch::Tensor> tensorList(const TensorMap &weights);

struct TrainSchedule
{
    int steps = 0;
    double learningRate = 1e-3;
    bool constantRate = false; // true: learningRate at every step (no warm-up, no decay)
    int warmupSteps = 0;       // linear ramp from 0, then a cosine decay to 0 at the last step
    double weightDecay = 0.05; // on matrices only (dim >= 2): not on biases, norms or the class token
    double maxGradNorm = 1.0;  // <= 0: no clipping
};

// The learning rate of step `step` (0-based) under the schedule.
double scheduledLearningRate(const TrainSchedule &schedule, int step);

struct TrainReport
{
    int steps = 0;
    double firstLoss = 0.0; // mean over the first tenth of the steps
    double finalLoss = 0.0; // mean over the last tenth
    double seconds = 0.0;
};

// Runs schedule.steps AdamW steps on `parameters` (with no weight decay,
// AdamW's step is Adam's); lossOfStep(step) draws the
// step's batch and returns the scalar loss to minimise. Progress is reported
// in steps through `context` (labelled `what`), cancellation is polled every
// step. Throws wemoe::Error naming `what` when the loss is not finite.
TrainReport trainWithAdamW(const std::vector<torch::Tensor> &parameters, const TrainSchedule &schedule,
                           const std::function<torch::Tensor(int step)> &lossOfStep, const JobContext &context,
                           const QString &what);

} // namespace wemoe
