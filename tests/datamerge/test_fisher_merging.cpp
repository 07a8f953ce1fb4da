// Fisher merging: the weighted average against sums worked out by hand, the
// Fisher estimate of a tiny CLIP model against a naive re-computation (one
// gradient per image and class), and the whole method on a generated pool
// (shape of the result, progress, cancel).

#include "common/error.h"
#include "datamerge/calibration_data.h"
#include "datamerge/fisher_merging.h"
#include "demo/synthetic_pool.h"
#include "eval/evaluator.h"
#include "merge/merge_methods.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"
#include "pool/loaded_pool.h"
#include "test_support.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>

using namespace wemoe;
using wemoe::test::describeMismatch;

namespace {

torch::Tensor floats(std::initializer_list<float> values)
{
    return torch::tensor(std::vector<float>(values), torch::kFloat32);
}

FisherMergingOptions unnormalized(double minimalWeight = 1e-6)
{
    FisherMergingOptions options;
    options.normalize = false;
    options.minimalWeight = minimalWeight;
    return options;
}

// The diagonal Fisher as the estimator defines it, written the slow way:
// per batch, g = Σₙ Σ_c √p_nc ∇ log p_nc with one autograd call per image and
// class, then F = Σ_batches g² / N.
TensorMap naiveFisher(const ClipVisionConfig &config, const TensorMap &weights, const ClassificationHead &head,
                      const std::vector<torch::Tensor> &batches)
{
    TensorMap leaves;
    std::vector<std::string> names;
    std::vector<torch::Tensor> parameters;
    for (const auto &[name, tensor] : weights) {
        auto leaf = tensor.clone().requires_grad_(true);
        leaves.emplace(name, leaf);
        names.push_back(name);
        parameters.push_back(leaf);
    }
    const ClipVisionModel model(config, leaves, torch::kCPU);
    std::vector<torch::Tensor> fisher;
    for (const auto &parameter : parameters)
        fisher.push_back(torch::zeros(parameter.sizes()));
    int64_t images = 0;
    for (const auto &batch : batches) {
        const torch::Tensor logits = head.logits(model.encode(batch));
        const torch::Tensor logProbabilities = torch::log_softmax(logits, -1);
        const torch::Tensor probabilities = torch::softmax(logits, -1).detach();
        std::vector<torch::Tensor> g;
        for (const auto &parameter : parameters)
            g.push_back(torch::zeros(parameter.sizes()));
        for (int64_t n = 0; n < batch.size(0); ++n) {
            for (int64_t c = 0; c < logits.size(1); ++c) {
                const auto grads = torch::autograd::grad({logProbabilities[n][c]}, parameters, {}, true, false, true);
                const double weight = std::sqrt(probabilities[n][c].item<double>());
                for (size_t i = 0; i < grads.size(); ++i) {
                    if (grads[i].defined())
                        g[i] += weight * grads[i];
                }
            }
        }
        for (size_t i = 0; i < g.size(); ++i)
            fisher[i] += g[i] * g[i];
        images += batch.size(0);
    }
    TensorMap result;
    for (size_t i = 0; i < names.size(); ++i)
        result.emplace(names[i], fisher[i] / double(images));
    return result;
}

} // namespace

class TestFisherMerging : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<LoadedPool> m_pool;

    CalibrationData calibration() const
    {
        CalibrationOptions options;
        options.images = CalibrationImages::Test; // the generated tasks have test images only
        options.examplesPerTask = 6;
        options.batchSize = 4; // 4 + 2: a short last batch
        return CalibrationData::open(*m_pool, options);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 3;
        options.imagesPerClass = 4;
        m_pool = std::make_unique<LoadedPool>(
            LoadedPool::load(writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options)));
    }

    void equalFishersGiveTheSimpleAverage()
    {
        // Exactly: values on a grid of quarters and a Fisher of 1024 everywhere, so that
        // 1024 + ε rounds to 1024 in float32 and every product and sum is exact.
        auto generator = at::detail::createCPUGenerator(5);
        const auto grid = [&](at::IntArrayRef shape) {
            return torch::randint(-8, 9, shape, generator, torch::kFloat32).div_(4);
        };
        const TensorMap pretrained{{"a", grid({3, 4})}, {"b", grid({5})}, {"position_ids", torch::arange(4)}};
        std::vector<TensorMap> models(3);
        for (auto &model : models)
            model = TensorMap{{"a", grid({3, 4})}, {"b", grid({5})}};
        const std::vector<const TensorMap *> pointers{&models[0], &models[1], &models[2]};
        const auto simpleAverageOf = [&](const std::string &name) {
            return (models[0].at(name) + models[1].at(name) + models[2].at(name)) / 3;
        };
        const TensorMap uniform{{"a", torch::full({3, 4}, 1024.0)}, {"b", torch::full({5}, 1024.0)}};
        TensorMap merged = fisherWeightedAverage(pretrained, pointers, std::vector<TensorMap>(3, uniform),
                                                 unnormalized());
        QCOMPARE(merged.size(), pretrained.size());
        for (const std::string name : {"a", "b"}) {
            QVERIFY(merged.at(name).scalar_type() == torch::kFloat32);
            QVERIFY2(torch::equal(merged.at(name), simpleAverageOf(name)),
                     qPrintable(describeMismatch(merged.at(name), simpleAverageOf(name), 0, 0)));
        }
        QVERIFY(torch::equal(merged.at("position_ids"), pretrained.at("position_ids")));

        // Any equal Fishers, normalised: the same up to float32 rounding (entries are at most 2).
        const TensorMap random{{"a", 0.1 + torch::rand({3, 4}, generator)}, {"b", 0.1 + torch::rand({5}, generator)}};
        merged = fisherWeightedAverage(pretrained, pointers, std::vector<TensorMap>(3, random), FisherMergingOptions{});
        for (const std::string name : {"a", "b"})
            QVERIFY2(describeMismatch(merged.at(name), simpleAverageOf(name), 0, 5e-7).isEmpty(),
                     qPrintable(describeMismatch(merged.at(name), simpleAverageOf(name), 0, 5e-7)));
    }

    void twoModelsByHand()
    {
        // θ1 = 0, θ2 = 3 in two one-entry tensors; F1 = {3, 4} (‖F1‖ = 5), F2 = {8, 6} (‖F2‖ = 10).
        const TensorMap pretrained{{"a", floats({0})}, {"b", floats({0})}, {"position_ids", torch::arange(7)}};
        const TensorMap first{{"a", floats({0})}, {"b", floats({0})}};
        const TensorMap second{{"a", floats({3})}, {"b", floats({3})}};
        const std::vector<TensorMap> fishers{TensorMap{{"a", floats({3})}, {"b", floats({4})}},
                                             TensorMap{{"a", floats({8})}, {"b", floats({6})}}};
        const double epsilon = 1e-9; // small enough to leave the hand sums as they are

        // Unnormalised: a = 8·3 / (3 + 8), b = 6·3 / (4 + 6).
        TensorMap merged = fisherWeightedAverage(pretrained, {&first, &second}, fishers, unnormalized(epsilon));
        QVERIFY(std::abs(merged.at("a").item<double>() - 24.0 / 11.0) < 1e-6);
        QVERIFY(std::abs(merged.at("b").item<double>() - 1.8) < 1e-6);

        // Normalised by each model's whole-Fisher norm: w1 = {0.6, 0.8}, w2 = {0.8, 0.6},
        // a = 0.8·3 / 1.4, b = 0.6·3 / 1.4. (A norm per tensor would give 1.5 for both.)
        FisherMergingOptions normalized;
        normalized.minimalWeight = epsilon;
        merged = fisherWeightedAverage(pretrained, {&first, &second}, fishers, normalized);
        QVERIFY2(std::abs(merged.at("a").item<double>() - 12.0 / 7.0) < 1e-6,
                 qPrintable(QString::number(merged.at("a").item<double>())));
        QVERIFY2(std::abs(merged.at("b").item<double>() - 9.0 / 7.0) < 1e-6,
                 qPrintable(QString::number(merged.at("b").item<double>())));
        QVERIFY(torch::equal(merged.at("position_ids"), pretrained.at("position_ids")));
    }

    void aZeroFisherLeavesTheOtherModel()
    {
        auto generator = at::detail::createCPUGenerator(9);
        const TensorMap pretrained{{"w", torch::zeros({4, 6})}};
        const TensorMap first{{"w", torch::randn({4, 6}, generator)}};
        const TensorMap second{{"w", torch::randn({4, 6}, generator)}};
        const torch::Tensor secondFisher = 0.5 + torch::rand({4, 6}, generator);
        const std::vector<TensorMap> fishers{TensorMap{{"w", torch::zeros({4, 6})}}, TensorMap{{"w", secondFisher}}};

        // Without normalisation only ε = 1e-6 is left of model 1's weight: θ moves
        // from θ2 by ε (θ1 − θ2) / F2, under 1e-6 · 8 / 0.5 here.
        const TensorMap merged = fisherWeightedAverage(pretrained, {&first, &second}, fishers, unnormalized());
        QVERIFY2(describeMismatch(merged.at("w"), second.at("w"), 0, 2e-5).isEmpty(),
                 qPrintable(describeMismatch(merged.at("w"), second.at("w"), 0, 2e-5)));

        // FusionBench's normalisation divides by ‖F‖ + ε: the zero Fisher becomes
        // ε / ε = 1 everywhere, model 2's weight (F2 + ε) / (‖F2‖ + ε).
        const double epsilon = 1e-6;
        const torch::Tensor w2 = (secondFisher.to(torch::kDouble) + epsilon)
                                 / (secondFisher.to(torch::kDouble).norm().item<double>() + epsilon);
        const torch::Tensor expected = (first.at("w").to(torch::kDouble) + w2 * second.at("w").to(torch::kDouble))
                                       / (1.0 + w2);
        const TensorMap normalized = fisherWeightedAverage(pretrained, {&first, &second}, fishers, {});
        QVERIFY2(describeMismatch(normalized.at("w").to(torch::kDouble), expected, 1e-5, 1e-6).isEmpty(),
                 qPrintable(describeMismatch(normalized.at("w").to(torch::kDouble), expected, 1e-5, 1e-6)));
    }

    void badInputsAreNamed()
    {
        const TensorMap pretrained{{"w", floats({0, 0})}};
        const TensorMap model{{"w", floats({1, 2})}};
        const std::vector<TensorMap> fishers{TensorMap{{"w", floats({1, 1})}}};
        QString message = test::errorOf([&] { fisherWeightedAverage(pretrained, {&model}, fishers, unnormalized(0)); });
        QVERIFY2(message.contains(QStringLiteral("minimal Fisher weight")), qPrintable(message));
        message = test::errorOf([&] {
            fisherWeightedAverage(pretrained, {&model}, {TensorMap{{"v", floats({1, 1})}}}, {});
        });
        QVERIFY2(message.contains(QStringLiteral("Fisher of model 0")) && message.contains(QStringLiteral("'w'")),
                 qPrintable(message));
        message = test::errorOf([&] {
            fisherWeightedAverage(pretrained, {&model}, {TensorMap{{"w", floats({NAN, 1})}}}, {});
        });
        QVERIFY2(message.contains(QStringLiteral("not finite")), qPrintable(message));
    }

    void fisherOfATinyModelMatchesANaiveRecomputation()
    {
        const ClipVisionConfig config = tinyClipConfig();
        const TensorMap weights = randomClipVisionWeights(config, 21, 0.1);
        auto generator = at::detail::createCPUGenerator(22);
        ClassificationHead head;
        head.weight = torch::randn({4, config.projectionDim}, generator);
        head.weight /= head.weight.norm(2, {1}, true);
        head.classNames = QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                      QStringLiteral("d")};
        head.logitScale = 20.0;
        const std::vector<torch::Tensor> batches{torch::randn({3, 3, config.imageSize, config.imageSize}, generator),
                                                 torch::randn({3, 3, config.imageSize, config.imageSize}, generator),
                                                 torch::randn({2, 3, config.imageSize, config.imageSize}, generator)};
        FisherBatches source;
        source.count = 3;
        source.images = 8;
        source.batch = [&batches](int index) { return batches.at(size_t(index)); };

        const TensorMap fisher = diagonalFisher(config, weights, head, source, torch::kCPU);
        const TensorMap expected = naiveFisher(config, weights, head, batches);
        QCOMPARE(fisher.size(), weights.size());
        // One absolute floor for all tensors: some are reached by rounding noise only
        // (a key bias shifts every attention logit of a query alike, so softmax ignores it).
        double largest = 0;
        for (const auto &[name, reference] : expected)
            largest = std::max(largest, reference.abs().max().item<double>());
        QVERIFY(largest > 0);
        for (const auto &[name, reference] : expected) {
            const torch::Tensor &actual = fisher.at(name);
            QVERIFY(actual.sizes() == reference.sizes());
            QVERIFY2(describeMismatch(actual, reference, 1e-3, 1e-6 * largest).isEmpty(),
                     qPrintable(QString::fromStdString(name) + QStringLiteral(": ")
                                + describeMismatch(actual, reference, 1e-3, 1e-6 * largest)));
        }
    }

    void theWholeMethodOnAGeneratedPool()
    {
        const CalibrationData data = calibration();
        QVector<qint64> done;
        JobContext context;
        context.onProgress = [&](qint64 d, qint64 total, const QString &) {
            QCOMPARE(total, data.totalImages());
            done << d;
        };
        const FisherMergingResult result = fisherMerging(*m_pool, data, FisherMergingOptions{}, context);

        const TensorMap average = simpleAverage(MergeInputs{&m_pool->pretrained.vision, m_pool->taskWeights()},
                                                JobContext{});
        QCOMPARE(result.merged.size(), average.size());
        bool differs = false;
        for (const auto &[name, tensor] : average) {
            const auto found = result.merged.find(name);
            QVERIFY2(found != result.merged.end(), name.c_str());
            QVERIFY(found->second.sizes() == tensor.sizes());
            QVERIFY(found->second.scalar_type() == tensor.scalar_type());
            if (torch::isFloatingType(tensor.scalar_type())) {
                QVERIFY2(torch::isfinite(found->second).all().item<bool>(), name.c_str());
                differs = differs || !torch::allclose(found->second, tensor, 0, 1e-7);
            } else {
                QVERIFY(torch::equal(found->second, tensor));
            }
        }
        QVERIFY(differs);
        QCOMPARE(result.fisherNorm.size(), 3);
        for (double norm : result.fisherNorm)
            QVERIFY(std::isfinite(norm) && norm > 0);
        QCOMPARE(done.size(), 3 * 2); // two batches per task
        QCOMPARE(done.last(), data.totalImages());
        for (int i = 1; i < done.size(); ++i)
            QVERIFY(done[i] > done[i - 1]);

        // The streamed sums equal the average of the three Fishers computed apart.
        std::vector<TensorMap> fishers;
        for (int t = 0; t < m_pool->taskCount(); ++t)
            fishers.push_back(diagonalFisher(m_pool->pretrained.config, m_pool->tasks[size_t(t)].vision,
                                             m_pool->heads[size_t(t)], calibrationBatches(data, t), torch::kCPU));
        const TensorMap apart = fisherWeightedAverage(m_pool->pretrained.vision, m_pool->taskWeights(), fishers,
                                                      FisherMergingOptions{});
        for (const auto &[name, tensor] : apart)
            QVERIFY2(describeMismatch(result.merged.at(name), tensor, 1e-6, 1e-7).isEmpty(), name.c_str());

        // Evaluable like any merge.
        const PoolEvaluator evaluator(*m_pool, EvalOptions{});
        const QVector<double> accuracy = evaluator.evaluateModel(result.merged);
        QCOMPARE(accuracy.size(), 3);
        for (double a : accuracy)
            QVERIFY(a >= 0 && a <= 1);
    }

    void cancelStopsBetweenBatches()
    {
        const CalibrationData data = calibration();
        std::atomic<bool> cancel{false};
        int reports = 0;
        JobContext context;
        context.cancelFlag = &cancel;
        context.onProgress = [&](qint64, qint64, const QString &) {
            ++reports;
            if (reports == 3) // the second task's first batch is done
                cancel = true;
        };
        try {
            fisherMerging(*m_pool, data, FisherMergingOptions{}, context);
            QFAIL("cancel was ignored");
        } catch (const Cancelled &) {
        }
        QCOMPARE(reports, 3);
    }

    void labelNamesTheImagesAndWhatDiffersFromTheReference()
    {
        QCOMPARE(fisherMergingLabel(FisherMergingOptions{}, QStringLiteral("256 train images/task")),
                 QStringLiteral("fisher (256 train images/task)"));
        QCOMPARE(fisherMergingLabel(unnormalized(1e-8), QStringLiteral("8 test images/task")),
                 QStringLiteral("fisher (8 test images/task, unnormalized, min weight 1e-08)"));
    }
};

QTEST_GUILESS_MAIN(TestFisherMerging)
#include "test_fisher_merging.moc"
