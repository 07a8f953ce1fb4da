#include "demo/synthetic_pool.h"

#include "common/error.h"
#include "data/image_preprocessor.h"
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

namespace wemoe {

namespace {

const char *const kTaskNames[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                                  "iota", "kappa", "lambda", "mu"};

QString taskName(int t)
{
    constexpr int known = sizeof(kTaskNames) / sizeof(kTaskNames[0]);
    return t < known ? QString::fromLatin1(kTaskNames[t]) : QStringLiteral("task%1").arg(t);
}

// A smooth random picture in task t's own palette: a coarse colour grid drawn
// around the task's base colour, upsampled, plus noise. Tasks look different,
// as real tasks do, so a router can tell them apart.
cv::Mat randomImage(int size, int task, at::Generator &generator)
{
    static const int kBase[][3] = {{200, 60, 60},  {60, 200, 60},  {60, 60, 200},  {200, 200, 60},
                                   {200, 60, 200}, {60, 200, 200}, {130, 130, 130}, {230, 150, 60}};
    const auto &base = kBase[task % 8];
    const auto offsets = at::randint(-60, 61, {4, 4, 3}, generator).to(torch::kInt32);
    auto coarse = torch::tensor({base[2], base[1], base[0]}, torch::kInt32).view({1, 1, 3}) + offsets; // BGR
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

} // namespace

SyntheticPoolOptions::SyntheticPoolOptions()
    : config(tinyClipConfig())
{
}

QString writeSyntheticPool(const QString &folder, const SyntheticPoolOptions &options, const JobContext &context)
{
    if (options.tasks < 1 || options.classes < 2 || options.imagesPerClass < 1)
        throw Error(folder, QStringLiteral("a synthetic pool needs at least 1 task, 2 classes and 1 image per class"));
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
        TensorMap finetuned;
        for (const auto &[key, weight] : pretrained)
            finetuned.emplace(key, weight + at::normal(0.0, options.taskVectorStd, weight.sizes(), generator));
        PoolTask task;
        task.name = name;
        task.checkpoint = dir.filePath(QStringLiteral("tasks/") + name);
        task.head = dir.filePath(QStringLiteral("heads/%1.safetensors").arg(name));
        task.testData = dir.filePath(QStringLiteral("data/%1/test").arg(name));
        writeCheckpoint(task.checkpoint, config, finetuned, writeContext);

        // Candidates, preprocessed exactly as the evaluator will see them after the PNG round trip.
        const int candidates = 4 * options.classes * options.imagesPerClass;
        std::vector<cv::Mat> images;
        std::vector<torch::Tensor> inputs;
        for (int i = 0; i < candidates; ++i) {
            images.push_back(randomImage(config.imageSize, t, generator));
            inputs.push_back(preprocessor.fromMat(images.back(), QStringLiteral("synthetic image")));
        }
        const ClipVisionModel model(config, finetuned, torch::kCPU);
        const auto features = torch::nn::functional::normalize(
            model.encode(torch::stack(inputs)), torch::nn::functional::NormalizeFuncOptions().dim(1));

        // Class prototypes: candidates' own features, spread apart, so every class has members.
        ClassificationHead head;
        const auto prototypes = spreadPrototypes(features, options.classes);
        head.weight = features.index({torch::tensor(prototypes, torch::kInt64)}).clone();
        // A moderate scale keeps softmax unsaturated, so prediction entropy
        // (what AdaMerging and WEMoE minimise) carries a signal.
        head.logitScale = options.logitScale;
        for (int c = 0; c < options.classes; ++c)
            head.classNames << QStringLiteral("class%1").arg(c);
        head.save(task.head);
        const auto labels = head.logits(features).argmax(1);

        std::vector<int> perClass(options.classes, 0);
        for (int i = 0; i < candidates; ++i) {
            const int label = static_cast<int>(labels[i].item<int64_t>());
            if (perClass[label] >= options.imagesPerClass)
                continue;
            const QString classDir = task.testData + QLatin1Char('/') + head.classNames.at(label);
            if (!QDir().mkpath(classDir))
                throw Error(classDir, QStringLiteral("cannot create folder"));
            const QString file = classDir + QStringLiteral("/%1.png").arg(i, 4, 10, QLatin1Char('0'));
            if (!cv::imwrite(file.toStdString(), images[i]))
                throw Error(file, QStringLiteral("cannot write image"));
            ++perClass[label];
        }
        pool.tasks.append(task);
        context.progress(2 + t, steps, name);
    }
    pool.save(pool.path);
    return pool.path;
}

} // namespace wemoe
