#include "demo/synthetic_pool.h"

#include "common/error.h"
#include "data/image_preprocessor.h"
#include "demo/mlp_finetuning.h"
#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

const char *const kTaskNames[] = {"alpha", "beta",  "gamma", "delta", "epsilon", "zeta",
                                  "eta",   "theta", "iota",  "kappa", "lambda",  "mu"};

QString taskName(int t)
{
    constexpr int known = sizeof(kTaskNames) / sizeof(kTaskNames[0]);
    return t < known ? QString::fromLatin1(kTaskNames[t]) : QStringLiteral("task%1").arg(t);
}

// A smooth random picture in task t's own palette: a coarse colour grid drawn
// around the task's base colour, upsampled, plus noise. Tasks look different,
// as real tasks do, so a router can tell them apart. A class pattern (a coarse
// [4, 4, 3] grid of offsets), when given, is added to every image of its class.
cv::Mat randomImage(int size, int task, at::Generator &generator, const torch::Tensor &classPattern = {})
{
    static const int kBase[][3] = {{200, 60, 60},  {60, 200, 60},  {60, 60, 200},   {200, 200, 60},
                                   {200, 60, 200}, {60, 200, 200}, {130, 130, 130}, {230, 150, 60}};
    const auto &base = kBase[task % 8];
    const int spread = classPattern.defined() ? 50 : 60; // a class pattern must stand out, but not at a glance
    const auto offsets = at::randint(-spread, spread + 1, {4, 4, 3}, generator).to(torch::kInt32);
    auto coarse = torch::tensor({base[2], base[1], base[0]}, torch::kInt32).view({1, 1, 3}) + offsets; // BGR
    if (classPattern.defined())
        coarse = coarse + classPattern;
    coarse = coarse.clamp(0, 255).to(torch::kUInt8).contiguous();
    cv::Mat small(4, 4, CV_8UC3, coarse.data_ptr<uint8_t>());
    cv::Mat image;
    cv::resize(small, image, cv::Size(size, size), 0, 0, cv::INTER_LINEAR);
    const auto noise = at::randint(-12, 13, {size, size, 3}, generator).to(torch::kInt16).contiguous();
    cv::Mat noiseMat(size, size, CV_16SC3, noise.data_ptr<int16_t>());
    cv::Mat mixed;
    image.convertTo(mixed, CV_16SC3);
    mixed += noiseMat;
    mixed.convertTo(image, CV_8UC3); // saturates to [0, 255]
    return image;
}

// Indices of `count` rows of `features` (unit vectors) spread as far apart as
// possible (greedy farthest-point), so every class gets a fair share of images.
std::vector<int64_t> spreadPrototypes(const torch::Tensor &features, int count)
{
    std::vector<int64_t> chosen{0};
    auto nearest = 1.0 - features.matmul(features[0]); // cosine distance to the chosen set
    while (static_cast<int>(chosen.size()) < count) {
        const int64_t next = nearest.argmax().item<int64_t>();
        chosen.push_back(next);
        nearest = torch::minimum(nearest, 1.0 - features.matmul(features[next]));
    }
    return chosen;
}

// The scale s at which the mean top softmax probability of s·(f - m)·wᵀ over
// `features` is `confidence` (bisection: it grows with s). A moderate value
// keeps softmax unsaturated, so prediction entropy (what AdaMerging and WEMoE
// minimise) carries a signal.
double calibratedLogitScale(const torch::Tensor &features, const torch::Tensor &mean, const torch::Tensor &weight,
                            double confidence)
{
    const auto unscaled = (features - mean).matmul(weight.t());
    const auto meanTop = [&](double scale) {
        return torch::softmax(unscaled * scale, 1).amax(1).mean().item<double>();
    };
    double low = 1e-2, high = 1e5;
    for (int i = 0; i < 60; ++i) {
        const double middle = std::sqrt(low * high);
        (meanTop(middle) < confidence ? low : high) = middle;
    }
    return std::sqrt(low * high);
}

// A CLIP-style head. Features of a random network all point in nearly the
// same direction, so the head compares them after removing their mean m:
// class c's weight is the unit vector from m to its anchor (a prototype or a
// centroid) and its bias cancels m, i.e. logit_c = s·(f - m)·w_c. Other
// models' features have another mean, which is part of the interference. The
// scale s is options.logitScale, or calibrated on `features`.
ClassificationHead centredHead(const torch::Tensor &anchors, const torch::Tensor &mean, const torch::Tensor &features,
                               const SyntheticPoolOptions &options)
{
    ClassificationHead head;
    head.weight = torch::nn::functional::normalize(anchors - mean,
                                                   torch::nn::functional::NormalizeFuncOptions().dim(1));
    head.logitScale = options.targetConfidence > 0
                          ? calibratedLogitScale(features, mean, head.weight, options.targetConfidence)
                          : options.logitScale;
    head.bias = -head.logitScale * head.weight.matmul(mean);
    return head;
}

void writeCheckpoint(const QString &folder, const ClipVisionConfig &config, const TensorMap &vision,
                     const JobContext &context)
{
    if (!QDir().mkpath(QFileInfo(folder).absolutePath()))
        throw Error(folder, QStringLiteral("cannot create the parent folder"));
    Checkpoint like;
    like.configJson = config.toJson();
    like.config = config;
    like.keyPrefix = QStringLiteral("vision_model.");
    like.vision = vision;
    exportCheckpoint(folder, like, vision, ExportOptions{}, context);
}

void writeImage(const QString &classDir, int index, const cv::Mat &image)
{
    if (!QDir().mkpath(classDir))
        throw Error(classDir, QStringLiteral("cannot create folder"));
    const QString file = classDir + QStringLiteral("/%1.png").arg(index, 4, 10, QLatin1Char('0'));
    if (!cv::imwrite(file.toStdString(), image))
        throw Error(file, QStringLiteral("cannot write image"));
}

torch::Tensor unitRows(const torch::Tensor &x)
{
    return torch::nn::functional::normalize(x, torch::nn::functional::NormalizeFuncOptions().dim(1));
}

// Writes one task's checkpoint, head and test images.
struct TaskWriter
{
    const ClipVisionConfig &config;
    const SyntheticPoolOptions &options;
    const ImagePreprocessor &preprocessor;
    const JobContext &writeContext;

    QStringList classNames() const
    {
        QStringList names;
        for (int c = 0; c < options.classes; ++c)
            names << QStringLiteral("class%1").arg(c);
        return names;
    }

    // Random task vectors; the images are labelled by the task's own model.
    void writeSelfLabelledTask(const PoolTask &task, int t, const TensorMap &pretrained, at::Generator &generator) const
    {
        TensorMap finetuned;
        for (const auto &[key, weight] : pretrained) {
            const bool tuned = !options.taskVectorsInMlpOnly || key.find(".mlp.") != std::string::npos;
            finetuned.emplace(key, tuned ? weight + at::normal(0.0, options.taskVectorStd, weight.sizes(), generator)
                                         : weight);
        }
        writeCheckpoint(task.checkpoint, config, finetuned, writeContext);

        // Candidates, preprocessed exactly as the evaluator will see them after the PNG round trip.
        const int candidates = 4 * options.classes * options.imagesPerClass;
        std::vector<cv::Mat> images;
        std::vector<torch::Tensor> inputs;
        for (int i = 0; i < candidates; ++i) {
            images.push_back(randomImage(config.imageSize, t, generator));
            inputs.push_back(preprocessor.fromMat(images.back(), QStringLiteral("synthetic image")));
        }
        const auto features = unitRows(ClipVisionModel(config, finetuned, torch::kCPU).encode(torch::stack(inputs)));

        const auto mean = features.mean(0);
        const auto prototypes = torch::tensor(spreadPrototypes(unitRows(features - mean), options.classes),
                                              torch::kInt64);
        ClassificationHead head = centredHead(features.index({prototypes}), mean, features, options);
        head.classNames = classNames();
        head.save(task.head);
        // A fine-tuned model is confident on its own task: keep, per class, the
        // candidates its model is surest of.
        const auto [confidence, labels] = torch::softmax(head.logits(features), 1).max(1);
        const auto surestFirst = confidence.argsort(0, /*descending=*/true);
        std::vector<int> perClass(options.classes, 0);
        for (int rank = 0; rank < candidates; ++rank) {
            const int i = static_cast<int>(surestFirst[rank].item<int64_t>());
            const int label = static_cast<int>(labels[i].item<int64_t>());
            if (perClass[label] >= options.imagesPerClass)
                continue;
            writeImage(task.testData.paths.first() + QLatin1Char('/') + head.classNames.at(label), i, images[i]);
            ++perClass[label];
        }
    }

    // Images drawn per class (a class pattern on the task's palette); a
    // zero-shot-like head from the pretrained model's class centroids; the
    // MLPs fine-tuned on separate training images through that frozen head.
    void writeTrainedTask(const PoolTask &task, int t, const TensorMap &pretrained, at::Generator &generator) const
    {
        const int trainPerClass = 2 * options.imagesPerClass;
        const int perClass = trainPerClass + options.imagesPerClass;
        std::vector<cv::Mat> images;
        std::vector<torch::Tensor> inputs;
        std::vector<int64_t> labels;
        for (int c = 0; c < options.classes; ++c) {
            const auto pattern = at::randint(-60, 61, {4, 4, 3}, generator).to(torch::kInt32);
            for (int i = 0; i < perClass; ++i) {
                images.push_back(randomImage(config.imageSize, t, generator, pattern));
                inputs.push_back(preprocessor.fromMat(images.back(), QStringLiteral("synthetic image")));
                labels.push_back(c);
            }
        }
        const auto all = torch::stack(inputs);
        const auto classOf = torch::tensor(labels, torch::kInt64);
        // The first trainPerClass images of each class train, the rest test.
        const auto isTrain = (torch::arange(int64_t(images.size())) % perClass) < trainPerClass;
        const auto trainIndex = isTrain.nonzero().squeeze(1);

        const auto trainImages = all.index({trainIndex});
        auto features = unitRows(ClipVisionModel(config, pretrained, torch::kCPU).encode(trainImages));
        if (options.taskSubspaceHeads)
            features = features * taskBlockMask(features.size(1), t, options.tasks);
        const auto trainLabels = classOf.index({trainIndex});
        std::vector<torch::Tensor> centroids;
        for (int c = 0; c < options.classes; ++c)
            centroids.push_back(features.index({trainLabels.eq(c)}).mean(0));
        ClassificationHead head = centredHead(torch::stack(centroids), features.mean(0), features, options);
        head.classNames = classNames();
        head.save(task.head);

        const auto finetuned = fineTuneMlps(config, pretrained, head, trainImages, trainLabels, options.fineTuneSteps,
                                            options.fineTuneLearningRate);
        writeCheckpoint(task.checkpoint, config, finetuned, writeContext);
        for (int i = 0; i < static_cast<int>(images.size()); ++i) {
            const bool train = isTrain[i].item<bool>();
            if (train && !options.writeTrainImages)
                continue;
            const DataSource &split = train ? task.trainData : task.testData;
            writeImage(split.paths.first() + QLatin1Char('/') + head.classNames.at(int(labels[size_t(i)])), i,
                       images[size_t(i)]);
        }
    }
};

} // namespace

SyntheticPoolOptions::SyntheticPoolOptions()
    : config(tinyClipConfig())
{
}

QString writeSyntheticPool(const QString &folder, const SyntheticPoolOptions &options, const JobContext &context)
{
    if (options.tasks < 1 || options.classes < 2 || options.imagesPerClass < 1)
        throw Error(folder, QStringLiteral("a synthetic pool needs at least 1 task, 2 classes and 1 image per class"));
    if (options.targetConfidence != 0
        && !(options.targetConfidence > 1.0 / options.classes && options.targetConfidence < 1.0))
        throw Error(folder, QStringLiteral("the target confidence must lie between 1/classes and 1 (got %1)")
                                .arg(options.targetConfidence));
    if (options.writeTrainImages && options.fineTuneSteps <= 0)
        throw Error(folder, QStringLiteral("training images belong to the trained kind of pool (fine-tune steps > 0)"));
    if (options.taskSubspaceHeads && options.fineTuneSteps <= 0)
        throw Error(folder,
                    QStringLiteral("task-subspace heads belong to the trained kind of pool (fine-tune steps > 0)"));
    QDir dir(QFileInfo(folder).absoluteFilePath());
    if (dir.exists() && !dir.isEmpty())
        throw Error(folder, QStringLiteral("folder exists and is not empty"));
    if (!QDir().mkpath(folder) || !QDir().mkpath(dir.filePath(QStringLiteral("heads"))))
        throw Error(folder, QStringLiteral("cannot create folder"));

    torch::NoGradGuard noGrad;
    const auto &config = options.config;
    auto generator = at::detail::createCPUGenerator(options.seed);
    const int steps = 1 + options.tasks;
    // The checkpoint writes only poll for cancellation; progress is per model.
    JobContext writeContext;
    writeContext.cancelFlag = context.cancelFlag;

    ModelPool pool;
    pool.path = dir.filePath(QStringLiteral("pool.json"));
    pool.name = QStringLiteral("synthetic-%1tasks-seed%2").arg(options.tasks).arg(options.seed);
    pool.pretrained = dir.filePath(QStringLiteral("pretrained"));

    const auto pretrained = randomClipVisionWeights(config, options.seed, options.weightStd);
    writeCheckpoint(pool.pretrained, config, pretrained, writeContext);
    context.progress(1, steps, QStringLiteral("pretrained"));

    const ImagePreprocessor preprocessor(config.imageSize, pool.normalization);
    for (int t = 0; t < options.tasks; ++t) {
        context.throwIfCancelled();
        const QString name = taskName(t);
        PoolTask task;
        task.name = name;
        task.checkpoint = dir.filePath(QStringLiteral("tasks/") + name);
        task.head = dir.filePath(QStringLiteral("heads/%1.safetensors").arg(name));
        task.testData = DataSource::imageFolder(dir.filePath(QStringLiteral("data/%1/test").arg(name)));
        if (options.writeTrainImages)
            task.trainData = DataSource::imageFolder(dir.filePath(QStringLiteral("data/%1/train").arg(name)));
        const TaskWriter writer{config, options, preprocessor, writeContext};
        if (options.fineTuneSteps > 0)
            writer.writeTrainedTask(task, t, pretrained, generator);
        else
            writer.writeSelfLabelledTask(task, t, pretrained, generator);
        pool.tasks.append(task);
        context.progress(2 + t, steps, name);
    }
    pool.save(pool.path);
    return pool.path;
}

} // namespace wemoe
