#include "zoo/zoo_training.h"

#include "common/error.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "zoo/seeded_random.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

// The linear which-task head reads L2-normalised features (like every head of
// the pool), scaled so they can become confident.
constexpr double kHeadFeatureScale = 10.0;

void checkInputs(const ZooTrainingRecipe &recipe, const QVector<TrainingImages> &splits)
{
    if (splits.size() < 2)
        throw Error(QStringLiteral("pretext pretraining needs at least two tasks (got %1)").arg(splits.size()));
    for (const TrainingImages &split : splits) {
        if (split.size() < 1)
            throw Error(QStringLiteral("pretext pretraining: the train split of task '%1' is empty").arg(split.task));
        if (split.images.size(2) != recipe.model.imageSize || split.images.size(3) != recipe.model.imageSize)
            throw Error(QStringLiteral("pretext pretraining: task '%1' has %2 px images, the model takes %3 px")
                            .arg(split.task)
                            .arg(split.images.size(2))
                            .arg(recipe.model.imageSize));
    }
    if (recipe.pretextProjectionDim > 0
        && (recipe.model.projectionDim < 1 || recipe.model.projectionDim > recipe.model.hiddenSize))
        throw Error(QStringLiteral("pretext pretraining: a rotated projection needs 1..%1 output features (got %2)")
                        .arg(recipe.model.hiddenSize)
                        .arg(recipe.model.projectionDim));
    if (recipe.pretextBatch < splits.size())
        throw Error(QStringLiteral("pretext pretraining: batch %1 is smaller than the %2 tasks it must balance")
                        .arg(recipe.pretextBatch)
                        .arg(splits.size()));
    if (recipe.contrastiveWeight < 0 || recipe.taskWeight < 0 || recipe.classWeight < 0
        || recipe.contrastiveWeight + recipe.taskWeight + recipe.classWeight <= 0)
        throw Error(QStringLiteral("pretext pretraining: the loss weights must be >= 0 and not all 0"));
    if (!(recipe.contrastiveTemperature > 0))
        throw Error(QStringLiteral("pretext pretraining: the temperature must be positive"));
}

torch::Tensor normalized(const torch::Tensor &features)
{
    return features / features.norm(2, {1}, true).clamp_min(1e-12);
}

// SimCLR's NT-Xent: rows i and i + n of `features` [2n, F] are two views of
// one image; each view must pick its twin among the 2n - 1 others.
torch::Tensor contrastiveLoss(const torch::Tensor &features, double temperature, qint64 *twinsFound)
{
    const int64_t views = features.size(0);
    const int64_t n = views / 2;
    const torch::Tensor z = normalized(features);
    const torch::Tensor self = torch::eye(views, torch::kBool);
    const torch::Tensor logits = (torch::mm(z, z.t()) / temperature).masked_fill(self, -1e9);
    const torch::Tensor twin = torch::cat({torch::arange(n, views), torch::arange(0, n)});
    if (twinsFound)
        *twinsFound += logits.argmax(1).eq(twin).sum().item<int64_t>();
    return torch::cross_entropy_loss(logits, twin);
}

} // namespace

PretextResult pretrainWithPretext(const ZooTrainingRecipe &recipe, const QVector<TrainingImages> &trainSplits,
                                  const JobContext &context)
{
    checkInputs(recipe, trainSplits);
    const int tasks = trainSplits.size();
    const int batchSize = recipe.pretextBatch;

    const quint64 stream = SeededRandom::mix({recipe.seed, SeededRandom::hashName(QStringLiteral("pretext"))});
    ClipVisionConfig pretextConfig = recipe.model;
    if (recipe.pretextProjectionDim > 0)
        pretextConfig.projectionDim = recipe.pretextProjectionDim;
    TensorMap leaves = trainableWeights(randomClipVisionWeights(pretextConfig, stream, recipe.initStd));
    const ClipVisionModel model(pretextConfig, leaves, torch::kCPU);
    const int features = model.featureDim();

    at::Generator generator = at::detail::createCPUGenerator(SeededRandom::mix({stream, 1}));
    torch::Tensor taskWeight = (torch::randn({tasks, features}, generator) * 0.02).requires_grad_(true);
    torch::Tensor taskBias = torch::zeros({tasks}).requires_grad_(true);
    std::vector<torch::Tensor> parameters = tensorList(leaves);
    if (recipe.taskWeight > 0)
        parameters.insert(parameters.end(), {taskWeight, taskBias});
    // One linear class head per task for the supervised part of the loss.
    std::vector<torch::Tensor> classWeights;
    std::vector<torch::Tensor> classBiases;
    for (int t = 0; t < tasks; ++t) {
        const int classes = trainSplits[t].classNames.size();
        classWeights.push_back((torch::randn({classes, features}, generator) * 0.02).requires_grad_(true));
        classBiases.push_back(torch::zeros({classes}).requires_grad_(true));
        if (recipe.classWeight > 0)
            parameters.insert(parameters.end(), {classWeights.back(), classBiases.back()});
    }

    std::vector<EpochSampler> samplers;
    for (int t = 0; t < tasks; ++t)
        samplers.emplace_back(trainSplits[t].size(),
                              at::detail::createCPUGenerator(SeededRandom::mix({stream, 2, quint64(t)})));

    TrainSchedule schedule;
    schedule.steps = recipe.pretextSteps;
    schedule.learningRate = recipe.pretextLearningRate;
    schedule.warmupSteps = recipe.pretextWarmupSteps;
    schedule.weightDecay = recipe.weightDecay;
    schedule.maxGradNorm = recipe.maxGradNorm;
    const int window = std::max(1, schedule.steps / 10);
    qint64 twins = 0;
    qint64 taskHits = 0;
    qint64 classHits = 0;
    qint64 viewsCounted = 0;

    const auto lossOfStep = [&](int step) {
        const bool measure = step >= schedule.steps - window;
        // Balanced over tasks: each task gets batch/tasks images, the first
        // batch % tasks tasks (rotating with the step) one more.
        std::vector<torch::Tensor> images;
        std::vector<torch::Tensor> taskIds;
        std::vector<torch::Tensor> mayFlip;
        std::vector<torch::Tensor> labels;
        for (int t = 0; t < tasks; ++t) {
            const int count = batchSize / tasks + (((t - step) % tasks + tasks) % tasks < batchSize % tasks ? 1 : 0);
            const torch::Tensor index = samplers[size_t(t)].next(count);
            images.push_back(trainSplits[t].images.index_select(0, index));
            taskIds.push_back(torch::full({count}, t, torch::kInt64));
            mayFlip.push_back(torch::full({count}, trainSplits[t].mirrorSafe, torch::kBool));
            labels.push_back(trainSplits[t].labels.index_select(0, index));
        }
        const torch::Tensor batch = torch::cat(images);
        const torch::Tensor task = torch::cat(taskIds);
        const torch::Tensor flips = torch::cat(mayFlip);

        torch::Tensor views = randomResizedView(batch, recipe.viewMinArea, recipe.viewJitter,
                                                recipe.viewGrayProbability, flips, generator);
        if (recipe.contrastiveWeight > 0)
            views = torch::cat({views, randomResizedView(batch, recipe.viewMinArea, recipe.viewJitter,
                                                         recipe.viewGrayProbability, flips, generator)});
        const torch::Tensor encoded = model.encode(views);
        torch::Tensor loss = torch::zeros({});
        if (recipe.contrastiveWeight > 0)
            loss = loss
                   + recipe.contrastiveWeight
                         * contrastiveLoss(encoded, recipe.contrastiveTemperature, measure ? &twins : nullptr);
        if (recipe.taskWeight > 0) {
            const torch::Tensor target = task.repeat({encoded.size(0) / task.size(0)});
            const torch::Tensor logits = torch::linear(normalized(encoded) * kHeadFeatureScale, taskWeight, taskBias);
            loss = loss + recipe.taskWeight * torch::cross_entropy_loss(logits, target);
            if (measure)
                taskHits += logits.argmax(1).eq(target).sum().item<int64_t>();
        }
        if (recipe.classWeight > 0) {
            // Rows are grouped by task, in task order, once per view.
            torch::Tensor classLoss = torch::zeros({});
            const torch::Tensor scaled = normalized(encoded) * kHeadFeatureScale;
            int64_t row = 0;
            while (row < scaled.size(0)) {
                for (int t = 0; t < tasks; ++t) {
                    const int64_t count = labels[size_t(t)].size(0);
                    const torch::Tensor logits = torch::linear(scaled.narrow(0, row, count), classWeights[size_t(t)],
                                                               classBiases[size_t(t)]);
                    classLoss = classLoss
                                + torch::cross_entropy_loss(logits, labels[size_t(t)], {}, at::Reduction::Sum);
                    if (measure)
                        classHits += logits.argmax(1).eq(labels[size_t(t)]).sum().item<int64_t>();
                    row += count;
                }
            }
            loss = loss + recipe.classWeight * classLoss / double(scaled.size(0));
        }
        if (measure)
            viewsCounted += encoded.size(0);
        return loss;
    };

    PretextResult result;
    result.report = trainWithAdamW(parameters, schedule, lossOfStep, context, QStringLiteral("pretext pretraining"));
    result.weights = detachedWeights(leaves);
    if (recipe.pretextProjectionDim > 0) {
        // SimCLR's projection head is thrown away; a seeded rotation takes its place.
        at::Generator rotationGenerator = at::detail::createCPUGenerator(SeededRandom::mix({stream, 3}));
        const int64_t width = recipe.model.hiddenSize;
        const torch::Tensor orthogonal = std::get<0>(
            torch::linalg_qr(at::normal(0.0, 1.0, {width, width}, rotationGenerator)));
        result.weights["visual_projection.weight"] = orthogonal.narrow(0, 0, recipe.model.projectionDim).contiguous();
    }
    if (viewsCounted > 0) {
        result.contrastiveAccuracy = recipe.contrastiveWeight > 0 ? double(twins) / double(viewsCounted) : 0.0;
        result.taskAccuracy = recipe.taskWeight > 0 ? double(taskHits) / double(viewsCounted) : 0.0;
        result.classAccuracy = recipe.classWeight > 0 ? double(classHits) / double(viewsCounted) : 0.0;
    }
    return result;
}

} // namespace wemoe
