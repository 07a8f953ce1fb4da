// The demo zoo's training pieces on tiny tensors: gradients reach the leaf
// tensors a ClipVisionModel is built from (checked against finite
// differences), the learning-rate schedule against hand-computed values, the
// augmentations against brute force, the centroid head against a naive loop,
// determinism of pretraining for a seed, and the zoo cache's staging folder.
#include "common/error.h"
#include "demo/training_loop.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "test_support.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_readme.h"
#include "zoo/zoo_training.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace wemoe;

namespace {

ClipVisionConfig tinyZooConfig()
{
    ClipVisionConfig config = tinyClipConfig(); // 16 px, patch 4, width 32, 2 blocks
    return config;
}

// A few labelled random images per task, "task" t shifted by t so tasks differ.
TrainingImages tinySplit(const QString &task, int classes, int perClass, int imageSize, quint64 seed, float shift)
{
    auto generator = at::detail::createCPUGenerator(seed);
    TrainingImages split;
    split.task = task;
    for (int c = 0; c < classes; ++c)
        split.classNames << QStringLiteral("c%1").arg(c);
    split.images = torch::randn({classes * perClass, 3, imageSize, imageSize}, generator) + shift;
    split.labels = torch::arange(classes * perClass, torch::kInt64).floor_divide(perClass);
    return split;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// What the head tests share: the tiny ViT (projection 16), seeded random
// weights, and a split of 3 classes x 5 images (class c in rows 5c .. 5c+4).
struct HeadTestInputs
{
    ClipVisionConfig config = tinyZooConfig();
    TensorMap weights = randomClipVisionWeights(config, 21, 0.05);
    TrainingImages split = tinySplit(QStringLiteral("t"), 3, 5, config.imageSize, 2, 0.0f);
};

} // namespace

class TestZooTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(1); }

    void gradientsReachTheLeaves()
    {
        const ClipVisionConfig config = tinyZooConfig();
        TensorMap leaves = trainableWeights(randomClipVisionWeights(config, 7, 0.05));
        const ClipVisionModel model(config, leaves, torch::kCPU);
        // The model must compute with the leaves themselves, not with copies.
        for (const auto &[name, leaf] : leaves) {
            QVERIFY2(leaf.is_leaf() && leaf.requires_grad(), name.c_str());
            QVERIFY2(model.weight(name).is_same(leaf), name.c_str());
        }
        auto generator = at::detail::createCPUGenerator(3);
        const torch::Tensor images = torch::randn({4, 3, config.imageSize, config.imageSize}, generator);
        const auto loss = [&] { return model.encode(images).pow(2).sum(); };
        loss().backward();
        for (const auto &[name, leaf] : leaves) {
            QVERIFY2(leaf.grad().defined(), name.c_str());
            QVERIFY2(leaf.grad().abs().sum().item<double>() > 0.0, name.c_str());
        }

        // Central differences on a few entries agree with autograd.
        torch::NoGradGuard noGrad;
        const std::vector<std::pair<std::string, int64_t>> probes{{"encoder.layers.0.mlp.fc1.weight", 5},
                                                                  {"encoder.layers.1.self_attn.q_proj.weight", 17},
                                                                  {"embeddings.patch_embedding.weight", 40},
                                                                  {"visual_projection.weight", 3}};
        for (const auto &[name, index] : probes) {
            torch::Tensor flat = leaves.at(name).view({-1});
            const double analytic = leaves.at(name).grad().view({-1})[index].item<double>();
            const float original = flat[index].item<float>();
            const double h = 1e-2;
            flat[index] = original + float(h);
            const double up = loss().item<double>();
            flat[index] = original - float(h);
            const double down = loss().item<double>();
            flat[index] = original;
            const double numeric = (up - down) / (2 * h);
            QVERIFY2(std::abs(numeric - analytic) <= 0.03 * std::abs(analytic) + 1e-3,
                     qPrintable(QStringLiteral("%1[%2]: autograd %3, finite difference %4")
                                    .arg(QString::fromStdString(name))
                                    .arg(index)
                                    .arg(analytic)
                                    .arg(numeric)));
        }
    }

    void adamWTrainingLowersTheLoss()
    {
        const ClipVisionConfig config = tinyZooConfig();
        TensorMap leaves = trainableWeights(randomClipVisionWeights(config, 11, 0.05));
        const ClipVisionModel model(config, leaves, torch::kCPU);
        auto generator = at::detail::createCPUGenerator(5);
        const torch::Tensor images = torch::randn({8, 3, config.imageSize, config.imageSize}, generator);
        const torch::Tensor target = torch::randn({8, config.projectionDim}, generator);
        const auto mse = [&] { return (model.encode(images) - target).pow(2).mean(); };
        const double before = mse().item<double>();
        TrainSchedule schedule;
        schedule.steps = 30;
        schedule.learningRate = 3e-3;
        int reported = 0;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            QCOMPARE(total, qint64(30));
            reported = int(done);
        };
        const TrainReport report = trainWithAdamW(
            tensorList(leaves), schedule, [&](int) { return mse(); }, context, QStringLiteral("fit"));
        const double after = mse().item<double>();
        QCOMPARE(reported, 30);
        QVERIFY2(after < 0.5 * before, qPrintable(QStringLiteral("loss %1 -> %2").arg(before).arg(after)));
        QVERIFY(report.finalLoss < report.firstLoss);

        // A diverging loss is an error that names the run, not a NaN model.
        QVERIFY_THROWS_EXCEPTION(Error, trainWithAdamW(
                                            tensorList(leaves), schedule, [&](int) { return mse() * std::nan(""); }, {},
                                            QStringLiteral("fit")));
    }

    void cancellationStopsTraining()
    {
        torch::Tensor w = torch::zeros({2}).requires_grad_(true);
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        int calls = 0;
        TrainSchedule schedule;
        schedule.steps = 100;
        QVERIFY_THROWS_EXCEPTION(Cancelled, trainWithAdamW(
                                                {w}, schedule,
                                                [&](int step) {
                                                    ++calls;
                                                    if (step == 4)
                                                        cancel = true;
                                                    return (w - 1).pow(2).sum();
                                                },
                                                context, QStringLiteral("cancel")));
        QCOMPARE(calls, 5);
    }

    void learningRateSchedule()
    {
        TrainSchedule schedule;
        schedule.steps = 20;
        schedule.warmupSteps = 10;
        schedule.learningRate = 1e-3;
        QCOMPARE(scheduledLearningRate(schedule, 0), 1e-4); // (0 + 1) / 10
        QCOMPARE(scheduledLearningRate(schedule, 4), 5e-4);
        QCOMPARE(scheduledLearningRate(schedule, 10), 1e-3); // cosine at 0
        QCOMPARE(scheduledLearningRate(schedule, 15), 5e-4); // cosine at pi/2: half
        QVERIFY(std::abs(scheduledLearningRate(schedule, 20)) < 1e-12);
        schedule.warmupSteps = 0;
        QCOMPARE(scheduledLearningRate(schedule, 0), 1e-3);
    }

    void viewsAreCropsWithJitter()
    {
        auto generator = at::detail::createCPUGenerator(12);
        const int size = 8;
        // Constant colours: any crop (border pixels repeated) keeps them, so
        // only the jitter changes a view: value * contrast + brightness.
        const torch::Tensor colours = torch::tensor({0.5f, -0.25f, 1.0f}).view({1, 3, 1, 1});
        const torch::Tensor flat = colours.expand({32, 3, size, size}).contiguous();
        const torch::Tensor plain = randomResizedView(flat, 0.3, 0.0, 0.0, torch::ones({32}, torch::kBool), generator);
        QVERIFY(torch::allclose(plain, flat, 1e-5, 1e-6));
        const torch::Tensor jittered = randomResizedView(flat, 0.3, 0.4, 0.0, torch::zeros({32}, torch::kBool),
                                                         generator);
        for (int i = 0; i < 32; ++i) {
            // Two channels determine contrast c and brightness b; both within ±0.4 of (1, 0).
            const double red = jittered[i][0][3][3].item<double>();
            const double green = jittered[i][1][3][3].item<double>();
            const double c = (red - green) / 0.75;
            const double b = red - 0.5 * c;
            QVERIFY2(c >= 0.6 - 1e-5 && c <= 1.4 + 1e-5 && std::abs(b) <= 0.4 + 1e-5,
                     qPrintable(QStringLiteral("contrast %1, brightness %2").arg(c).arg(b)));
            QVERIFY(torch::allclose(jittered[i], flat[i] * c + b, 1e-4, 1e-5));
        }
        const torch::Tensor grey = randomResizedView(flat, 0.3, 0.0, 1.0, torch::zeros({32}, torch::kBool), generator);
        QVERIFY(torch::allclose(grey, torch::full_like(grey, (0.5f - 0.25f + 1.0f) / 3.0f), 1e-5, 1e-6));

        // A left-to-right ramp stays increasing unless the view was mirrored,
        // which only images allowed to flip may be.
        const torch::Tensor ramp =
            torch::arange(size, torch::kFloat32).view({1, 1, 1, size}).expand({64, 3, size, size}).contiguous();
        const torch::Tensor mayFlip = torch::arange(64) < 32;
        const torch::Tensor views = randomResizedView(ramp, 0.5, 0.0, 0.0, mayFlip, generator);
        int mirrored = 0;
        for (int i = 0; i < 64; ++i) {
            const double slope = (views[i][0][4][size - 1] - views[i][0][4][0]).item<double>();
            QVERIFY(slope != 0.0);
            if (slope < 0) {
                QVERIFY2(i < 32, qPrintable(QStringLiteral("view %1 was mirrored without permission").arg(i)));
                ++mirrored;
            }
        }
        QVERIFY(mirrored > 0);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 randomResizedView(flat, 0.0, 0.0, 0.0, torch::zeros({32}, torch::kBool), generator));
    }

    void cropsAndFlipsAreWindowsOfThePaddedImage()
    {
        auto generator = at::detail::createCPUGenerator(9);
        const int size = 6;
        const int padding = 2;
        const torch::Tensor images = torch::rand({16, 3, size, size}, generator) + 1.0; // never 0: padding is visible
        const torch::Tensor mayFlip = torch::arange(16) % 2 == 0;
        const torch::Tensor out = randomCropAndFlip(images, padding, mayFlip, generator);
        QCOMPARE(out.sizes(), images.sizes());
        int flipped = 0;
        int shifted = 0;
        for (int i = 0; i < 16; ++i) {
            // Brute force: some offset (and, only where allowed, a mirror) reproduces the output.
            const torch::Tensor padded = torch::zeros({3, size + 2 * padding, size + 2 * padding});
            padded.narrow(1, padding, size).narrow(2, padding, size).copy_(images[i]);
            bool found = false;
            for (int mirror = 0; mirror <= (mayFlip[i].item<bool>() ? 1 : 0) && !found; ++mirror) {
                for (int dy = 0; dy <= 2 * padding && !found; ++dy) {
                    for (int dx = 0; dx <= 2 * padding && !found; ++dx) {
                        torch::Tensor window = padded.narrow(1, dy, size).narrow(2, dx, size);
                        if (mirror)
                            window = window.flip({2});
                        if (torch::equal(window, out[i])) {
                            found = true;
                            flipped += mirror;
                            shifted += (dx != padding || dy != padding) ? 1 : 0;
                        }
                    }
                }
            }
            QVERIFY2(found, qPrintable(QStringLiteral("image %1 is no crop of its padded original").arg(i)));
        }
        QVERIFY(flipped > 0);
        QVERIFY(shifted > 0);

        // No padding, no flips: the images come back unchanged.
        const torch::Tensor same = randomCropAndFlip(images, 0, torch::zeros({16}, torch::kBool), generator);
        QVERIFY(torch::equal(same, images));
        QVERIFY_THROWS_EXCEPTION(Error, randomCropAndFlip(images, 1, torch::zeros({3}, torch::kBool), generator));
    }

    void epochSamplerVisitsEveryIndexOncePerEpoch()
    {
        EpochSampler sampler(10, at::detail::createCPUGenerator(4));
        for (int epoch = 0; epoch < 3; ++epoch) {
            // 10 = 4 + 6: batches that end exactly at the epoch boundary.
            const torch::Tensor indices = torch::cat({sampler.next(4), sampler.next(6)});
            QVERIFY(torch::equal(std::get<0>(indices.sort()), torch::arange(10, torch::kInt64)));
        }
        // A batch bigger than the split spans epochs.
        QCOMPARE(sampler.next(25).size(0), int64_t(25));
        QVERIFY_THROWS_EXCEPTION(Error, EpochSampler(0, at::detail::createCPUGenerator(1)));
    }

    void centroidHeadMatchesANaiveMean()
    {
        const HeadTestInputs inputs;
        const auto &[config, weights, split] = inputs;
        CentroidHeadOptions options;
        options.logitScale = 17.0;
        options.imagesPerClass = 3;
        const ClassificationHead head = centroidHead(config, weights, split, options);
        QCOMPARE(head.numClasses(), 3);
        QCOMPARE(head.classNames, split.classNames);
        QVERIFY(head.clipStyle);
        QCOMPARE(head.logitScale, 17.0);

        torch::NoGradGuard noGrad;
        const ClipVisionModel model(config, weights, torch::kCPU);
        for (int c = 0; c < 3; ++c) {
            // The first 3 images of class c are rows 5c .. 5c+2.
            torch::Tensor sum = torch::zeros({config.projectionDim});
            for (int i = 5 * c; i < 5 * c + 3; ++i) {
                const torch::Tensor f = model.encode(split.images[i].unsqueeze(0))[0];
                sum += f / f.norm();
            }
            const torch::Tensor expected = sum / sum.norm();
            QVERIFY2(torch::allclose(head.weight[c], expected, 1e-4, 1e-5),
                     qPrintable(test::describeMismatch(head.weight[c], expected, 1e-4, 1e-5)));
        }
    }

    // Block 1 of 2 of the 16 projected features: the naive centroid with
    // features 0..7 zeroed, normalised again.
    void centroidHeadInATaskBlock()
    {
        const HeadTestInputs inputs;
        const auto &[config, weights, split] = inputs;
        CentroidHeadOptions options;
        options.logitScale = 17.0;
        options.taskBlock = 1;
        options.taskBlocks = 2;
        const ClassificationHead head = centroidHead(config, weights, split, options);
        torch::NoGradGuard noGrad;
        const torch::Tensor features = ClipVisionModel(config, weights, torch::kCPU).encode(split.images);
        for (int c = 0; c < 3; ++c) {
            const torch::Tensor unit = features.narrow(0, 5 * c, 5) / features.narrow(0, 5 * c, 5).norm(2, {1}, true);
            torch::Tensor sum = unit.sum(0);
            sum.narrow(0, 0, 8).zero_();
            const torch::Tensor expected = sum / sum.norm();
            QVERIFY2(torch::allclose(head.weight[c], expected, 1e-4, 1e-6),
                     qPrintable(test::describeMismatch(head.weight[c], expected, 1e-4, 1e-6)));
            QVERIFY(torch::equal(head.weight[c].narrow(0, 0, 8), torch::zeros({8})));
        }
        options.taskBlock = 2;
        QVERIFY_THROWS_EXCEPTION(Error, centroidHead(config, weights, split, options));
        options.taskBlock = 0;
        options.taskBlocks = 17;
        QVERIFY_THROWS_EXCEPTION(Error, centroidHead(config, weights, split, options));
    }

    // Centred, in block 0 of 2: each class's naive mean of unit features with
    // features 8..15 zeroed and normalised, minus the mean of the three
    // directions, normalised again. The centred directions sum to zero before
    // the last normalisation, so no two can be as close as the raw centroids
    // of a random model are.
    void centredCentroidHead()
    {
        const HeadTestInputs inputs;
        const auto &[config, weights, split] = inputs;
        CentroidHeadOptions options;
        options.logitScale = 17.0;
        options.taskBlock = 0;
        options.taskBlocks = 2;
        options.centred = true;
        const ClassificationHead head = centroidHead(config, weights, split, options);
        torch::NoGradGuard noGrad;
        const torch::Tensor features = ClipVisionModel(config, weights, torch::kCPU).encode(split.images);
        std::vector<torch::Tensor> directions;
        for (int c = 0; c < 3; ++c) {
            torch::Tensor sum = torch::zeros({config.projectionDim});
            for (int i = 5 * c; i < 5 * c + 5; ++i)
                sum += features[i] / features[i].norm();
            sum.narrow(0, 8, 8).zero_();
            directions.push_back(sum / sum.norm());
        }
        const torch::Tensor centre = (directions[0] + directions[1] + directions[2]) / 3.0;
        for (int c = 0; c < 3; ++c) {
            const torch::Tensor centred = directions[size_t(c)] - centre;
            const torch::Tensor expected = centred / centred.norm();
            QVERIFY2(torch::allclose(head.weight[c], expected, 1e-4, 1e-5),
                     qPrintable(test::describeMismatch(head.weight[c], expected, 1e-4, 1e-5)));
            QVERIFY(torch::equal(head.weight[c].narrow(0, 8, 8), torch::zeros({8})));
        }
        options.centred = false;
        const ClassificationHead raw = centroidHead(config, weights, split, options);
        const double rawCosine = (raw.weight[0] * raw.weight[1]).sum().item<double>();
        const double centredCosine = (head.weight[0] * head.weight[1]).sum().item<double>();
        QVERIFY2(centredCosine < rawCosine,
                 qPrintable(QStringLiteral("centred %1, raw %2").arg(centredCosine).arg(rawCosine)));

        const TrainingImages oneClass = tinySplit(QStringLiteral("single"), 1, 5, config.imageSize, 2, 0.0f);
        options.centred = true;
        QVERIFY_THROWS_EXCEPTION(Error, centroidHead(config, weights, oneClass, options));
    }

    // The pretext trains its own 8-feature projection head and hands over a
    // seeded rotation: orthonormal rows, [projection, width].
    void pretextHandsOverARotatedProjection()
    {
        ZooTrainingRecipe recipe = quickZooRecipe();
        recipe.model = tinyZooConfig();
        recipe.model.projectionDim = 24; // of width 32
        recipe.pretextProjectionDim = 8;
        recipe.pretextSteps = 2;
        recipe.pretextBatch = 8;
        const QVector<TrainingImages> splits{tinySplit(QStringLiteral("a"), 2, 4, 16, 1, 0.0f),
                                             tinySplit(QStringLiteral("b"), 3, 3, 16, 2, 1.0f)};
        const PretextResult result = pretrainWithPretext(recipe, splits);
        const torch::Tensor projection = result.weights.at("visual_projection.weight");
        QCOMPARE(projection.sizes().vec(), (std::vector<int64_t>{24, 32}));
        QVERIFY(torch::allclose(projection.matmul(projection.t()), torch::eye(24), 1e-5, 1e-5));
        QVERIFY(torch::equal(projection, pretrainWithPretext(recipe, splits).weights.at("visual_projection.weight")));
        // The pretrained model loads with the recipe's architecture.
        QCOMPARE(ClipVisionModel(recipe.model, result.weights, torch::kCPU).featureDim(), 24);

        recipe.model.projectionDim = 33; // more rows than the width has directions
        QVERIFY_THROWS_EXCEPTION(Error, pretrainWithPretext(recipe, splits));
    }

    void pretrainingAndFinetuningAreSeeded()
    {
        ZooTrainingRecipe recipe = quickZooRecipe();
        recipe.model = tinyZooConfig();
        recipe.pretextProjectionDim = 0; // the pretext's projection is kept
        recipe.pretextSteps = 3;
        recipe.pretextBatch = 8;
        recipe.finetuneSteps = 3;
        recipe.finetuneBatch = 6;
        QVector<TrainingImages> splits{tinySplit(QStringLiteral("a"), 2, 4, 16, 1, 0.0f),
                                       tinySplit(QStringLiteral("b"), 3, 3, 16, 2, 1.0f)};
        splits[1].mirrorSafe = true;
        const PretextResult first = pretrainWithPretext(recipe, splits);
        const PretextResult second = pretrainWithPretext(recipe, splits);
        QCOMPARE(first.report.steps, 3);
        for (const auto &[name, tensor] : first.weights) {
            QVERIFY2(!tensor.requires_grad(), name.c_str());
            QVERIFY2(torch::equal(tensor, second.weights.at(name)), name.c_str());
        }
        recipe.seed = 2;
        const PretextResult other = pretrainWithPretext(recipe, splits);
        QVERIFY(!torch::equal(first.weights.at("encoder.layers.0.mlp.fc1.weight"),
                              other.weights.at("encoder.layers.0.mlp.fc1.weight")));

        const ClassificationHead head = centroidHead(recipe.model, first.weights, splits[1], CentroidHeadOptions{});
        const ClassificationHead headBefore = head;
        const torch::Tensor headWeight = head.weight.clone();
        const FinetuneResult tunedA = fineTuneTask(recipe, first.weights, head, splits[1], 1);
        const FinetuneResult tunedB = fineTuneTask(recipe, first.weights, head, splits[1], 1);
        QVERIFY(torch::equal(head.weight, headWeight)); // the head stays frozen
        bool changed = false;
        for (const auto &[name, tensor] : tunedA.weights) {
            QVERIFY2(torch::equal(tensor, tunedB.weights.at(name)), name.c_str());
            changed = changed || !torch::equal(tensor, first.weights.at(name));
        }
        QVERIFY(changed);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 fineTuneTask(recipe, first.weights, head, splits[0], 0)); // 3-class head, 2 classes

        // A task named in finetuneStepsByTask takes its own step count; the others keep finetuneSteps.
        QCOMPARE(tunedA.report.steps, 3);
        ZooTrainingRecipe longer = recipe;
        longer.finetuneStepsByTask = {{QStringLiteral("b"), 5}, {QStringLiteral("elsewhere"), 7}};
        QCOMPARE(fineTuneTask(longer, first.weights, head, splits[1], 1).report.steps, 5);
        QCOMPARE(longer.finetuneStepsOf(QStringLiteral("a")), 3);

        // A task named in finetuneViewTasks trains on the pretext's views: same seed, other weights,
        // and again the same weights when run twice.
        ZooTrainingRecipe viewed = recipe;
        viewed.finetuneViewTasks = {QStringLiteral("b")};
        const FinetuneResult viewsA = fineTuneTask(viewed, first.weights, head, splits[1], 1);
        const FinetuneResult viewsB = fineTuneTask(viewed, first.weights, head, splits[1], 1);
        bool differs = false;
        for (const auto &[name, tensor] : viewsA.weights) {
            QVERIFY2(torch::equal(tensor, viewsB.weights.at(name)), name.c_str());
            differs = differs || !torch::equal(tensor, tunedA.weights.at(name));
        }
        QVERIFY(differs);
        viewed.finetuneViewTasks = {QStringLiteral("elsewhere")}; // another task's setting changes nothing here
        for (const auto &[name, tensor] : fineTuneTask(viewed, first.weights, head, splits[1], 1).weights)
            QVERIFY2(torch::equal(tensor, tunedA.weights.at(name)), name.c_str());

        // MLP-only: every MLP tensor learns, every other tensor is the pretrained one bit for bit.
        recipe.finetuneMlpOnly = true;
        const FinetuneResult mlpOnly = fineTuneTask(recipe, first.weights, head, splits[1], 1);
        int mlpTensors = 0;
        for (const auto &[name, tensor] : mlpOnly.weights) {
            const bool mlp = name.find(".mlp.fc") != std::string::npos;
            mlpTensors += mlp ? 1 : 0;
            QVERIFY2(torch::equal(tensor, first.weights.at(name)) != mlp, name.c_str());
            QVERIFY2(!tensor.requires_grad(), name.c_str());
        }
        QCOMPARE(mlpTensors, 4 * recipe.model.numHiddenLayers); // fc1, fc2: weights and biases
    }

    // The calibrated scale: the pretrained model's mean entropy over the train
    // images, computed here through the head's own logits, is the target.
    void headScaleMeetsTheTargetEntropy()
    {
        const HeadTestInputs inputs;
        const auto &[config, weights, split] = inputs;
        torch::NoGradGuard noGrad;
        const torch::Tensor features = ClipVisionModel(config, weights, torch::kCPU).encode(split.images);
        CentroidHeadOptions options;
        options.centred = true;
        for (const double target : {0.5, 0.9}) {
            options.targetEntropy = target;
            const ClassificationHead head = centroidHead(config, weights, split, options);
            const torch::Tensor logits = head.logits(features);
            const torch::Tensor probabilities = torch::softmax(logits, 1);
            const double entropy = -(probabilities * torch::log_softmax(logits, 1)).sum(1).mean().item<double>()
                                   / std::log(3.0);
            QVERIFY2(std::abs(entropy - target) < 1e-4,
                     qPrintable(QStringLiteral("target %1, got %2").arg(target).arg(entropy)));
        }
        options.targetEntropy = 1.0;
        QVERIFY_THROWS_EXCEPTION(Error, centroidHead(config, weights, split, options));
        options.targetEntropy = -0.1;
        QVERIFY_THROWS_EXCEPTION(Error, centroidHead(config, weights, split, options));
    }

    void recipeVersionFollowsEverySetting()
    {
        const ZooTrainingRecipe standard = standardZooRecipe();
        QCOMPARE(standard.version(), standardZooRecipe().version());
        QVERIFY(standard.version().startsWith(QStringLiteral("r%1-").arg(kZooTrainingRevision)));
        ZooTrainingRecipe changed = standard;
        changed.finetuneLearningRate *= 2;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.headTaskBlocks = false;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.headCentred = !standard.headCentred;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.headTargetEntropy = standard.headTargetEntropy + 0.05;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.finetuneMlpOnly = !standard.finetuneMlpOnly;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.pretextProjectionDim = 32;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.seed = 2;
        QVERIFY(changed.version() != standard.version());
        changed = standard;
        changed.finetuneStepsByTask[QStringLiteral("digits")] = standard.finetuneStepsOf(QStringLiteral("digits")) + 1;
        QVERIFY(changed.version() != standard.version());
        // Per-task steps are written only when some are set: recipes without them keep their key.
        changed.finetuneStepsByTask.clear();
        QVERIFY(
            !changed.toJson().value(QStringLiteral("finetune")).toObject().contains(QStringLiteral("steps_by_task")));
        changed = standard;
        changed.finetuneViewTasks.append(QStringLiteral("digits"));
        QVERIFY(changed.version() != standard.version());
        changed.finetuneViewTasks.clear();
        QVERIFY(!changed.toJson().value(QStringLiteral("finetune")).toObject().contains(QStringLiteral("view_tasks")));
        QVERIFY(quickZooRecipe().version() != standard.version());
    }

    // The zoo's README says how each task's fine-tuning batches were augmented.
    void readmeNamesTheFinetuningAugmentation()
    {
        ZooTrainingRecipe recipe = standardZooRecipe();
        recipe.finetuneCropPadding = 0;
        recipe.finetuneViewTasks = {QStringLiteral("textures")};
        QString text = zooReadme(recipe, {});
        QVERIFY2(text.contains(QLatin1String("augmentation: no crops, but the pretext's views for textures;")),
                 qPrintable(text));
        recipe.finetuneCropPadding = 2;
        recipe.finetuneViewTasks.clear();
        text = zooReadme(recipe, {});
        QVERIFY2(text.contains(QLatin1String("augmentation: random crops after 2 px zero padding;")), qPrintable(text));
    }

    void stagingIsRemovedUnlessCommitted()
    {
        QTemporaryDir root;
        const QString finalFolder = QDir(root.path()).filePath(QStringLiteral("zoo-x"));
        QString stagingFolder;
        {
            ZooStaging staging(finalFolder);
            stagingFolder = staging.folder();
            QVERIFY(QFileInfo(stagingFolder).isDir());
            writeFile(QDir(stagingFolder).filePath(QStringLiteral("half.txt")), "half");
        } // an exception would leave the scope the same way
        QVERIFY(!QFileInfo::exists(stagingFolder));
        QVERIFY(!QFileInfo::exists(finalFolder));

        // An incomplete final folder (no marker) is not a zoo, and commit replaces it.
        QVERIFY(QDir().mkpath(finalFolder));
        writeFile(QDir(finalFolder).filePath(QStringLiteral("junk.txt")), "junk");
        QVERIFY(!isCompleteZoo(finalFolder));
        {
            ZooStaging staging(finalFolder);
            writeFile(QDir(staging.folder()).filePath(QStringLiteral("pool.json")), "{}");
            staging.commit("done");
        }
        QVERIFY(isCompleteZoo(finalFolder));
        QVERIFY(QFileInfo::exists(QDir(finalFolder).filePath(QStringLiteral("pool.json"))));
        QVERIFY(!QFileInfo::exists(QDir(finalFolder).filePath(QStringLiteral("junk.txt"))));
        QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("zoo-x")});

        // A staging folder left by a killed build is cleared by the next one.
        QVERIFY(QDir().mkpath(stagingFolder));
        writeFile(QDir(stagingFolder).filePath(QStringLiteral("stale.txt")), "stale");
        ZooStaging fresh(finalFolder);
        QVERIFY(QDir(fresh.folder()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestZooTraining)
#include "test_zoo_training.moc"
