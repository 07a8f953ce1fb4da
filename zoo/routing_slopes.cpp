#include "zoo/routing_slopes.h"

#include "common/error.h"
#include "merge/held_task_vectors.h"
#include "moe/upscaled_clip_model.h"
#include "zoo/prediction_entropy.h"

#include <torch/torch.h>

namespace wemoe {

namespace {

// θ0 + λ·Σ τt outside the MLPs, θ0 + Σ mlpWeights[t]·τt in them.
TensorMap mergedWeights(const HeldTaskVectors &held, double lambda, const std::vector<double> &mlpWeights)
{
    const int64_t tasks = int64_t(mlpWeights.size());
    const torch::Tensor mlp = torch::tensor(mlpWeights, torch::kFloat64).to(torch::kFloat32);
    torch::Tensor coefficients = torch::full({int64_t(held.names.size()), tasks}, lambda, torch::kFloat32);
    for (size_t g = 0; g < held.names.size(); ++g) {
        if (isUpscaledMlpTensor(held.names[g]))
            coefficients[int64_t(g)] = mlp;
    }
    return held.merged(coefficients);
}

} // namespace

bool RoutingSlopes::ownExpertSteepest(int task) const
{
    const QVector<double> &row = slope.at(task);
    if (!(row[task] < 0.0))
        return false;
    for (int expert = 0; expert < row.size(); ++expert) {
        if (expert != task && row[expert] <= row[task])
            return false;
    }
    return true;
}

RoutingSlopes measureRoutingSlopes(const LoadedPool &pool, double lambda, double epsilon, int batchSize,
                                   const JobContext &context)
{
    if (pool.taskCount() < 1)
        throw Error(pool.pool.path, QStringLiteral("the pool has no tasks"));
    if (!(epsilon > 0.0))
        throw Error(QStringLiteral("routing slopes: the step must be positive (got %1)").arg(epsilon));
    const int tasks = pool.taskCount();
    const ClipVisionConfig &config = pool.pretrained.config;
    const std::vector<TrainingImages> tests = loadTestSplits(pool, context);
    torch::NoGradGuard noGrad;
    const HeldTaskVectors held = HeldTaskVectors::hold(MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                                       torch::kCPU);

    RoutingSlopes slopes;
    slopes.taskNames = pool.taskNames();
    slopes.lambda = lambda;
    slopes.epsilon = epsilon;
    slopes.slope = QVector<QVector<double>>(tasks, QVector<double>(tasks, 0.0));
    const qint64 steps = qint64(tasks + 2) * tasks;
    // expert -1: task arithmetic itself.
    for (int expert = -1; expert < tasks; ++expert) {
        context.throwIfCancelled();
        std::vector<double> mlpWeights(size_t(tasks), lambda);
        if (expert >= 0)
            mlpWeights[size_t(expert)] += epsilon;
        const TensorMap weights = mergedWeights(held, lambda, mlpWeights);
        for (int u = 0; u < tasks; ++u) {
            context.throwIfCancelled();
            const TaskConfidence measured = measureOnTask(config, weights, pool.heads[size_t(u)], tests[size_t(u)],
                                                          batchSize);
            if (expert < 0) {
                slopes.entropyAtStart.append(measured.normalizedEntropy);
                slopes.accuracyAtStart.append(measured.accuracy);
            } else {
                slopes.slope[u][expert] = (measured.normalizedEntropy - slopes.entropyAtStart[u]) / epsilon;
            }
            context.progress(qint64(expert + 1) * tasks + u + 1, steps,
                             expert < 0 ? QStringLiteral("task arithmetic") : slopes.taskNames[expert]);
        }
    }
    for (int u = 0; u < tasks; ++u) {
        context.throwIfCancelled();
        std::vector<double> oneHot(size_t(tasks), 0.0);
        oneHot[size_t(u)] = 1.0;
        slopes.ownExpertAccuracy.append(measureOnTask(config, mergedWeights(held, lambda, oneHot),
                                                      pool.heads[size_t(u)], tests[size_t(u)], batchSize)
                                            .accuracy);
        context.progress(qint64(tasks + 1) * tasks + u + 1, steps, QStringLiteral("own experts"));
    }
    return slopes;
}

} // namespace wemoe
