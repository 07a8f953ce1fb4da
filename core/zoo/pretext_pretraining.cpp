#include "zoo/zoo_training.h"

#include "common/error.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "zoo/seeded_random.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

namespace {

constexpr int kRotations = 4;
// The pretext heads read L2-normalised features (like every head of the
// pool), scaled so a linear head can become confident.
constexpr double kPretextFeatureScale = 10.0;

void checkSplits(const ZooTrainingRecipe &recipe, const QVector<TrainingImages> &splits)
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
}

} // namespace

PretextResult pretrainWithPretext(const ZooTrainingRecipe &recipe, const QVector<TrainingImages> &trainSplits,
                                  const JobContext &context)
{
    checkSplits(recipe, trainSplits);
    const int tasks = trainSplits.size();
    const int batchSize = recipe.pretextBatch;
    if (batchSize < tasks)
        throw Error(QStringLiteral("pretext pretraining: batch %1 is smaller than the %2 tasks it must balance")
                        .arg(batchSize)
                        .arg(tasks));

    const quint64 stream = SeededRandom::mix({recipe.seed, SeededRandom::hashName(QStringLiteral("pretext"))});
    TensorMap leaves = trainableWeights(randomClipVisionWeights(recipe.model, stream, recipe.initStd));
    const ClipVisionModel model(recipe.model, leaves, torch::kCPU);
    const int features = model.featureDim();

    at::Generator generator = at::detail::createCPUGenerator(SeededRandom::mix({stream, 1}));
    torch::Tensor rotationWeight = (torch::randn({kRotations, features}, generator) * 0.02).requires_grad_(true);
    torch::Tensor rotationBias = torch::zeros({kRotations}).requires_grad_(true);
    torch::Tensor taskWeight = (torch::randn({tasks, features}, generator) * 0.02).requires_grad_(true);
    torch::Tensor taskBias = torch::zeros({tasks}).requires_grad_(true);
    std::vector<torch::Tensor> parameters = tensorList(leaves);
    parameters.insert(parameters.end(), {rotationWeight, rotationBias, taskWeight, taskBias});

    std::vector<EpochSampler> samplers;
    for (int t = 0; t < tasks; ++t)
        samplers.emplace_back(trainSplits[t].size(), at::detail::createCPUGenerator(SeededRandom::mix({stream, 2, quint64(t)})));

    TrainSchedule schedule;
    schedule.steps = recipe.pretextSteps;
    schedule.learningRate = recipe.pretextLearningRate;
    schedule.warmupSteps = recipe.pretextWarmupSteps;
    schedule.weightDecay = recipe.weightDecay;
    schedule.maxGradNorm = recipe.maxGradNorm;
    const int window = std::max(1, schedule.steps / 10);
    qint64 rotationHits = 0;
    qint64 taskHits = 0;
    qint64 counted = 0;

    const auto lossOfStep = [&](int step) {
        // Balanced over tasks: each task gets batch/tasks images, the first
        // batch % tasks tasks (rotating with the step) one more.
        std::vector<torch::Tensor> images;
        std::vector<torch::Tensor> taskIds;
        std::vector<torch::Tensor> mayFlip;
        for (int t = 0; t < tasks; ++t) {
            const int count = batchSize / tasks + (((t - step) % tasks + tasks) % tasks < batchSize % tasks ? 1 : 0);
            const torch::Tensor index = samplers[size_t(t)].next(count);
            images.push_back(trainSplits[t].images.index_select(0, index));
            taskIds.push_back(torch::full({count}, t, torch::kInt64));
            mayFlip.push_back(torch::full({count}, trainSplits[t].mirrorSafe, torch::kBool));
        }
        const torch::Tensor augmented =
            randomCropAndFlip(torch::cat(images), recipe.cropPadding, torch::cat(mayFlip), generator);
        const torch::Tensor turns = torch::randint(0, kRotations, {augmented.size(0)}, generator, torch::kInt64);
        const torch::Tensor task = torch::cat(taskIds);

        const torch::Tensor encoded = model.encode(rotateQuarterTurns(augmented, turns));
        const torch::Tensor normalized =
            encoded / encoded.norm(2, {1}, true).clamp_min(1e-12) * kPretextFeatureScale;
        const torch::Tensor rotationLogits = torch::linear(normalized, rotationWeight, rotationBias);
        const torch::Tensor taskLogits = torch::linear(normalized, taskWeight, taskBias);
        if (step >= schedule.steps - window) {
            rotationHits += rotationLogits.argmax(1).eq(turns).sum().item<int64_t>();
            taskHits += taskLogits.argmax(1).eq(task).sum().item<int64_t>();
            counted += turns.size(0);
        }
        return torch::cross_entropy_loss(rotationLogits, turns) + torch::cross_entropy_loss(taskLogits, task);
    };

    PretextResult result;
    result.report = trainWithAdamW(parameters, schedule, lossOfStep, context,
                                   QStringLiteral("pretext pretraining (rotation + which task)"));
    result.weights = detachedWeights(leaves);
    result.rotationAccuracy = counted > 0 ? double(rotationHits) / double(counted) : 0.0;
    result.taskAccuracy = counted > 0 ? double(taskHits) / double(counted) : 0.0;
    return result;
}

} // namespace wemoe
