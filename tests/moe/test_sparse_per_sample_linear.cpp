// E-WEMoE's pruned task vectors: magnitude pruning keeps exactly the top-k
// entries, the sparse storage holds exactly them, and the per-sample kernel
// on sparse τ matches the naive loop on the same pruned τ made dense, forward
// and backward, for both strategies and chunkings that cut blocks apart.

#include "moe/magnitude_pruning.h"
#include "moe/per_sample_linear.h"
#include "moe/sparse_task_weights.h"

#include "common/error.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace wemoe;
using wemoe::test::naivePerSampleLinear;
using wemoe::test::randomLayer;
using wemoe::test::scaledError;

namespace {

// The layer with each task's weight tensor pruned to `keep` and stored sparse
// in blocks of rowBlock rows, the biases pruned too.
TaskVectorLinear prunedLayer(const TaskVectorLinear &dense, double keep, int64_t rowBlock,
                             c10::ScalarType storage = torch::kFloat32)
{
    std::vector<torch::Tensor> masks, biases;
    for (int64_t t = 0; t < dense.experts(); ++t) {
        masks.push_back(magnitudeKeepMask(dense.taskWeights[t], keep));
        if (dense.bias.defined())
            biases.push_back(pruneByMagnitude(dense.taskBiases[t], keep));
    }
    TaskVectorLinear sparse;
    sparse.weight = dense.weight;
    sparse.bias = dense.bias;
    if (dense.bias.defined())
        sparse.taskBiases = torch::stack(biases);
    sparse.sparseTaskWeights = SparseTaskWeights::fromMask(dense.taskWeights, torch::stack(masks), storage, rowBlock);
    return sparse;
}

// The same pruned layer with τ dense again: what the naive loop runs on.
TaskVectorLinear densified(const TaskVectorLinear &sparse)
{
    TaskVectorLinear dense = sparse;
    dense.taskWeights = sparse.sparseTaskWeights.dense(sparse.weight.scalar_type());
    dense.sparseTaskWeights = SparseTaskWeights{};
    return dense;
}

struct Gradients
{
    torch::Tensor y, dx, dRouting;
};

template<typename Forward>
Gradients runWithGradients(const torch::Tensor &x0, const torch::Tensor &routing0, const torch::Tensor &upstream,
                           const Forward &forward)
{
    const auto x = x0.detach().clone().requires_grad_(true);
    const auto routing = routing0.detach().clone().requires_grad_(true);
    const auto y = forward(x, routing);
    (y * upstream).sum().backward();
    return {y.detach(), x.grad(), routing.grad()};
}

} // namespace

class TestSparsePerSampleLinear : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keptEntryCountRounds()
    {
        QCOMPARE(keptEntryCount(1000, 0.1), int64_t(100));
        QCOMPARE(keptEntryCount(768, 0.1), int64_t(77)); // 76.8: FusionBench's quantile keeps 77 too
        QCOMPARE(keptEntryCount(10, 1.0), int64_t(10));
        QCOMPARE(keptEntryCount(10, 0.0), int64_t(0));
        QVERIFY_THROWS_EXCEPTION(Error, keptEntryCount(10, 1.5));
    }

    void pruningKeepsExactlyTheLargestMagnitudes()
    {
        auto g = at::detail::createCPUGenerator(7);
        const auto tensor = at::normal(0.0, 1.0, {37, 23}, g);
        for (double keep : {0.01, 0.1, 0.5, 0.9, 1.0}) {
            const auto mask = magnitudeKeepMask(tensor, keep);
            const int64_t k = keptEntryCount(tensor.numel(), keep);
            QCOMPARE(mask.sum().item<int64_t>(), k);
            // Every kept magnitude is at least every pruned one (a sort agrees).
            const auto sorted = std::get<0>(tensor.abs().flatten().sort(0, /*descending=*/true));
            if (k > 0 && k < tensor.numel()) {
                const auto kept = tensor.abs().masked_select(mask);
                const auto pruned = tensor.abs().masked_select(mask.logical_not());
                QVERIFY(kept.min().item<float>() >= pruned.max().item<float>());
                QVERIFY(torch::equal(std::get<0>(kept.sort(0, /*descending=*/true)), sorted.narrow(0, 0, k)));
            }
            const auto pruned = pruneByMagnitude(tensor, keep);
            QVERIFY(torch::equal(pruned, tensor * mask.to(torch::kFloat32)));
        }
    }

    void tiesAtTheThresholdKeepTheLowestIndices()
    {
        // Magnitudes 5, 3 and four entries tied at 2: keeping 4 keeps both
        // large ones and the two lowest-index ties, whatever their signs.
        const auto tensor = torch::tensor({2.0f, -5.0f, -2.0f, 1.0f, 2.0f, 3.0f, -2.0f, 0.5f});
        const auto mask = magnitudeKeepMask(tensor, 0.5);
        const auto expected = torch::tensor({true, true, true, false, false, true, false, false});
        QVERIFY(torch::equal(mask, expected));
        // All equal: the first k.
        const auto flat = torch::ones({10});
        QVERIFY(
            torch::equal(magnitudeKeepMask(flat, 0.3).nonzero().squeeze(1), torch::tensor({0, 1, 2}, torch::kLong)));
        QVERIFY_THROWS_EXCEPTION(Error, magnitudeKeepMask(torch::tensor({1.0f, NAN}), 0.5));
    }

    void sparseStorageHoldsExactlyTheKeptEntries()
    {
        const auto layer = randomLayer(3, 11, 13, 5);
        for (int64_t rowBlock : {1, 4, 13, 64}) {
            const auto sparse = prunedLayer(layer, 0.2, rowBlock);
            const auto &tau = sparse.sparseTaskWeights;
            QCOMPARE(tau.blocks(), (int64_t(13) + rowBlock - 1) / rowBlock);
            QCOMPARE(tau.keptEntries(), 3 * keptEntryCount(13 * 11, 0.2));
            QCOMPARE(tau.indices.scalar_type(), torch::kInt32);
            std::vector<torch::Tensor> expected;
            for (int64_t t = 0; t < 3; ++t)
                expected.push_back(pruneByMagnitude(layer.taskWeights[t], 0.2));
            QVERIFY(torch::equal(tau.dense(torch::kFloat32), torch::stack(expected)));
            // Read back from storage: the same blocks.
            const auto reread = SparseTaskWeights::fromStorage(tau.values, tau.indices, tau.blockStarts, 3, 13, 11,
                                                               rowBlock, torch::kCPU);
            QVERIFY(torch::equal(reread.dense(torch::kFloat32), tau.dense(torch::kFloat32)));
            // From strided views, as a reader may hand them over: the same.
            const auto strided = [](const torch::Tensor &v) { return torch::stack({v, v}, 1).select(1, 0); };
            const auto fromViews = SparseTaskWeights::fromStorage(strided(tau.values), strided(tau.indices),
                                                                  tau.blockStarts, 3, 13, 11, rowBlock, torch::kCPU);
            QVERIFY(torch::equal(fromViews.dense(torch::kFloat32), tau.dense(torch::kFloat32)));
        }
    }

    void damagedStorageIsRefused()
    {
        const auto tau = prunedLayer(randomLayer(2, 5, 6, 1), 0.5, 4).sparseTaskWeights;
        const auto load = [&](const torch::Tensor &values, const torch::Tensor &indices, const torch::Tensor &starts) {
            SparseTaskWeights::fromStorage(values, indices, starts, 2, 6, 5, 4, torch::kCPU);
        };
        auto descending = tau.indices.clone();
        descending.narrow(0, 0, 2).copy_(torch::tensor({3, 1}, torch::kInt32));
        QVERIFY_THROWS_EXCEPTION(Error, load(tau.values, descending, tau.blockStarts));
        auto outside = tau.indices.clone();
        outside[0] = 1000;
        QVERIFY_THROWS_EXCEPTION(Error, load(tau.values, outside, tau.blockStarts));
        QVERIFY_THROWS_EXCEPTION(Error, load(tau.values, tau.indices.to(torch::kInt64), tau.blockStarts));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 load(tau.values.narrow(0, 1, tau.values.numel() - 1), tau.indices, tau.blockStarts));
        auto starts = tau.blockStarts.clone();
        starts[1] = starts[2] + 1;
        QVERIFY_THROWS_EXCEPTION(Error, load(tau.values, tau.indices, starts));
    }

    void kernelMatchesTheNaiveLoopOnPrunedVectors_data()
    {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<int>("rowBlock");
        QTest::addColumn<int>("chunkRows");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<double>("keep");
        const auto merge = int(PerSampleStrategy::MergeRowChunks), expand = int(PerSampleStrategy::Expand);
        QTest::newRow("merge, one block") << merge << 64 << 0 << true << 0.1;
        QTest::newRow("merge, blocks of 3, chunks of 1 block") << merge << 3 << 1 << true << 0.1;
        QTest::newRow("merge, blocks of 4, chunks of 2 blocks") << merge << 4 << 7 << false << 0.3;
        QTest::newRow("merge, keep all") << merge << 5 << 5 << true << 1.0;
        QTest::newRow("merge, keep almost nothing") << merge << 2 << 3 << true << 0.01;
        QTest::newRow("expand, one block") << expand << 64 << 0 << true << 0.1;
        QTest::newRow("expand, blocks of 3, chunks of 1 block") << expand << 3 << 2 << true << 0.2;
        QTest::newRow("expand, blocks of 2, no bias") << expand << 2 << 4 << false << 0.5;
    }

    void kernelMatchesTheNaiveLoopOnPrunedVectors()
    {
        QFETCH(int, strategy);
        QFETCH(int, rowBlock);
        QFETCH(int, chunkRows);
        QFETCH(bool, bias);
        QFETCH(double, keep);
        // float64 to 1e-12, float32 to 1e-6, relative to the result's scale.
        // With 24 inputs (a multiple of 8), float32 takes our fused matmuls on
        // CPUs with AVX2 and FMA (per_sample_gemm.h); 19 takes the library's.
        for (const auto type : {torch::kFloat64, torch::kFloat32})
            for (const int64_t in : {19, 24}) {
                const double tolerance = type == torch::kFloat64 ? 1e-12 : 1e-6;
                const auto dense = wemoe::test::layerAs(randomLayer(4, in, 23, 11, torch::kFloat64, bias), type);
                const auto sparse = prunedLayer(dense, keep, rowBlock, type);
                const auto reference = densified(sparse);
                auto g = at::detail::createCPUGenerator(3);
                const auto o = torch::TensorOptions().dtype(type);
                const auto x = at::normal(0.0, 1.0, {5, 7, in}, g, o);
                const auto routing = at::normal(0.3, 0.2, {5, 4}, g, o);
                const auto upstream = at::normal(0.0, 1.0, {5, 7, 23}, g, o);

                PerSampleLinearOptions options;
                options.strategy = static_cast<PerSampleStrategy>(strategy);
                options.chunkRows = chunkRows;
                const auto ours = runWithGradients(x, routing, upstream, [&](const auto &xv, const auto &rv) {
                    return perSampleLinear(xv, rv, sparse, options);
                });
                const auto naive = runWithGradients(x, routing, upstream, [&](const auto &xv, const auto &rv) {
                    return naivePerSampleLinear(xv, rv, reference);
                });
                const QString what = QStringLiteral("%1, %2 inputs: ").arg(QLatin1String(c10::toString(type))).arg(in);
                QVERIFY2(scaledError(ours.y, naive.y) < tolerance, qPrintable(what + QStringLiteral("forward")));
                QVERIFY2(scaledError(ours.dx, naive.dx) < tolerance, qPrintable(what + QStringLiteral("dx")));
                QVERIFY2(scaledError(ours.dRouting, naive.dRouting) < tolerance,
                         qPrintable(what + QStringLiteral("d routing")));
            }
    }

    void bfloat16ValuesAreWidenedInTheKernel()
    {
        const auto dense = randomLayer(3, 16, 10, 4);
        const auto sparse = prunedLayer(dense, 0.25, 4, torch::kBFloat16);
        QCOMPARE(sparse.sparseTaskWeights.values.scalar_type(), torch::kBFloat16);
        const auto reference = densified(sparse); // the bfloat16 values, widened
        auto g = at::detail::createCPUGenerator(8);
        const auto x = at::normal(0.0, 1.0, {3, 5, 16}, g);
        const auto routing = at::normal(0.3, 0.2, {3, 3}, g);
        torch::NoGradGuard noGrad;
        QVERIFY(scaledError(perSampleLinear(x, routing, sparse), naivePerSampleLinear(x, routing, reference)) < 1e-6);
    }

    void sparseStorageIsSmall()
    {
        // ViT-B/32's fc1 at keep 10 %: values and int32 indices are 0.2 of dense τ.
        const auto dense = randomLayer(2, 768, 3072, 9, torch::kFloat32, false);
        const auto sparse = prunedLayer(dense, 0.1, SparseTaskWeights::kDefaultRowBlock);
        const double ratio = double(sparse.sparseTaskWeights.bytes()) / double(dense.taskWeights.nbytes());
        QVERIFY2(ratio < 0.201, qPrintable(QString::number(ratio)));
    }
};

QTEST_APPLESS_MAIN(TestSparsePerSampleLinear)
#include "test_sparse_per_sample_linear.moc"
