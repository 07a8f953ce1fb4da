// RegMean and RegMean++: the closed form against hand-worked numbers, and the
// whole merge on a tiny generated pool against a recomputation with a forward
// pass written out here in float64.

#include "common/error.h"
#include "datamerge/calibration_data.h"
#include "datamerge/regmean.h"
#include "demo/synthetic_pool.h"
#include "merge/merge_inputs.h"
#include "merge/merge_methods.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <map>

using namespace wemoe;

namespace {

torch::Tensor matrix(std::initializer_list<std::initializer_list<double>> rows)
{
    std::vector<torch::Tensor> stacked;
    for (const auto &row : rows)
        stacked.push_back(torch::tensor(std::vector<double>(row), torch::kFloat64));
    return torch::stack(stacked);
}

// A random symmetric positive definite [n, n] matrix.
torch::Tensor randomGram(int64_t n, int64_t rows)
{
    const auto x = torch::randn({rows, n}, torch::kFloat64);
    return torch::matmul(x.t(), x) / double(rows);
}

bool isLinearWeight(const std::string &name)
{
    for (const char *linear : {"q_proj.weight", "k_proj.weight", "v_proj.weight", "out_proj.weight", "fc1.weight",
                               "fc2.weight", "visual_projection.weight"}) {
        const std::string suffix(linear);
        if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            return true;
    }
    return false;
}

std::string blockName(int layer, const std::string &suffix)
{
    return "encoder.layers." + std::to_string(layer) + "." + suffix;
}

// The inputs every linear map of a CLIP vision model sees, one row per token,
// from a forward pass written out in float64 (the engine runs float32).
std::map<std::string, torch::Tensor> linearInputs(const TensorMap &weights, const ClipVisionConfig &c,
                                                  const torch::Tensor &images)
{
    const auto w = [&](const std::string &name) { return weights.at(name).to(torch::kFloat64); };
    const auto layerNorm = [&](const torch::Tensor &x, const std::string &prefix) {
        const auto mean = x.mean(-1, true);
        const auto variance = (x - mean).pow(2).mean(-1, true);
        return (x - mean) / torch::sqrt(variance + c.layerNormEps) * w(prefix + ".weight") + w(prefix + ".bias");
    };
    const auto linear = [&](const torch::Tensor &x, const std::string &prefix) {
        return torch::matmul(x, w(prefix + ".weight").t()) + w(prefix + ".bias");
    };
    std::map<std::string, torch::Tensor> inputs;
    const auto record = [&](const std::string &weightName, const torch::Tensor &x) {
        inputs[weightName] = x.reshape({-1, x.size(-1)});
    };

    const auto pixels = images.to(torch::kFloat64);
    const int64_t batch = pixels.size(0);
    auto patches = torch::conv2d(pixels, w("embeddings.patch_embedding.weight"), {},
                                 std::vector<int64_t>{c.patchSize, c.patchSize});
    patches = patches.flatten(2).transpose(1, 2);
    const auto cls = w("embeddings.class_embedding").view({1, 1, -1}).expand({batch, 1, c.hiddenSize});
    auto x = torch::cat({cls, patches}, 1) + w("embeddings.position_embedding.weight").unsqueeze(0);
    x = layerNorm(x, "pre_layrnorm");
    const int64_t tokens = x.size(1);
    const int64_t heads = c.numAttentionHeads;
    const int64_t headDim = c.hiddenSize / heads;
    for (int l = 0; l < c.numHiddenLayers; ++l) {
        const auto h = layerNorm(x, blockName(l, "layer_norm1"));
        for (const char *projection : {"q_proj", "k_proj", "v_proj"})
            record(blockName(l, std::string("self_attn.") + projection + ".weight"), h);
        const auto split = [&](const torch::Tensor &t) {
            return t.view({batch, tokens, heads, headDim}).transpose(1, 2);
        };
        const auto q = split(linear(h, blockName(l, "self_attn.q_proj"))) / std::sqrt(double(headDim));
        const auto k = split(linear(h, blockName(l, "self_attn.k_proj")));
        const auto v = split(linear(h, blockName(l, "self_attn.v_proj")));
        const auto attended = torch::matmul(torch::softmax(torch::matmul(q, k.transpose(-2, -1)), -1), v);
        const auto context = attended.transpose(1, 2).reshape({batch, tokens, c.hiddenSize});
        record(blockName(l, "self_attn.out_proj.weight"), context);
        x = x + linear(context, blockName(l, "self_attn.out_proj"));
        const auto h2 = layerNorm(x, blockName(l, "layer_norm2"));
        record(blockName(l, "mlp.fc1.weight"), h2);
        const auto a = linear(h2, blockName(l, "mlp.fc1"));
        const auto activated = a * torch::sigmoid(1.702 * a); // quick_gelu, the tiny config's
        record(blockName(l, "mlp.fc2.weight"), activated);
        x = x + linear(activated, blockName(l, "mlp.fc2"));
    }
    if (weights.count("visual_projection.weight"))
        record("visual_projection.weight", layerNorm(x.select(1, 0), "post_layernorm"));
    return inputs;
}

// Every calibration image of a task as one tensor.
torch::Tensor allImages(const CalibrationData &data, int task)
{
    std::vector<torch::Tensor> batches;
    for (int b = 0; b < data.batchCount(task); ++b)
        batches.push_back(data.batch(task, b));
    return torch::cat(batches);
}

TensorMap simpleAverageOf(const LoadedPool &pool)
{
    MergeInputs inputs;
    inputs.pretrained = &pool.pretrained.vision;
    inputs.finetuned = pool.taskWeights();
    return simpleAverage(inputs);
}

} // namespace

class TestRegMean : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;        // 2 tasks, task vectors everywhere
    QString m_mlpOnlyPool; // 2 tasks that differ from θ0 in the MLPs only
    CalibrationOptions m_calibration;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        torch::manual_seed(7);
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 3;
        m_pool = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options);
        options.taskVectorsInMlpOnly = true;
        m_mlpOnlyPool = writeSyntheticPool(m_dir.filePath(QStringLiteral("mlp-only")), options);
        // The generated pools have test images only; 5 of them in batches of
        // 2, 2 and 1, so the running sums cross uneven batches.
        m_calibration.images = CalibrationImages::Test;
        m_calibration.examplesPerTask = 5;
        m_calibration.batchSize = 2;
    }

    void twoTasksByHand()
    {
        // W1 = I, G1 = [[2, 1], [1, 1]];  W2 = [[0, 1], [1, 0]], G2 = I; α = 1.
        // Σ Wi Gi = [[2, 1], [1, 1]] + [[0, 1], [1, 0]] = [[2, 2], [2, 1]]
        // Σ Gi = [[3, 1], [1, 2]], det 5, inverse [[2, -1], [-1, 3]] / 5
        // W = [[2, 2], [2, 1]] [[2, -1], [-1, 3]] / 5 = [[2, 4], [3, 1]] / 5
        const auto w1 = matrix({{1, 0}, {0, 1}});
        const auto g1 = matrix({{2, 1}, {1, 1}});
        const auto w2 = matrix({{0, 1}, {1, 0}});
        const auto g2 = matrix({{1, 0}, {0, 1}});
        double jitter = -1;
        const auto merged = regMeanSolve({w1, w2}, {g1, g2}, 1.0, &jitter);
        QCOMPARE(merged.scalar_type(), torch::kFloat32);
        const auto expected = matrix({{0.4, 0.8}, {0.6, 0.2}});
        QVERIFY2(test::describeMismatch(merged, expected, 1e-6, 1e-7).isEmpty(),
                 qPrintable(test::describeMismatch(merged, expected, 1e-6, 1e-7)));
        QCOMPARE(jitter, 0.0);
    }

    void alphaScalesOnlyTheOffDiagonal()
    {
        const auto w1 = matrix({{1, 0}, {0, 1}});
        const auto g1 = matrix({{2, 1}, {1, 1}});
        const auto w2 = matrix({{0, 1}, {1, 0}});
        const auto g2 = matrix({{1, 0}, {0, 1}});
        // α = 0.5: G1 becomes [[2, .5], [.5, 1]] (diagonal kept), G2 stays I.
        // Σ Wi Gi = [[2, 1.5], [1.5, 1]], Σ Gi = [[3, .5], [.5, 2]], det 5.75,
        // inverse [[2, -.5], [-.5, 3]] / 5.75
        // W = [[3.25, 3.5], [2.5, 2.25]] / 5.75 = [[13, 14], [10, 9]] / 23
        const auto half = regMeanSolve({w1, w2}, {g1, g2}, 0.5);
        const auto expectedHalf = matrix({{13, 14}, {10, 9}}) / 23.0;
        QVERIFY2(test::describeMismatch(half, expectedHalf, 1e-6, 1e-7).isEmpty(),
                 qPrintable(test::describeMismatch(half, expectedHalf, 1e-6, 1e-7)));
        // α = 0: only the diagonals, Σ Gi = diag(3, 2), Σ Wi Gi = [[2, 1], [1, 1]]
        // W = [[2/3, 1/2], [1/3, 1/2]]
        const auto diagonal = regMeanSolve({w1, w2}, {g1, g2}, 0.0);
        const auto expectedDiagonal = matrix({{2.0 / 3, 0.5}, {1.0 / 3, 0.5}});
        QVERIFY2(test::describeMismatch(diagonal, expectedDiagonal, 1e-6, 1e-7).isEmpty(),
                 qPrintable(test::describeMismatch(diagonal, expectedDiagonal, 1e-6, 1e-7)));
    }

    void identicalGramsGiveTheSimpleAverage()
    {
        torch::manual_seed(3);
        const auto gram = randomGram(6, 40);
        std::vector<torch::Tensor> weights;
        for (int t = 0; t < 3; ++t)
            weights.push_back(torch::randn({4, 6}, torch::kFloat64));
        // Σ Wi G (Σ G)⁻¹ = (Σ Wi) G (3 G)⁻¹ = mean Wi, whatever α does to G.
        const auto merged = regMeanSolve(weights, {gram, gram, gram}, 0.95);
        const auto average = ((weights[0] + weights[1] + weights[2]) / 3.0).to(torch::kFloat32);
        QVERIFY2(test::describeMismatch(merged, average, 1e-5, 1e-6).isEmpty(),
                 qPrintable(test::describeMismatch(merged, average, 1e-5, 1e-6)));
    }

    void aTaskWithAZeroGramDoesNotCount()
    {
        torch::manual_seed(4);
        const auto w1 = torch::randn({3, 5}, torch::kFloat64);
        const auto w2 = torch::randn({3, 5}, torch::kFloat64);
        // W = (W1 · 0 + W2 G2)(0 + G2)⁻¹ = W2
        const auto merged = regMeanSolve({w1, w2}, {torch::zeros({5, 5}, torch::kFloat64), randomGram(5, 30)}, 0.95);
        QVERIFY2(test::describeMismatch(merged, w2, 1e-5, 1e-6).isEmpty(),
                 qPrintable(test::describeMismatch(merged, w2, 1e-5, 1e-6)));
    }

    void aSingularSumIsJitteredAndReported()
    {
        // Input 2 is zero in every example of both tasks: row and column 2 of
        // Σ Gi are zero. Inputs 0 and 1 share one Gram, so their columns are
        // the average; column 2 is 0 (Σ Wi Gi has a zero column there).
        const auto gram = matrix({{2, 1, 0}, {1, 2, 0}, {0, 0, 0}});
        const auto w1 = matrix({{1, 2, 3}, {4, 5, 6}});
        const auto w2 = matrix({{3, 0, -1}, {2, 1, 0}});
        double jitter = 0;
        const auto merged = regMeanSolve({w1, w2}, {gram, gram}, 0.95, &jitter);
        QVERIFY(torch::isfinite(merged).all().item<bool>());
        QVERIFY2(jitter >= 1e-8 && jitter <= 1.0, qPrintable(QString::number(jitter)));
        const auto expected = matrix({{2, 1, 0}, {3, 3, 0}});
        QVERIFY2(test::describeMismatch(merged, expected, 1e-5, 1e-6).isEmpty(),
                 qPrintable(test::describeMismatch(merged, expected, 1e-5, 1e-6)));
    }

    void badInputsAreRefused()
    {
        const auto w = matrix({{1, 0}, {0, 1}});
        const auto g = matrix({{1, 0}, {0, 1}});
        QVERIFY(test::errorOf([&] { regMeanSolve({w}, {g}, 1.5); }).contains(QStringLiteral("[0, 1]")));
        QVERIFY(!test::errorOf([&] { regMeanSolve({w, w}, {g}, 0.95); }).isEmpty());
        QVERIFY(!test::errorOf([&] { regMeanSolve({w}, {torch::eye(3, torch::kFloat64)}, 0.95); }).isEmpty());
        QVERIFY(test::errorOf([&] {
                    regMeanSolve({w}, {torch::zeros({2, 2}, torch::kFloat64)}, 0.95);
                }).contains(QStringLiteral("zero")));
    }

    void theLabelNamesTheVariantAlphaAndImages()
    {
        RegMeanOptions options;
        QCOMPARE(regMeanLabel(options, QStringLiteral("256 train images/task")),
                 QStringLiteral("regmean (α=0.95, 256 train images/task)"));
        options.plusPlus = true;
        options.nonDiagonalScale = 1.0;
        QCOMPARE(regMeanLabel(options, QStringLiteral("8 test images/task")),
                 QStringLiteral("regmean++ (α=1, 8 test images/task)"));
    }

    void theModelShowsEveryLinearInputWithoutChangingItsOutput()
    {
        const ClipVisionConfig config = tinyClipConfig();
        ClipVisionModel model(config, randomClipVisionWeights(config, 5), torch::kCPU);
        torch::manual_seed(5);
        const auto images = torch::randn({3, 3, config.imageSize, config.imageSize});
        const auto plain = model.encode(images);

        std::map<std::string, std::vector<int64_t>> seen;
        model.setLinearObserver(
            [&](const std::string &name, const torch::Tensor &input) { seen[name] = input.sizes().vec(); });
        QVERIFY(torch::equal(model.encode(images), plain));
        auto x = model.embed(images);
        for (int layer = 0; layer < config.numHiddenLayers; ++layer)
            x = model.runBlock(layer, x);
        QVERIFY(torch::equal(model.features(x), plain));

        const int64_t tokens = config.numPositions();
        QCOMPARE(int(seen.size()), 6 * config.numHiddenLayers + 1);
        QCOMPARE(seen.at(blockName(1, "self_attn.k_proj.weight")),
                 (std::vector<int64_t>{3, tokens, config.hiddenSize}));
        QCOMPARE(seen.at(blockName(1, "mlp.fc2.weight")), (std::vector<int64_t>{3, tokens, config.intermediateSize}));
        QCOMPARE(seen.at("visual_projection.weight"), (std::vector<int64_t>{3, config.hiddenSize}));
    }

    void regMeanMatchesARecomputation()
    {
        const LoadedPool pool = LoadedPool::load(m_pool);
        const CalibrationData data = CalibrationData::open(pool, m_calibration);
        RegMeanOptions options;
        qint64 lastDone = 0, lastTotal = -1;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            lastDone = done;
            lastTotal = total;
        };
        const RegMeanResult result = regMean(pool, data, options, context);
        QCOMPARE(lastDone, lastTotal);
        QVERIFY(result.jitteredTensors.isEmpty());

        // Gi = Xiᵀ Xi / rows from the float64 forward; W = (Σ Wi α(Gi))(Σ α(Gi))⁻¹.
        const auto &config = pool.pretrained.config;
        std::map<std::string, torch::Tensor> weighted, grams;
        for (int t = 0; t < pool.taskCount(); ++t) {
            const TensorMap &weights = pool.tasks[size_t(t)].vision;
            for (const auto &[name, x] : linearInputs(weights, config, allImages(data, t))) {
                auto gram = torch::matmul(x.t(), x) / double(x.size(0));
                const auto diagonal = gram.diagonal().clone();
                gram.mul_(options.nonDiagonalScale);
                gram.diagonal().copy_(diagonal);
                const auto product = torch::matmul(weights.at(name).to(torch::kFloat64), gram);
                weighted[name] = weighted.count(name) ? weighted[name] + product : product;
                grams[name] = grams.count(name) ? grams[name] + gram : gram;
            }
        }
        const int expectedLinears = 6 * config.numHiddenLayers + (config.projectionDim > 0 ? 1 : 0);
        QCOMPARE(int(grams.size()), expectedLinears);

        const TensorMap average = simpleAverageOf(pool);
        QCOMPARE(result.merged.size(), pool.pretrained.vision.size());
        for (const auto &[name, tensor] : pool.pretrained.vision) {
            QVERIFY2(result.merged.count(name), name.c_str());
            const auto &merged = result.merged.at(name);
            QCOMPARE(merged.scalar_type(), torch::kFloat32);
            QVERIFY(merged.sizes() == tensor.sizes());
            if (grams.count(name)) {
                QVERIFY(isLinearWeight(name));
                const auto expected = torch::matmul(weighted[name], torch::inverse(grams[name]));
                const QString mismatch = test::describeMismatch(merged, expected, 1e-3, 1e-4);
                QVERIFY2(mismatch.isEmpty(), qPrintable(QString::fromStdString(name) + ": " + mismatch));
                QVERIFY2(!torch::allclose(merged, average.at(name), 1e-3, 1e-4), name.c_str());
            } else {
                QVERIFY2(!isLinearWeight(name), name.c_str());
                QVERIFY2(torch::equal(merged, average.at(name)), name.c_str());
            }
        }
    }

    void oneTaskGivesBackItsOwnWeights()
    {
        LoadedPool pool = LoadedPool::load(m_pool);
        pool.tasks.erase(pool.tasks.begin() + 1, pool.tasks.end());
        pool.heads.erase(pool.heads.begin() + 1, pool.heads.end());
        pool.pool.tasks.erase(pool.pool.tasks.begin() + 1, pool.pool.tasks.end());
        const CalibrationData data = CalibrationData::open(pool, m_calibration);
        for (const bool plusPlus : {false, true}) {
            RegMeanOptions options;
            options.plusPlus = plusPlus;
            const RegMeanResult result = regMean(pool, data, options);
            for (const auto &[name, own] : pool.tasks[0].vision) {
                const auto &merged = result.merged.at(name);
                if (isLinearWeight(name)) {
                    const QString mismatch = test::describeMismatch(merged, own, 1e-4, 1e-5);
                    QVERIFY2(mismatch.isEmpty(), qPrintable(QString::fromStdString(name) + ": " + mismatch));
                } else {
                    QVERIFY2(torch::equal(merged, own.to(torch::kFloat32)), name.c_str());
                }
            }
        }
    }

    void plusPlusDiffersFromBlockOneOn()
    {
        // The tasks share θ0's embeddings, so block 0 sees the same tokens in
        // both variants; from block 1 on, RegMean++ feeds the merged block 0's
        // output where RegMean feeds each task's own.
        const LoadedPool pool = LoadedPool::load(m_mlpOnlyPool);
        const CalibrationData data = CalibrationData::open(pool, m_calibration);
        RegMeanOptions options;
        const RegMeanResult plain = regMean(pool, data, options);
        options.plusPlus = true;
        qint64 lastDone = 0, lastTotal = -1;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            lastDone = done;
            lastTotal = total;
        };
        const RegMeanResult plusPlus = regMean(pool, data, options, context);
        QCOMPARE(lastDone, lastTotal);

        QCOMPARE(plusPlus.merged.size(), plain.merged.size());
        for (const auto &[name, tensor] : plain.merged) {
            const auto &other = plusPlus.merged.at(name);
            if (name.rfind("encoder.layers.0.", 0) == 0 || !isLinearWeight(name)) {
                const QString mismatch = test::describeMismatch(other, tensor, 1e-6, 1e-7);
                QVERIFY2(mismatch.isEmpty(), qPrintable(QString::fromStdString(name) + ": " + mismatch));
            }
        }
        for (const char *mlp : {"mlp.fc1.weight", "mlp.fc2.weight"}) {
            const std::string name = blockName(1, mlp);
            const double difference = (plusPlus.merged.at(name) - plain.merged.at(name)).abs().max().item<double>();
            QVERIFY2(difference > 1e-5,
                     qPrintable(QStringLiteral("%1 differs by %2").arg(name.c_str()).arg(difference)));
        }
    }

    void aDimensionNoImageReachesIsJitteredAndReported()
    {
        // Block 1's second layer norm zeroes dimension 0 in every task, so
        // fc1 of block 1 never sees it: its Σ Gi is singular.
        LoadedPool pool = LoadedPool::load(m_pool);
        for (auto &task : pool.tasks) {
            for (const char *parameter : {"layer_norm2.weight", "layer_norm2.bias"}) {
                auto &tensor = task.vision.at(blockName(1, parameter));
                tensor = tensor.clone();
                tensor[0].fill_(0);
            }
        }
        const CalibrationData data = CalibrationData::open(pool, m_calibration);
        const std::string fc1 = blockName(1, "mlp.fc1.weight");
        for (const bool plusPlus : {false, true}) {
            RegMeanOptions options;
            options.plusPlus = plusPlus;
            QStringList warnings;
            JobContext context;
            context.onWarning = [&](const QString &warning) { warnings << warning; };
            const RegMeanResult result = regMean(pool, data, options, context);
            QCOMPARE(result.jitteredTensors, QStringList{QString::fromStdString(fc1)});
            QVERIFY(result.largestJitter >= 1e-8 && result.largestJitter <= 1.0);
            QCOMPARE(warnings.size(), 1);
            QVERIFY2(warnings[0].contains(QString::fromStdString(fc1)), qPrintable(warnings[0]));
            QVERIFY2(warnings[0].contains(QString::number(result.largestJitter, 'g', 3)), qPrintable(warnings[0]));
            for (const auto &[name, tensor] : result.merged)
                QVERIFY2(!tensor.is_floating_point() || torch::isfinite(tensor).all().item<bool>(), name.c_str());
        }
    }

    void aBadAlphaIsRefused()
    {
        const LoadedPool pool = LoadedPool::load(m_pool);
        const CalibrationData data = CalibrationData::open(pool, m_calibration);
        RegMeanOptions options;
        options.nonDiagonalScale = -0.1;
        QVERIFY(test::errorOf([&] { regMean(pool, data, options); }).contains(QStringLiteral("α")));
    }
};

QTEST_GUILESS_MAIN(TestRegMean)
#include "test_regmean.moc"
