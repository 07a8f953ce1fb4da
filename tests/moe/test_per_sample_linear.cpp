#include "moe/per_sample_linear.h"

#include "common/error.h"
#include "test_support.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::naivePerSampleLinear;
using wemoe::test::randomLayer;
using wemoe::test::scaledError;

Q_DECLARE_METATYPE(wemoe::PerSampleStrategy)

namespace {

constexpr int64_t kIn = 6;
constexpr int64_t kOut = 10;

struct Case
{
    int64_t batch, tokens, experts;
};

// B = 1, T = 1, one token, more experts than tokens, more tokens than experts.
const Case kCases[] = {{1, 1, 1}, {1, 5, 3}, {4, 7, 1}, {3, 2, 5}, {5, 1, 4}, {2, 9, 2}};

torch::Tensor randomInput(const Case &c, uint64_t seed, torch::Dtype dtype = torch::kFloat32)
{
    auto g = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {c.batch, c.tokens, kIn}, g, torch::TensorOptions().dtype(dtype));
}

torch::Tensor randomRouting(const Case &c, uint64_t seed, torch::Dtype dtype = torch::kFloat32)
{
    // Around the task-arithmetic 0.3, with negative entries too (no softmax).
    auto g = at::detail::createCPUGenerator(seed);
    return at::normal(0.3, 0.5, {c.batch, c.experts}, g, torch::TensorOptions().dtype(dtype));
}

QString caseName(const Case &c, PerSampleStrategy s, int64_t rows)
{
    return QStringLiteral("%1 B%2 N%3 T%4 rows%5")
        .arg(perSampleStrategyName(s))
        .arg(c.batch)
        .arg(c.tokens)
        .arg(c.experts)
        .arg(rows);
}

// Scalar loss with a non-uniform upstream gradient.
torch::Tensor weightedSum(const torch::Tensor &y, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    const auto weights = at::normal(0.0, 1.0, y.sizes(), g, torch::TensorOptions().dtype(y.scalar_type()));
    return (y * weights).sum();
}

template<typename F>
bool throwsError(F &&f)
{
    try {
        f();
    } catch (const Error &) {
        return true;
    }
    return false;
}

} // namespace

class TestPerSampleLinear : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forwardMatchesNaiveLoop_data();
    void forwardMatchesNaiveLoop();
    void gradientsMatchNaiveLoop_data();
    void gradientsMatchNaiveLoop();
    void finiteDifferences_data();
    void finiteDifferences();
    void noBias();
    void equalRoutingIsTaskArithmetic();
    void bf16TaskVectors();
    void gradientOnlyForRequestedInputs();
    void costModelChoices();
    void defaultChunksCoverTheRows();
    void badInputsThrow();
};

void TestPerSampleLinear::forwardMatchesNaiveLoop_data()
{
    QTest::addColumn<int>("caseIndex");
    QTest::addColumn<PerSampleStrategy>("strategy");
    QTest::addColumn<qint64>("chunkRows");
    for (int i = 0; i < int(std::size(kCases)); ++i)
        for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand, PerSampleStrategy::Auto})
            for (qint64 rows : {qint64(0), qint64(3), qint64(kOut)})
                QTest::newRow(qPrintable(caseName(kCases[i], s, rows))) << i << s << rows;
}

void TestPerSampleLinear::forwardMatchesNaiveLoop()
{
    QFETCH(int, caseIndex);
    QFETCH(PerSampleStrategy, strategy);
    QFETCH(qint64, chunkRows);
    const auto &c = kCases[caseIndex];
    const auto layer = randomLayer(c.experts, kIn, kOut, 11 + caseIndex);
    const auto x = randomInput(c, 21 + caseIndex);
    const auto w = randomRouting(c, 31 + caseIndex);

    const auto y = perSampleLinear(x, w, layer, {strategy, chunkRows});
    // The reference runs in double so only the kernel's rounding is measured.
    const auto expected = naivePerSampleLinear(x.to(torch::kFloat64), w.to(torch::kFloat64),
                                               wemoe::test::layerAs(layer, torch::kFloat64));
    QCOMPARE(y.sizes(), expected.sizes());
    QVERIFY2(scaledError(y, expected) < 1e-5, qPrintable(QString::number(scaledError(y, expected))));
    // Sanity of the test itself: routing really changes the result.
    if (c.batch > 1) {
        const auto merged = naivePerSampleLinear(x.to(torch::kFloat64),
                                                 w.mean(0, true).expand_as(w).to(torch::kFloat64),
                                                 wemoe::test::layerAs(layer, torch::kFloat64));
        QVERIFY(scaledError(y, merged) > 1e-3);
    }
}

void TestPerSampleLinear::gradientsMatchNaiveLoop_data()
{
    forwardMatchesNaiveLoop_data();
}

void TestPerSampleLinear::gradientsMatchNaiveLoop()
{
    QFETCH(int, caseIndex);
    QFETCH(PerSampleStrategy, strategy);
    QFETCH(qint64, chunkRows);
    const auto &c = kCases[caseIndex];
    const auto layer = randomLayer(c.experts, kIn, kOut, 41 + caseIndex);
    const auto x = randomInput(c, 51 + caseIndex).requires_grad_(true);
    const auto w = randomRouting(c, 61 + caseIndex).requires_grad_(true);
    weightedSum(perSampleLinear(x, w, layer, {strategy, chunkRows}), 71).backward();

    const auto layer64 = wemoe::test::layerAs(layer, torch::kFloat64);
    const auto x64 = x.detach().to(torch::kFloat64).requires_grad_(true);
    const auto w64 = w.detach().to(torch::kFloat64).requires_grad_(true);
    weightedSum(naivePerSampleLinear(x64, w64, layer64).to(torch::kFloat32), 71).backward();

    QVERIFY(x.grad().defined() && w.grad().defined());
    QVERIFY2(scaledError(x.grad(), x64.grad()) < 1e-5, qPrintable(QString::number(scaledError(x.grad(), x64.grad()))));
    QVERIFY2(scaledError(w.grad(), w64.grad()) < 1e-5, qPrintable(QString::number(scaledError(w.grad(), w64.grad()))));
}

void TestPerSampleLinear::finiteDifferences_data()
{
    QTest::addColumn<PerSampleStrategy>("strategy");
    QTest::newRow("merge-row-chunks") << PerSampleStrategy::MergeRowChunks;
    QTest::newRow("expand") << PerSampleStrategy::Expand;
}

// gradcheck by hand: central differences in double against the custom backward.
void TestPerSampleLinear::finiteDifferences()
{
    QFETCH(PerSampleStrategy, strategy);
    const Case c{2, 3, 2};
    const auto layer = randomLayer(c.experts, kIn, kOut, 81, torch::kFloat64);
    const PerSampleLinearOptions options{strategy, 4};
    const auto x = randomInput(c, 82, torch::kFloat64).requires_grad_(true);
    const auto w = randomRouting(c, 83, torch::kFloat64).requires_grad_(true);
    const auto loss = [&](const torch::Tensor &xi, const torch::Tensor &wi) {
        return weightedSum(perSampleLinear(xi, wi, layer, options), 84);
    };
    loss(x, w).backward();

    const double eps = 1e-6;
    torch::NoGradGuard noGrad;
    for (auto *input : {&x, &w}) {
        const auto analytic = input->grad().flatten();
        const auto base = input->detach().clone();
        for (int64_t i = 0; i < base.numel(); ++i) {
            auto plus = base.clone();
            auto minus = base.clone();
            plus.view(-1)[i] += eps;
            minus.view(-1)[i] -= eps;
            const bool isX = input == &x;
            const double numeric = ((isX ? loss(plus, w.detach()) : loss(x.detach(), plus))
                                    - (isX ? loss(minus, w.detach()) : loss(x.detach(), minus)))
                                       .item<double>()
                                   / (2 * eps);
            const double a = analytic[i].item<double>();
            QVERIFY2(
                std::abs(a - numeric) <= 1e-6 + 1e-5 * std::abs(numeric),
                qPrintable(
                    QStringLiteral("%1[%2]: analytic %3, numeric %4").arg(isX ? "x" : "w").arg(i).arg(a).arg(numeric)));
        }
    }
}

void TestPerSampleLinear::noBias()
{
    const Case c{3, 4, 2};
    const auto layer = randomLayer(c.experts, kIn, kOut, 91, torch::kFloat32, /*withBias=*/false);
    const auto x = randomInput(c, 92);
    const auto w = randomRouting(c, 93);
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        const auto y = perSampleLinear(x, w, layer, {s, 4});
        QVERIFY(scaledError(y, naivePerSampleLinear(x.to(torch::kFloat64), w.to(torch::kFloat64),
                                                    wemoe::test::layerAs(layer, torch::kFloat64)))
                < 1e-5);
    }
}

// w ≡ λ for every sample is task arithmetic: W0 + λ Σt τt, by hand.
void TestPerSampleLinear::equalRoutingIsTaskArithmetic()
{
    const Case c{3, 4, 3};
    const double lambda = 0.3;
    const auto layer = randomLayer(c.experts, kIn, kOut, 101);
    const auto x = randomInput(c, 102);
    const auto w = torch::full({c.batch, c.experts}, lambda);
    const auto weight = layer.weight + lambda * layer.taskWeights.sum(0);
    const auto bias = layer.bias + lambda * layer.taskBiases.sum(0);
    const auto expected = torch::nn::functional::linear(x, weight, bias);
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand})
        QVERIFY(scaledError(perSampleLinear(x, w, layer, {s, 3}), expected) < 1e-5);
}

void TestPerSampleLinear::bf16TaskVectors()
{
    const Case c{3, 5, 4};
    auto layer = randomLayer(c.experts, kIn, kOut, 111);
    auto narrow = layer;
    narrow.taskWeights = layer.taskWeights.to(torch::kBFloat16);
    narrow.taskBiases = layer.taskBiases.to(torch::kBFloat16);
    // The same values, rounded to bfloat16 but stored in float32.
    auto rounded = layer;
    rounded.taskWeights = narrow.taskWeights.to(torch::kFloat32);
    rounded.taskBiases = narrow.taskBiases.to(torch::kFloat32);

    const auto x = randomInput(c, 112).requires_grad_(true);
    const auto w = randomRouting(c, 113).requires_grad_(true);
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        const auto y = perSampleLinear(x, w, narrow, {s, 3});
        // Widening is exact: identical to float32 storage of the rounded values...
        QVERIFY(scaledError(y, perSampleLinear(x, w, rounded, {s, 3})) < 1e-6);
        // ...and within bfloat16 rounding (2^-8 of τ's part) of the original.
        QVERIFY(scaledError(y, perSampleLinear(x, w, layer, {s, 3})) < 1e-2);
        QVERIFY(scaledError(y, perSampleLinear(x, w, layer, {s, 3})) > 0);

        weightedSum(y, 114).backward();
        const auto dx = x.grad().clone();
        const auto dw = w.grad().clone();
        x.mutable_grad().zero_();
        w.mutable_grad().zero_();
        weightedSum(perSampleLinear(x, w, rounded, {s, 3}), 114).backward();
        QVERIFY(scaledError(dx, x.grad()) < 1e-6);
        QVERIFY(scaledError(dw, w.grad()) < 1e-6);
        x.mutable_grad().zero_();
        w.mutable_grad().zero_();
    }
}

void TestPerSampleLinear::gradientOnlyForRequestedInputs()
{
    const Case c{2, 3, 2};
    const auto layer = randomLayer(c.experts, kIn, kOut, 121);
    const auto x = randomInput(c, 122);
    const auto w = randomRouting(c, 123).requires_grad_(true);
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        perSampleLinear(x, w, layer, {s, 3}).sum().backward();
        QVERIFY(!x.grad().defined());
        QVERIFY(w.grad().defined());
        QVERIFY(!layer.weight.grad().defined() && !layer.taskWeights.grad().defined());
        QVERIFY(!layer.weight.requires_grad() && !layer.taskWeights.requires_grad());
    }
    // Without any input requiring grad the result is a plain tensor.
    QVERIFY(!perSampleLinear(x, w.detach(), layer).requires_grad());
}

void TestPerSampleLinear::costModelChoices()
{
    const auto cpu = c10::Device(c10::kCPU);
    // ViT-B/32: 50 tokens per sample, 8 experts: merging is ~T/N of the matmul.
    for (int64_t batch : {1, 16, 64}) {
        QCOMPARE(choosePerSampleStrategy({batch, 50, 8, 768, 3072}, cpu), PerSampleStrategy::MergeRowChunks);
        QCOMPARE(choosePerSampleStrategy({batch, 50, 8, 3072, 768}, cpu), PerSampleStrategy::MergeRowChunks);
    }
    // One token per sample: expanding costs (T + 1) matmuls of a vector, merging
    // writes B full weight matrices.
    QCOMPARE(choosePerSampleStrategy({16, 1, 8, 768, 3072}, cpu), PerSampleStrategy::Expand);
    // Batch-reduced routing: one "sample" with all tokens.
    QCOMPARE(choosePerSampleStrategy({1, 800, 8, 768, 3072}, cpu), PerSampleStrategy::MergeRowChunks);
}

void TestPerSampleLinear::defaultChunksCoverTheRows()
{
    const auto cpu = c10::Device(c10::kCPU);
    for (auto s : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        for (const PerSampleShape &shape : {PerSampleShape{16, 50, 8, 768, 3072}, PerSampleShape{64, 50, 8, 3072, 768},
                                            PerSampleShape{1, 1, 1, 6, 10}, PerSampleShape{2, 3, 2, 4, 1}}) {
            const auto rows = defaultChunkRows(s, shape, cpu);
            QVERIFY(rows >= 1 && rows <= shape.out);
        }
    }
    // ViT-B/32 fc1 at batch 16: the per-sample weights (151 MB) are formed in
    // several chunks, each of cache size.
    const auto rows = defaultChunkRows(PerSampleStrategy::MergeRowChunks, {16, 50, 8, 768, 3072}, cpu);
    QVERIFY(rows < 3072 / 4);
    QVERIFY(16 * rows * 768 * 4 <= (int64_t(64) << 20));
}

void TestPerSampleLinear::badInputsThrow()
{
    const Case c{2, 3, 2};
    const auto layer = randomLayer(c.experts, kIn, kOut, 131);
    const auto x = randomInput(c, 132);
    const auto w = randomRouting(c, 133);
    QVERIFY(throwsError([&] { perSampleLinear(x.flatten(0, 1), w, layer); }));            // not 3-D
    QVERIFY(throwsError([&] { perSampleLinear(x.narrow(2, 0, kIn - 1), w, layer); }));    // width
    QVERIFY(throwsError([&] { perSampleLinear(x, w.narrow(0, 0, 1), layer); }));          // batch
    QVERIFY(throwsError([&] { perSampleLinear(x, torch::zeros({c.batch, 3}), layer); })); // experts
    QVERIFY(throwsError([&] { perSampleLinear(x.to(torch::kFloat64), w, layer); }));      // dtype
    auto broken = layer;
    broken.taskWeights = layer.taskWeights.narrow(1, 0, kOut - 1).contiguous();
    QVERIFY(throwsError([&] { perSampleLinear(x, w, broken); }));
    broken = layer;
    broken.taskBiases = torch::Tensor();
    QVERIFY(throwsError([&] { perSampleLinear(x, w, broken); }));
    broken = layer;
    broken.taskWeights = layer.taskWeights.to(torch::kFloat16);
    QVERIFY(throwsError([&] { perSampleLinear(x, w, broken); }));
}

QTEST_APPLESS_MAIN(TestPerSampleLinear)
#include "test_per_sample_linear.moc"
