// E-WEMoE on a tiny generated pool: keep 1 with per-block routers is WEMoE bit
// for bit (model and adaptation), a shared router is one set of parameters
// every block routes with, the pruned model computes what a dense model of
// the pruned task vectors computes, saves and reloads exactly, and collapses.

#include "adapt/router_adaptation.h"
#include "common/error.h"
#include "demo/synthetic_pool.h"
#include "io/safetensors.h"
#include "merge/merge_inputs.h"
#include "methods/engine_options.h"
#include "methods/method_call.h"
#include "model/clip_vision_model.h"
#include "moe/magnitude_pruning.h"
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

TensorMap buffersOf(const UpscaledClipModel &model)
{
    TensorMap buffers;
    for (int layer = 0; layer < model.layers(); ++layer)
        for (const auto &item : model.mlp(layer)->named_buffers())
            buffers.emplace(std::to_string(layer) + "." + item.key(), item.value());
    return buffers;
}

} // namespace

class TestEwemoeModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LoadedPool> m_pool;

    MergeInputs inputs() const { return MergeInputs{&m_pool->pretrained.vision, m_pool->taskWeights()}; }

    UpscaledClipModel upscale(const UpscaleOptions &options) const
    {
        return UpscaledClipModel::upscale(m_pool->pretrained.config, inputs(), m_pool->taskNames(), options,
                                          torch::kCPU);
    }

    static UpscaleOptions efficient(double keep, RouterSharing routers, quint64 seed = 2)
    {
        UpscaleOptions options;
        options.mlp.keepRatio = keep;
        options.mlp.sparseRowBlock = 8; // several blocks per MLP: the seams are exercised
        options.mlp.routerSeed = seed;
        options.routers = routers;
        return options;
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

    void keepOneWithPerBlockRoutersIsWemoeBitForBit()
    {
        const MethodCall wemoe = MethodCall::parse(QStringLiteral("wemoe:seed=4,steps=3,lr=0.001,batch=4"));
        const MethodCall ewemoe = MethodCall::parse(
            QStringLiteral("ewemoe:keep=1,router=per_block,seed=4,steps=3,lr=0.001,batch=4"));
        auto a = upscale(toUpscaleOptions(wemoe));
        auto b = upscale(toUpscaleOptions(ewemoe));
        QVERIFY(!b.options().isEfficient());
        QVERIFY(sameTensorMaps(buffersOf(a), buffersOf(b)));
        QVERIFY(sameTensorMaps(a.routerState(), b.routerState()));
        const auto images = randomImages(m_pool->pretrained.config, 4, 1);
        {
            torch::NoGradGuard noGrad;
            QVERIFY(torch::equal(a.encode(images), b.encode(images)));
        }
        QVector<double> lossesA, lossesB;
        adaptRouters(a, *m_pool, toRouterAdaptationOptions(wemoe), [&](const AdaptationStep &s) { lossesA << s.loss; });
        adaptRouters(b, *m_pool, toRouterAdaptationOptions(ewemoe),
                     [&](const AdaptationStep &s) { lossesB << s.loss; });
        QCOMPARE(lossesA, lossesB); // exactly, step by step
        QVERIFY(sameTensorMaps(a.routerState(), b.routerState()));
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(a.encode(images), b.encode(images)));
        QCOMPARE(ewemoe.label(), wemoe.label()); // it is WEMoE, and reads so
    }

    void sharedRouterIsOneSetOfParameters()
    {
        const auto shared = upscale(efficient(1.0, RouterSharing::Shared));
        const auto perBlock = upscale(efficient(1.0, RouterSharing::PerBlock));
        QCOMPARE(shared.routerParameters().size(), perBlock.routerParameters().size() / size_t(perBlock.layers()));
        for (int layer = 1; layer < shared.layers(); ++layer)
            QVERIFY(shared.mlp(layer)->router().ptr() == shared.mlp(0)->router().ptr());
        // Seeded like block 0's own router, named once.
        const auto state = shared.routerState();
        for (const auto &[name, t] : state) {
            QVERIFY2(name.rfind("shared.", 0) == 0, name.c_str());
            QVERIFY(torch::equal(t, perBlock.routerState().at("layers.0." + name.substr(7))));
        }
        // Every block routes its own input through it: the model equals a
        // per-block model whose routers all hold the shared router's values ...
        auto perBlockCopy = upscale(efficient(1.0, RouterSharing::PerBlock));
        TensorMap copies;
        for (int layer = 0; layer < perBlockCopy.layers(); ++layer)
            for (const auto &[name, t] : state)
                copies["layers." + std::to_string(layer) + "." + name.substr(7)] = t;
        perBlockCopy.loadRouterState(copies, QStringLiteral("copies"));
        const auto images = randomImages(m_pool->pretrained.config, 3, 2);
        torch::Tensor routing;
        const auto features = shared.encode(images, RoutingMode::PerSample, &routing);
        const auto copyFeatures = perBlockCopy.encode(images);
        QVERIFY(torch::equal(features, copyFeatures));
        QVERIFY(!torch::allclose(routing.select(1, 0), routing.select(1, 1)));
        // ... and its gradient is the sum of the per-block routers' gradients.
        features.sum().backward();
        copyFeatures.sum().backward();
        const auto sharedParameters = shared.routerParameters();
        const auto blockParameters = perBlockCopy.routerParameters();
        const size_t perRouter = sharedParameters.size();
        for (size_t i = 0; i < perRouter; ++i) {
            auto sum = torch::zeros_like(sharedParameters[i]);
            for (size_t j = i; j < blockParameters.size(); j += perRouter)
                sum += blockParameters[j].grad();
            QVERIFY(sharedParameters[i].grad().abs().sum().item<double>() > 0.0);
            QVERIFY(scaledError(sharedParameters[i].grad(), sum) < 1e-5);
        }
    }

    void prunedModelComputesTheDenseModelOfPrunedVectors()
    {
        const double keep = 0.1;
        const auto sparse = upscale(efficient(keep, RouterSharing::PerBlock, 6));
        for (int layer = 0; layer < sparse.layers(); ++layer) {
            QVERIFY(sparse.mlp(layer)->fc1().isSparse() && sparse.mlp(layer)->fc2().isSparse());
            QCOMPARE(sparse.mlp(layer)->fc1().sparseTaskWeights.keptEntries(),
                     3 * keptEntryCount(sparse.mlp(layer)->fc1().weight.numel(), keep));
        }
        // The same pool with every MLP task vector pruned beforehand, upscaled dense.
        std::vector<TensorMap> prunedTasks(m_pool->taskCount());
        for (int t = 0; t < m_pool->taskCount(); ++t)
            for (const auto &[name, tensor] : *inputs().pretrained)
                prunedTasks[t][name] = isUpscaledMlpTensor(name)
                                           ? tensor + pruneByMagnitude(inputs().taskVector(t, name), keep)
                                           : inputs().finetuned[t]->at(name);
        MergeInputs prunedInputs;
        prunedInputs.pretrained = inputs().pretrained;
        for (const auto &map : prunedTasks)
            prunedInputs.finetuned.push_back(&map);
        UpscaleOptions denseOptions = efficient(1.0, RouterSharing::PerBlock, 6);
        const auto dense = UpscaledClipModel::upscale(m_pool->pretrained.config, prunedInputs, m_pool->taskNames(),
                                                      denseOptions, torch::kCPU);
        const auto images = randomImages(m_pool->pretrained.config, 4, 3);
        torch::NoGradGuard noGrad;
        for (const auto mode : {RoutingMode::PerSample, RoutingMode::BatchReduce})
            QVERIFY(scaledError(sparse.encode(images, mode), dense.encode(images, mode)) < 1e-5);

        // Collapse folds the pruned vectors: θ0 + Σt w_t prune(τt).
        const auto w = torch::rand({sparse.layers(), sparse.experts()});
        const auto collapsed = sparse.collapse(w);
        for (int layer = 0; layer < sparse.layers(); ++layer)
            for (const char *suffix : {"mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"}) {
                const auto name = blockTensorName(layer, suffix);
                auto expected = inputs().pretrained->at(name).to(torch::kFloat32).clone();
                for (int t = 0; t < sparse.experts(); ++t)
                    expected += w[layer][t] * pruneByMagnitude(inputs().taskVector(t, name), keep);
                QVERIFY2(scaledError(collapsed.at(name), expected) < 1e-5, name.c_str());
            }
    }

    void saveAndReloadExactly_data()
    {
        QTest::addColumn<double>("keep");
        QTest::addColumn<bool>("shared");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("keep 10 %, shared router") << 0.1 << true << false;
        QTest::newRow("keep 30 %, per-block routers, bfloat16") << 0.3 << false << true;
        QTest::newRow("dense, shared router") << 1.0 << true << false;
    }

    void saveAndReloadExactly()
    {
        QFETCH(double, keep);
        QFETCH(bool, shared);
        QFETCH(bool, bf16);
        UpscaleOptions options = efficient(keep, shared ? RouterSharing::Shared : RouterSharing::PerBlock);
        options.mlp.bf16TaskVectors = bf16;
        auto model = upscale(options);
        RouterAdaptationOptions adaptation;
        adaptation.steps = 2;
        adaptation.learningRate = 1e-3;
        adaptation.batchSize = 4;
        adaptRouters(model, *m_pool, adaptation);
        const QString path = m_dir.filePath(QStringLiteral("ewemoe.safetensors"));
        saveUpscaledModel(path, model, AdaptationHistory{}.followedBy(adaptationRunOf(adaptation)));
        QCOMPARE(readSafetensors(path).metadata.at("wemoe_format"), std::string("2"));

        const auto loaded = loadUpscaledModel(path, torch::kCPU);
        QCOMPARE(loaded.model.options().mlp.keepRatio, keep);
        QVERIFY(loaded.model.options().routers == options.routers);
        QCOMPARE(loaded.model.options().mlp.sparseRowBlock, int64_t(8));
        QVERIFY(sameTensorMaps(buffersOf(model), buffersOf(loaded.model)));
        QVERIFY(sameTensorMaps(model.routerState(), loaded.model.routerState()));
        QCOMPARE(
            upscaledLabel(loaded.model.options(), RoutingMode::PerSample, loaded.adaptation),
            upscaledLabel(model.options(), RoutingMode::PerSample, AdaptationHistory{{adaptationRunOf(adaptation)}}));
        const auto images = randomImages(m_pool->pretrained.config, 3, 9);
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(model.encode(images), loaded.model.encode(images)));
    }

    void labelNamesKeepAndRouters()
    {
        const AdaptationHistory none;
        QCOMPARE(upscaledLabel(efficient(0.1, RouterSharing::Shared, 0), RoutingMode::PerSample, none),
                 QStringLiteral("ewemoe (depth 2, keep 10%, shared router, 0 steps, per_sample routing)"));
        QCOMPARE(upscaledLabel(efficient(0.125, RouterSharing::PerBlock, 0), RoutingMode::BatchReduce, none),
                 QStringLiteral("ewemoe (depth 2, keep 12.5%, per-block routers, 0 steps, batch_reduce routing)"));
        QCOMPARE(
            MethodCall::parse(QStringLiteral("ewemoe")).label(),
            QStringLiteral("ewemoe (depth 2, keep 10%, shared router, 1000 steps, lr 0.0001, per_sample routing)"));
    }

    void formatsOtherThanOneAndTwoAreRefused()
    {
        // A WEMoE model stays format 1 with no E-WEMoE keys (older readers read it).
        const QString densePath = m_dir.filePath(QStringLiteral("wemoe.safetensors"));
        saveUpscaledModel(densePath, upscale(UpscaleOptions{}), {});
        const auto dense = readSafetensors(densePath);
        QCOMPARE(dense.metadata.at("wemoe_format"), std::string("1"));
        QVERIFY(!dense.metadata.count("task_vector_keep") && !dense.metadata.count("router_sharing"));
        // A future format names its number.
        const QString futurePath = m_dir.filePath(QStringLiteral("future.safetensors"));
        Metadata metadata = dense.metadata;
        metadata["wemoe_format"] = "3";
        writeSafetensors(futurePath, dense.tensors, metadata);
        try {
            loadUpscaledModel(futurePath, torch::kCPU);
            QFAIL("format 3 was read");
        } catch (const Error &error) {
            QVERIFY2(error.message().contains(QStringLiteral("format version '3'")), qPrintable(error.message()));
        }
        // Format 2 without its keys is refused by name.
        metadata["wemoe_format"] = "2";
        writeSafetensors(futurePath, dense.tensors, metadata);
        try {
            loadUpscaledModel(futurePath, torch::kCPU);
            QFAIL("format 2 without task_vector_keep was read");
        } catch (const Error &error) {
            QVERIFY2(error.message().contains(QStringLiteral("task_vector_keep")), qPrintable(error.message()));
        }
    }
};

QTEST_APPLESS_MAIN(TestEwemoeModel)
#include "test_ewemoe_model.moc"
