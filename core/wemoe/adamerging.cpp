#include "wemoe/adamerging.h"

#include "common/error.h"
#include "eval/evaluator.h"
#include "merge/merge_inputs.h"
#include "model/clip_vision_model.h"
#include "wemoe/entropy_objective.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

QString adaMergingGranularityName(AdaMergingGranularity granularity)
{
    return granularity == AdaMergingGranularity::TaskWise ? QStringLiteral("task-wise") : QStringLiteral("layer-wise");
}

namespace {

// θ = θ0 + Σt λ[g(name), t] τt[name], differentiable in λ.
TensorMap mergeAt(const TensorMap &base, const std::vector<TensorMap> &taskVectors,
                  const std::vector<std::string> &names, const torch::Tensor &coefficients, bool layerWise)
{
    TensorMap merged = base;
    for (size_t g = 0; g < names.size(); ++g) {
        const auto &name = names[g];
        auto value = base.at(name);
        for (size_t t = 0; t < taskVectors.size(); ++t) {
            const auto lambda = layerWise ? coefficients[g][t] : coefficients[t];
            value = value + lambda * taskVectors[t].at(name);
        }
        merged[name] = value;
    }
    return merged;
}

} // namespace

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

    MergeInputs inputs{&pool.pretrained.vision, pool.taskWeights()};
    const auto names = inputs.mergeableNames();
    TensorMap base;
    for (const auto &[name, tensor] : pool.pretrained.vision)
        base.emplace(name, tensor.to(options.device, torch::kFloat32));
    std::vector<TensorMap> taskVectors(tasks);
    for (int t = 0; t < tasks; ++t)
        for (const auto &name : names)
            taskVectors[t].emplace(name, inputs.taskVector(t, name).to(options.device));

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
        const ClipVisionModel model(pool.pretrained.config, mergeAt(base, taskVectors, names, coefficients, layerWise),
                                    options.device);
        AdaptationStep record;
        record.step = step;
        record.totalSteps = options.steps;
        torch::Tensor loss;
        for (int t = 0; t < tasks; ++t) {
            context.throwIfCancelled();
            const auto entropy = meanPredictionEntropy(
                heads[t].logits(model.encode(batches.next(t).to(options.device))));
            const double value = entropy.item<double>();
            if (!std::isfinite(value))
                throw Error(QStringLiteral("AdaMerging step %1: the entropy of task '%2' is %3; the coefficients "
                                           "keep the state of step %4")
                                .arg(step)
                                .arg(pool.pool.tasks.at(t).name)
                                .arg(value)
                                .arg(step - 1));
            record.taskEntropy.append(value);
            record.loss += value;
            loss = loss.defined() ? loss + entropy : entropy;
        }
        loss.backward();
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
    for (auto &[name, tensor] : mergeAt(base, taskVectors, names, coefficients.detach(), layerWise))
        result.merged.emplace(name, tensor.cpu().contiguous());
    return result;
}

} // namespace wemoe
