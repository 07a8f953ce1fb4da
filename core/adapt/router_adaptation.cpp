#include "adapt/router_adaptation.h"

#include "adapt/entropy_objective.h"
#include "adapt/prediction_collapse.h"
#include "common/error.h"
#include "eval/evaluator.h"
#include "io/safetensors.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

AdaptationRun adaptationRunOf(const RouterAdaptationOptions &options)
{
    return AdaptationRun{options.steps, options.learningRate, options.diversityWeight};
}

int adaptRouters(UpscaledClipModel &model, const LoadedPool &pool, const RouterAdaptationOptions &options,
                 const AdaptationStepCallback &onStep, const JobContext &context)
{
    if (options.steps < 0)
        throw Error(QStringLiteral("adaptation steps must not be negative (got %1)").arg(options.steps));
    if (!(options.diversityWeight >= 0.0))
        throw Error(QStringLiteral("the diversity weight must not be negative (got %1)").arg(options.diversityWeight));
    if (!(options.learningRate > 0.0))
        throw Error(QStringLiteral("adaptation learning rate must be positive (got %1)").arg(options.learningRate));
    if (model.experts() != pool.taskCount())
        throw Error(QStringLiteral("the WEMoE model has %1 experts but the pool has %2 tasks")
                        .arg(model.experts())
                        .arg(pool.taskCount()));

    const auto datasets = openTaskDatasets(pool);
    UnlabeledTaskBatches batches(datasets, ImagePreprocessor(model.config().imageSize, pool.pool.normalization),
                                 options.batchSize, options.seed);
    std::vector<ClassificationHead> heads;
    for (const auto &head : pool.heads)
        heads.push_back(head.to(model.device()));

    auto parameters = model.routerParameters();
    torch::optim::Adam optimizer(parameters, torch::optim::AdamOptions(options.learningRate));

    for (int step = 1; step <= options.steps; ++step) {
        optimizer.zero_grad();
        AdaptationStep record;
        record.step = step;
        record.totalSteps = options.steps;
        for (int t = 0; t < pool.taskCount(); ++t) {
            if (context.isCancelled()) {
                optimizer.zero_grad(); // the half-done step leaves no trace
                throw Cancelled();
            }
            const auto images = batches.next(t).to(model.device());
            const auto logits = heads[t].logits(model.encode(images, options.routing));
            const auto entropy = meanPredictionEntropy(logits);
            const double value = entropy.item<double>();
            if (!std::isfinite(value)) {
                optimizer.zero_grad();
                throw Error(QStringLiteral("adaptation step %1: the entropy of task '%2' is %3; the routers keep "
                                           "the state of step %4 (try a lower learning rate)")
                                .arg(step)
                                .arg(pool.pool.tasks.at(t).name)
                                .arg(value)
                                .arg(step - 1));
            }
            const auto loss = options.diversityWeight > 0.0
                                  ? entropy - options.diversityWeight * batchPredictionEntropy(logits)
                                  : entropy;
            loss.backward();
            record.taskEntropy.append(value);
            record.topClassShare.append(topClassShare(logits));
            record.loss += value;
        }
        optimizer.step();
        if (onStep)
            onStep(record);
        context.progress(step, options.steps, QStringLiteral("loss %1").arg(record.loss, 0, 'f', 4));
        if (options.checkpointEvery > 0 && !options.checkpointFile.isEmpty()
            && (step % options.checkpointEvery == 0 || step == options.steps)) {
            Metadata metadata{{"wemoe_router_step", std::to_string(step)}};
            writeSafetensors(options.checkpointFile, model.routerState(), metadata);
        }
    }
    return options.steps;
}

} // namespace wemoe
