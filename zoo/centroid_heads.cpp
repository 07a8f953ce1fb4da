#include "zoo/zoo_training.h"

#include "adapt/entropy_objective.h"
#include "common/error.h"
#include "model/clip_vision_model.h"

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

constexpr int kFeatureBatch = 256;

// Mean over rows of the entropy of softmax(scale * cosines), divided by ln(classes).
double meanNormalisedEntropy(const torch::Tensor &cosines, double scale)
{
    return meanPredictionEntropy(cosines * scale).item<double>() / std::log(double(cosines.size(1)));
}

// The logit scale at which the mean normalised entropy is `target`. The
// entropy of softmax(s * z) falls monotonically as s grows, so bisect on log s.
double scaleForEntropy(const torch::Tensor &cosines, double target, const QString &task)
{
    double low = 1e-3;
    double high = 1e5;
    if (meanNormalisedEntropy(cosines, high) > target)
        throw Error(QStringLiteral("head of task '%1': no logit scale up to %2 brings the pretrained model's "
                                   "entropy down to %3 (its classes' features coincide)")
                        .arg(task)
                        .arg(high)
                        .arg(target));
    for (int iteration = 0; iteration < 80; ++iteration) {
        const double middle = std::sqrt(low * high);
        (meanNormalisedEntropy(cosines, middle) > target ? low : high) = middle;
    }
    return std::sqrt(low * high);
}

// The first `perClass` indices of every class, in dataset order (all when 0).
torch::Tensor firstOfEachClass(const TrainingImages &train, int perClass)
{
    if (perClass <= 0)
        return torch::arange(train.size(), torch::kInt64);
    std::vector<int> taken(size_t(train.classNames.size()), 0);
    std::vector<int64_t> chosen;
    const auto *labels = train.labels.data_ptr<int64_t>();
    for (int i = 0; i < train.size(); ++i) {
        int &count = taken[size_t(labels[i])];
        if (count < perClass) {
            chosen.push_back(i);
            ++count;
        }
    }
    return torch::tensor(chosen, torch::kInt64);
}

} // namespace

ClassificationHead centroidHead(const ClipVisionConfig &config, const TensorMap &pretrained,
                                const TrainingImages &train, const CentroidHeadOptions &options,
                                const JobContext &context)
{
    if (train.size() < 1 || train.classNames.isEmpty())
        throw Error(QStringLiteral("head of task '%1': the train split is empty").arg(train.task));
    if (options.taskBlocks > 0
        && (options.taskBlock < 0 || options.taskBlock >= options.taskBlocks
            || options.taskBlocks > config.projectionDim))
        throw Error(QStringLiteral("head of task '%1': block %2 of %3 does not fit %4 features")
                        .arg(train.task)
                        .arg(options.taskBlock)
                        .arg(options.taskBlocks)
                        .arg(config.projectionDim));
    if (options.targetEntropy != 0.0 && !(options.targetEntropy > 0.0 && options.targetEntropy < 1.0))
        throw Error(QStringLiteral("head of task '%1': the target entropy must be between 0 and 1 (got %2)")
                        .arg(train.task)
                        .arg(options.targetEntropy));
    if (options.targetEntropy == 0.0 && !(options.logitScale > 0.0))
        throw Error(QStringLiteral("head of task '%1': the logit scale must be positive (got %2)")
                        .arg(train.task)
                        .arg(options.logitScale));
    const int classes = train.classNames.size();
    if (options.centred && classes < 2)
        throw Error(QStringLiteral("head of task '%1': centring needs at least two classes").arg(train.task));
    torch::NoGradGuard noGrad;
    const ClipVisionModel model(config, pretrained, torch::kCPU);
    const torch::Tensor chosen = firstOfEachClass(train, options.imagesPerClass);

    torch::Tensor sums = torch::zeros({classes, model.featureDim()});
    torch::Tensor counts = torch::zeros({classes});
    std::vector<torch::Tensor> unitFeatures; // kept for the entropy target
    for (int64_t first = 0; first < chosen.size(0); first += kFeatureBatch) {
        context.throwIfCancelled();
        const torch::Tensor index = chosen.narrow(0, first, std::min<int64_t>(kFeatureBatch, chosen.size(0) - first));
        const torch::Tensor features = model.encode(train.images.index_select(0, index));
        const torch::Tensor normalized = features / features.norm(2, {1}, true).clamp_min(1e-12);
        const torch::Tensor labels = train.labels.index_select(0, index);
        sums.index_add_(0, labels, normalized);
        if (options.targetEntropy > 0.0)
            unitFeatures.push_back(normalized);
        counts.index_add_(0, labels, torch::ones({labels.size(0)}));
        context.progress(first + index.size(0), chosen.size(0), QStringLiteral("head of %1").arg(train.task));
    }
    for (int c = 0; c < classes; ++c) {
        if (counts[c].item<float>() == 0.0f)
            throw Error(QStringLiteral("head of task '%1': class '%2' has no train images")
                            .arg(train.task, train.classNames[c]));
    }

    ClassificationHead head;
    torch::Tensor centroids = sums / counts.unsqueeze(1);
    if (options.taskBlocks > 0)
        centroids = centroids * taskBlockMask(centroids.size(1), options.taskBlock, options.taskBlocks);
    torch::Tensor directions = centroids / centroids.norm(2, {1}, true).clamp_min(1e-12);
    if (options.centred) {
        // Centre the class DIRECTIONS, so a class whose images agree more
        // (a longer mean) does not pull the centre towards itself.
        directions = directions - directions.mean(0, true);
        directions = directions / directions.norm(2, {1}, true).clamp_min(1e-12);
    }
    head.weight = directions.contiguous();
    head.classNames = train.classNames;
    head.clipStyle = true;
    head.logitScale = options.targetEntropy > 0.0 ? scaleForEntropy(
                          torch::matmul(torch::cat(unitFeatures), head.weight.t()), options.targetEntropy, train.task)
                                                  : options.logitScale;
    return head;
}

} // namespace wemoe
