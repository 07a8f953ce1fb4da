#include "adapt/adamerging.h"

#include "adapt/entropy_objective.h"
#include "adapt/prediction_collapse.h"
#include "adapt/task_by_task_gradient.h"
#include "common/error.h"
#include "eval/evaluator.h"
#include "merge/held_task_vectors.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

QString adaMergingGranularityName(AdaMergingGranularity granularity)
{
    return granularity == AdaMergingGranularity::TaskWise ? QStringLiteral("task-wise") : QStringLiteral("layer-wise");
}

QString adaMergingLabel(const AdaMergingOptions &options)
{
    return QStringLiteral("adamerging (%1, %2 steps, lr %3)")
        .arg(adaMergingGranularityName(options.granularity))
        .arg(options.steps)
        .arg(options.learningRate);
}

AdaMergingResult adaMerging(const LoadedPool &pool, const AdaMergingOptions &options,
                            const AdaptationStepCallback &onStep, const JobContext &context,
                            torch::Tensor *lastCoefficients)
{
    if (options.steps < 0)
        throw Error(QStringLiteral("AdaMerging steps must not be negative (got %1)").arg(options.steps));
    const int tasks = pool.taskCount();
    if (tasks == 0)
        throw Error(QStringLiteral("AdaMerging needs at least one task"));
    const bool layerWise = options.granularity == AdaMergingGranularity::LayerWise;

    const HeldTaskVectors held = HeldTaskVectors::hold(MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                                       options.device);
    const auto &names = held.names;

    const auto shape = layerWise ? std::vector<int64_t>{static_cast<int64_t>(names.size()), tasks}
                                 : std::vector<int64_t>{tasks};
    auto coefficients = torch::full(shape, options.initLambda,
                                    torch::TensorOptions().dtype(torch::kFloat32).device(options.device))
                            .requires_grad_(true);
    torch::optim::Adam optimizer({coefficients}, torch::optim::AdamOptions(options.learningRate));

    const auto datasets = openTaskDatasets(pool);
    UnlabeledTaskBatches batches(datasets, ImagePreprocessor(pool.pretrained.config.imageSize, pool.pool.normalization),
                                 options.batchSize, options.seed);
    std::vector<ClassificationHead> heads;
    for (const auto &head : pool.heads)
        heads.push_back(head.to(options.device));

    AdaMergingResult result;
    for (int step = 1; step <= options.steps; ++step) {
        if (lastCoefficients)
            *lastCoefficients = coefficients.detach().clone();
        context.throwIfCancelled();
        optimizer.zero_grad();
        AdaptationStep record;
        record.step = step;
        record.totalSteps = options.steps;
        record.taskEntropy.fill(0.0, tasks);
        record.topClassShare.fill(0.0, tasks);
        // One task's activation graph at a time (the tasks run last to first, see task_by_task_gradient.h).
        accumulateCoefficientGradient(held, coefficients, pool.pretrained.config, options.device, tasks,
                                      [&](int t, const ClipVisionModel &model) {
                                          context.throwIfCancelled();
                                          const auto logits = heads[size_t(t)].logits(
                                              model.encode(batches.next(t).to(options.device)));
                                          const auto entropy = meanPredictionEntropy(logits);
                                          record.taskEntropy[t] = entropy.item<double>();
                                          record.topClassShare[t] = topClassShare(logits);
                                          return entropy;
                                      });
        // Checked in task order, so the first non-finite task is named; the step's gradient is then dropped.
        for (int t = 0; t < tasks; ++t) {
            const double value = record.taskEntropy.at(t);
            if (!std::isfinite(value))
                throw Error(QStringLiteral("AdaMerging step %1: the entropy of task '%2' is %3; the coefficients "
                                           "keep the state of step %4")
                                .arg(step)
                                .arg(pool.pool.tasks.at(t).name)
                                .arg(value)
                                .arg(step - 1));
            record.loss += value;
        }
        optimizer.step();
        result.completedSteps = step;
        if (onStep)
            onStep(record);
        context.progress(step, options.steps, QStringLiteral("loss %1").arg(record.loss, 0, 'f', 4));
    }

    torch::NoGradGuard noGrad;
    result.coefficients = coefficients.detach().cpu();
    if (lastCoefficients)
        *lastCoefficients = result.coefficients;
    if (layerWise)
        for (const auto &name : names)
            result.groups << QString::fromStdString(name);
    for (auto &[name, tensor] : held.merged(coefficients.detach()))
        result.merged.emplace(name, tensor.cpu().contiguous());
    return result;
}

} // namespace wemoe
