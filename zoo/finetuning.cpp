#include "zoo/zoo_training.h"

#include "common/error.h"
#include "model/clip_vision_model.h"
#include "moe/upscaled_clip_model.h"
#include "zoo/seeded_random.h"

#include <torch/torch.h>

#include <algorithm>

namespace wemoe {

FinetuneResult fineTuneTask(const ZooTrainingRecipe &recipe, const TensorMap &pretrained,
                            const ClassificationHead &head, const TrainingImages &train, int taskIndex,
                            const JobContext &context)
{
    if (train.size() < 1)
        throw Error(QStringLiteral("fine-tuning task '%1': the train split is empty").arg(train.task));
    if (head.numClasses() != train.classNames.size())
        throw Error(QStringLiteral("fine-tuning task '%1': the head has %2 classes, the data %3")
                        .arg(train.task)
                        .arg(head.numClasses())
                        .arg(train.classNames.size()));
    if (recipe.finetuneBatch < 1)
        throw Error(QStringLiteral("fine-tuning task '%1': batch size %2").arg(train.task).arg(recipe.finetuneBatch));

    TensorMap leaves = trainableWeights(pretrained);
    // MLP-only fine-tunes: the tensors WEMoE upscales learn, the rest stays pretrained.
    std::vector<torch::Tensor> trained;
    for (auto &[name, leaf] : leaves) {
        if (recipe.finetuneMlpOnly && !isUpscaledMlpTensor(name))
            leaf.requires_grad_(false);
        else
            trained.push_back(leaf);
    }
    const ClipVisionModel model(recipe.model, leaves, torch::kCPU);
    if (head.featureDim() != model.featureDim())
        throw Error(QStringLiteral("fine-tuning task '%1': the head takes %2 features, the model gives %3")
                        .arg(train.task)
                        .arg(head.featureDim())
                        .arg(model.featureDim()));
    // The head stays exactly as written to the pool: no gradient reaches it.
    ClassificationHead frozen = head;
    frozen.weight = head.weight.detach().to(torch::kFloat32);
    if (head.bias.defined())
        frozen.bias = head.bias.detach().to(torch::kFloat32);

    const quint64 stream = SeededRandom::mix({recipe.seed, SeededRandom::hashName(QStringLiteral("finetune")),
                                              SeededRandom::hashName(train.task), quint64(taskIndex)});
    at::Generator generator = at::detail::createCPUGenerator(stream);
    EpochSampler sampler(train.size(), at::detail::createCPUGenerator(SeededRandom::mix({stream, 1})));
    const torch::Tensor mayFlip = torch::full({recipe.finetuneBatch}, train.mirrorSafe, torch::kBool);
    const bool views = recipe.finetuneViewTasks.contains(train.task);

    TrainSchedule schedule;
    schedule.steps = recipe.finetuneStepsOf(train.task);
    schedule.learningRate = recipe.finetuneLearningRate;
    schedule.warmupSteps = recipe.finetuneWarmupSteps;
    schedule.weightDecay = recipe.weightDecay;
    schedule.maxGradNorm = recipe.maxGradNorm;
    const int window = std::max(1, schedule.steps / 10);
    qint64 hits = 0;
    qint64 counted = 0;

    const auto lossOfStep = [&](int step) {
        const torch::Tensor index = sampler.next(recipe.finetuneBatch);
        const torch::Tensor batch = train.images.index_select(0, index);
        const torch::Tensor images = views ? randomResizedView(batch, recipe.viewMinArea, recipe.viewJitter,
                                                               recipe.viewGrayProbability, mayFlip, generator)
                                           : randomCropAndFlip(batch, recipe.finetuneCropPadding, mayFlip, generator);
        const torch::Tensor labels = train.labels.index_select(0, index);
        const torch::Tensor logits = frozen.logits(model.encode(images));
        if (step >= schedule.steps - window) {
            hits += logits.argmax(1).eq(labels).sum().item<int64_t>();
            counted += labels.size(0);
        }
        return torch::cross_entropy_loss(logits, labels);
    };

    FinetuneResult result;
    result.report = trainWithAdamW(trained, schedule, lossOfStep, context,
                                   QStringLiteral("fine-tuning %1").arg(train.task));
    result.weights = detachedWeights(leaves);
    result.trainAccuracy = counted > 0 ? double(hits) / double(counted) : 0.0;
    return result;
}

} // namespace wemoe
