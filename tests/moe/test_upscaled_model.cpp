// The WEMoE model on a tiny generated pool: equals task arithmetic when the
// routers are fixed at λ, routes each sample independently of its batch,
// captures routing, saves and reloads exactly, collapses to dense models.

#include "common/error.h"
#include "data/image_folder_dataset.h"
#include "demo/synthetic_pool.h"
#include "io/safetensors.h"
#include "merge/merge_methods.h"
#include "model/clip_vision_model.h"
#include "moe/adaptation_history.h"
#include "moe/routing_capture.h"
#include "moe/upscaled_clip_model.h"
#include "moe/upscaled_evaluation.h"
#include "moe/upscaled_model_file.h"
#include "pool/loaded_pool.h"

#include "test_support.h"
#include "wemoe_test_util.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::randomImages;
using wemoe::test::sameTensorMaps;
using wemoe::test::scaledError;

namespace {

} // namespace

class TestUpscaledModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LoadedPool> m_pool;

    MergeInputs inputs() const { return MergeInputs{&m_pool->pretrained.vision, m_pool->taskWeights()}; }

    UpscaledClipModel upscale(int depth, double lambda = 0.3, quint64 seed = 5) const
    {
        UpscaleOptions options;
        options.scalingFactor = lambda;
        options.mlp.routerDepth = depth;
        options.mlp.initLambda = lambda;
        options.mlp.routerSeed = seed;
        return UpscaledClipModel::upscale(m_pool->pretrained.config, inputs(), m_pool->taskNames(), options,
                                          torch::kCPU);
    }

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 3;
        options.imagesPerClass = 4;
        m_pool = std::make_unique<LoadedPool>(
            LoadedPool::load(writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options)));
    }

    void routersFixedAtLambdaEqualTaskArithmetic()
    {
        // Depth 0: the routing weight is the learned bias, initialised at λ exactly.
        for (double lambda : {0.3, 0.7}) {
            const auto model = upscale(0, lambda);
            const auto images = randomImages(m_pool->pretrained.config, 5, 3);
            torch::NoGradGuard noGrad;
            torch::Tensor routing;
            const auto wemoe = model.encode(images, RoutingMode::PerSample, &routing);
            const ClipVisionModel ta(m_pool->pretrained.config, taskArithmetic(inputs(), lambda), torch::kCPU);
            QVERIFY2(scaledError(wemoe, ta.encode(images)) < 1e-5, "WEMoE at fixed λ differs from task arithmetic");
            QCOMPARE(routing.sizes(), (c10::IntArrayRef{5, 2, 3}));
            QVERIFY(torch::allclose(routing, torch::full_like(routing, lambda)));
        }
    }

    void perSampleRoutingIgnoresTheBatch()
    {
        // Per-sample routing: image b's output is the same in any batch, and
        // equals the model run on b alone (the naive per-sample loop).
        const auto model = upscale(2, 0.3, 11);
        const auto images = randomImages(m_pool->pretrained.config, 6, 4);
        torch::NoGradGuard noGrad;
        torch::Tensor routing;
        const auto batched = model.encode(images, RoutingMode::PerSample, &routing);
        for (int b = 0; b < 6; ++b) {
            torch::Tensor alone;
            const auto single = model.encode(images.slice(0, b, b + 1), RoutingMode::PerSample, &alone);
            QVERIFY2(scaledError(batched.slice(0, b, b + 1), single) < 1e-5, "per-sample output depends on the batch");
            QVERIFY(torch::allclose(routing.slice(0, b, b + 1), alone, 1e-5, 1e-7));
        }
        // Batch-reduced routing applies the batch mean to every sample.
        torch::Tensor reduced;
        const auto mean = model.encode(images, RoutingMode::BatchReduce, &reduced);
        QVERIFY(torch::allclose(reduced[0], reduced[5]));
        QVERIFY(scaledError(mean, batched) > 1e-7);
    }

    void saveAndReloadExactly()
    {
        const auto model = upscale(2, 0.3, 2);
        const QString path = m_dir.filePath(QStringLiteral("wemoe.safetensors"));
        // Adapted twice: the paper's objective, then continued with the diversity term.
        const AdaptationHistory history{{AdaptationRun{10, 1e-4, 0.0}, AdaptationRun{7, 1e-3, 1.5}}};
        saveUpscaledModel(path, model, history);
        const auto loaded = loadUpscaledModel(path, torch::kCPU);
        QCOMPARE(loaded.adaptation.totalSteps(), 17);
        QCOMPARE(loaded.adaptation.runs.size(), 2);
        QCOMPARE(loaded.adaptation.runs.at(1).steps, 7);
        QCOMPARE(loaded.adaptation.runs.at(1).learningRate, 1e-3);
        QCOMPARE(loaded.adaptation.runs.at(1).diversityWeight, 1.5);
        QCOMPARE(upscaledLabel(loaded.model.options(), RoutingMode::PerSample, loaded.adaptation),
                 QStringLiteral("wemoe (depth 2, router seed 2, 10 steps, lr 0.0001 + 7 steps, lr 0.001, "
                                "diversity 1.5, per_sample routing)")); // upscaled with router seed 2
        QCOMPARE(loaded.model.taskNames(), model.taskNames());
        const auto a = model.routerState();
        const auto b = loaded.model.routerState();
        QCOMPARE(a.size(), b.size());
        for (const auto &[name, t] : a)
            QVERIFY2(torch::equal(t, b.at(name)), name.c_str());
        const auto images = randomImages(m_pool->pretrained.config, 3, 9);
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(model.encode(images), loaded.model.encode(images)));
    }

    // Files written before the history say only how many steps; a history
    // that disagrees with that count, or is not JSON, is an error naming the file.
    void adaptationHistoryOfOlderAndDamagedFiles()
    {
        const auto model = upscale(2, 0.3, 2);
        const QString path = m_dir.filePath(QStringLiteral("history.safetensors"));
        saveUpscaledModel(path, model, AdaptationHistory{{AdaptationRun{5, 1e-3, 2.0}}});
        const auto rewrite = [&path](const char *key, const std::optional<std::string> &value) {
            auto contents = readSafetensors(path);
            if (value)
                contents.metadata[key] = *value;
            else
                contents.metadata.erase(key);
            writeSafetensors(path, contents.tensors, contents.metadata);
        };
        rewrite("adaptation_history", std::nullopt);
        auto older = loadUpscaledModel(path, torch::kCPU).adaptation;
        QCOMPARE(older.runs.size(), 1);
        QCOMPARE(older.describe(), QStringLiteral("5 steps"));

        rewrite("adaptation_history", std::string(R"([{"steps":4,"lr":0.001,"diversity":0}])"));
        for (const std::string &damaged :
             {std::string(R"([{"steps":4,"lr":0.001,"diversity":0}])"), std::string("[{\"steps\":5"),
              std::string(R"([{"lr":0.1}])"), std::string(R"([{"steps":5,"lr":0.1,"diversity":-1}])")}) {
            rewrite("adaptation_history", damaged);
            try {
                loadUpscaledModel(path, torch::kCPU);
                QFAIL(damaged.c_str());
            } catch (const Error &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(path), e.what());
                QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("adapt")), e.what());
            }
        }
    }

    void routerCheckpointOfAnotherDepthIsRejected()
    {
        auto depth2 = upscale(2);
        const auto depth1 = upscale(1);
        try {
            depth2.loadRouterState(depth1.routerState(), QStringLiteral("routers.safetensors"));
            QFAIL("a depth-1 router state was loaded into a depth-2 model");
        } catch (const Error &e) {
            QVERIFY2(e.message().startsWith(QLatin1String("routers.safetensors: ")), qPrintable(e.message()));
        }
    }

    void collapseAtLambdaIsTaskArithmetic()
    {
        const auto model = upscale(2, 0.4);
        const auto dense = model.collapse(torch::full({model.layers(), model.experts()}, 0.4));
        const auto ta = taskArithmetic(inputs(), 0.4);
        for (const auto &[name, t] : ta)
            QVERIFY2(torch::allclose(dense.at(name), t, 1e-5, 1e-6), name.c_str());
        QVERIFY_THROWS_EXCEPTION(Error, model.collapse(torch::zeros({1, 1})));
    }

    void evaluationCapturesEveryImage()
    {
        const auto model = upscale(2);
        const auto result = evaluateUpscaled(model, *m_pool, RoutingMode::PerSample, 5, true);
        QCOMPARE(result.accuracy.size(), 3);
        const auto &capture = result.capture;
        int images = 0;
        for (const auto &task : m_pool->pool.tasks)
            images += ImageFolderDataset::open(task.testData.paths.first(),
                                               m_pool->heads.at(m_pool->pool.taskIndex(task.name)).classNames)
                          .size();
        QCOMPARE(capture.images(), images);
        QCOMPARE(capture.weights.sizes(), (c10::IntArrayRef{images, 2, 3}));
        // Accuracy agrees with the captured predictions.
        for (int t = 0; t < 3; ++t) {
            int correct = 0, count = 0;
            for (int i = 0; i < capture.images(); ++i)
                if (capture.imageTask[i] == t) {
                    ++count;
                    correct += capture.trueLabel[i] == capture.predictedLabel[i];
                }
            QCOMPARE(result.accuracy[t], double(correct) / count);
        }
        // Save and load the capture.
        const QString base = m_dir.filePath(QStringLiteral("capture"));
        capture.save(base);
        const auto loaded = RoutingCapture::load(base + QStringLiteral(".safetensors"));
        QVERIFY(torch::equal(loaded.weights, capture.weights));
        QCOMPARE(loaded.imageFiles, capture.imageFiles);
        QCOMPARE(loaded.predictedLabel, capture.predictedLabel);
        QVERIFY(QFileInfo(base + QStringLiteral(".csv")).size() > 0);
    }

    void summaryStatisticsByHand()
    {
        RoutingCapture capture;
        capture.tasks = {QStringLiteral("a"), QStringLiteral("b")};
        // 3 images, 2 layers, 2 experts. Images 0 and 1 are task a's, image 2 task b's.
        capture.weights = torch::tensor({0.9f, 0.1f, 0.2f, 0.8f, //
                                         0.7f, 0.3f, 0.6f, 0.4f, //
                                         0.1f, 0.5f, 0.6f, 0.2f})
                              .view({3, 2, 2});
        capture.imageTask = {0, 0, 1};
        capture.imageIndex = {0, 1, 0};
        capture.trueLabel = {0, 0, 0};
        capture.predictedLabel = {0, 0, 0};
        capture.imageFiles = {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")};
        const auto mean = capture.meanPerTask();
        QVERIFY(std::abs(mean[0][0][0].item<float>() - 0.8f) < 1e-6); // (0.9 + 0.7) / 2
        QVERIFY(std::abs(mean[0][1][1].item<float>() - 0.6f) < 1e-6); // (0.8 + 0.4) / 2
        QVERIFY(std::abs(mean[1][0][1].item<float>() - 0.5f) < 1e-6);
        const auto sd = capture.stdPerTask();
        QVERIFY(std::abs(sd[0][0][0].item<float>() - 0.1414214f) < 1e-5); // sample std of {0.9, 0.7}
        const auto first = capture.firstChoice();
        // Task a, layer 0: both images pick expert 0 -> 1. Layer 1: image 0 picks 1, image 1 picks 0 -> 0.5.
        QCOMPARE(first[0][0].item<float>(), 1.0f);
        QCOMPARE(first[0][1].item<float>(), 0.5f);
        // Task b: layer 0 picks expert 1 (0.5 > 0.1) -> 1; layer 1 picks expert 0 -> 0.
        QCOMPARE(first[1][0].item<float>(), 1.0f);
        QCOMPARE(first[1][1].item<float>(), 0.0f);
    }

    void oneTaskWorksAndZeroTasksIsAnError()
    {
        MergeInputs one{&m_pool->pretrained.vision, {m_pool->taskWeights().front()}};
        UpscaleOptions options;
        const auto model = UpscaledClipModel::upscale(m_pool->pretrained.config, one, {QStringLiteral("alpha")},
                                                      options, torch::kCPU);
        QCOMPARE(model.experts(), 1);
        MergeInputs none{&m_pool->pretrained.vision, {}};
        QVERIFY_THROWS_EXCEPTION(Error,
                                 UpscaledClipModel::upscale(m_pool->pretrained.config, none, {}, options, torch::kCPU));
    }
};

QTEST_GUILESS_MAIN(TestUpscaledModel)
#include "test_upscaled_model.moc"
