// Our fused per-sample matmuls (per_sample_gemm.h) against the same sums
// written as loops in double, on shapes that cross every seam of their
// blocking; the bits they promise not to depend on (how rows and columns are
// split among threads, the thread count); and the layer taking that path.

#include "moe/per_sample_gemm.h"

#include "moe/per_sample_linear.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cstring>
#include <random>
#include <vector>

using namespace wemoe;
using wemoe::test::naivePerSampleLinear;
using wemoe::test::randomLayer;
using wemoe::test::scaledError;

namespace {

// One layer's operands as plain arrays, and the sums written out as loops in
// double: the reference the fused loops are checked against.
struct Operands
{
    int64_t batch, tokens, experts, in, rows;
    std::vector<float> x, routing, base, tasks, dy;

    Operands(int64_t b, int64_t n, int64_t t, int64_t k, int64_t r, uint32_t seed)
        : batch(b)
        , tokens(n)
        , experts(t)
        , in(k)
        , rows(r)
    {
        std::mt19937 g(seed);
        std::normal_distribution<float> normal;
        const auto fill = [&](std::vector<float> &v, std::size_t size, float scale, float mean = 0.0f) {
            v.resize(size);
            for (auto &f : v)
                f = mean + scale * normal(g);
        };
        fill(x, std::size_t(b * n * k), 1.0f);
        fill(routing, std::size_t(b * t), 0.5f, 0.3f);
        fill(base, std::size_t(r * k), 0.05f);
        fill(tasks, std::size_t(t * r * k), 0.02f);
        fill(dy, std::size_t(b * n * r), 1.0f);
    }

    PerSampleGemmProblem problem(int64_t r0 = 0, int64_t count = -1) const
    {
        PerSampleGemmProblem p;
        p.x = x.data();
        p.xBatchStride = tokens * in;
        p.xTokenStride = in;
        p.routing = routing.data();
        p.base = base.data() + r0 * in;
        p.tasks = tasks.data() + r0 * in;
        p.taskStride = rows * in;
        p.batch = batch;
        p.tokens = tokens;
        p.experts = experts;
        p.in = in;
        p.rows = count < 0 ? rows : count;
        return p;
    }

    double merged(int64_t b, int64_t r, int64_t k) const
    {
        double w = base[std::size_t(r * in + k)];
        for (int64_t t = 0; t < experts; ++t)
            w += double(routing[std::size_t(b * experts + t)]) * tasks[std::size_t((t * rows + r) * in + k)];
        return w;
    }

    std::vector<double> naiveForward() const
    {
        std::vector<double> y(std::size_t(batch * tokens * rows), 0.0);
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t k = 0; k < in; ++k) {
                    const double w = merged(b, r, k);
                    for (int64_t i = 0; i < tokens; ++i)
                        y[std::size_t((b * tokens + i) * rows + r)] += w * x[std::size_t((b * tokens + i) * in + k)];
                }
        return y;
    }

    std::vector<double> naiveInputGradient() const
    {
        std::vector<double> dx(std::size_t(batch * tokens * in), 0.0);
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t k = 0; k < in; ++k) {
                    const double w = merged(b, r, k);
                    for (int64_t i = 0; i < tokens; ++i)
                        dx[std::size_t((b * tokens + i) * in + k)] += dy[std::size_t((b * tokens + i) * rows + r)] * w;
                }
        return dx;
    }

    std::vector<double> naiveRoutingGradient() const
    {
        std::vector<double> dRouting(std::size_t(batch * experts), 0.0);
        for (int64_t b = 0; b < batch; ++b)
            for (int64_t r = 0; r < rows; ++r)
                for (int64_t k = 0; k < in; ++k) {
                    double g = 0.0; // (dyᵀ x)[r][k] of sample b
                    for (int64_t i = 0; i < tokens; ++i)
                        g += double(dy[std::size_t((b * tokens + i) * rows + r)])
                             * x[std::size_t((b * tokens + i) * in + k)];
                    for (int64_t t = 0; t < experts; ++t)
                        dRouting[std::size_t(b * experts + t)] += g * tasks[std::size_t((t * rows + r) * in + k)];
                }
        return dRouting;
    }
};

template<typename T>
double scaledDifference(const std::vector<T> &got, const std::vector<double> &expected)
{
    double worst = 0.0, scale = 0.0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        worst = std::max(worst, std::abs(double(got[i]) - expected[i]));
        scale = std::max(scale, std::abs(expected[i]));
    }
    return worst / scale;
}

// Shapes that cross every seam of the loops: samples merged three at a time,
// then one by one (7 = 3 + 3 + 1; the batches of 1 and 2 in kSeamBatches),
// token tiles of 3 and 6 (7 = 3 + 3 + 1 = 6 + 1), weight tiles of 4 and 6
// rows (205 = 51 · 4 + 1 = 34 · 6 + 1), forward blocks of 768 input columns
// (792 = 768 + 24) and, at batch 7, of 48 rows (205 = 4 · 48 + 13), merge
// pieces of 256 columns and vectors of 32 (792 = 3 · 256 + 24), backward
// blocks of 192 columns and tiles of 16 (792 = 4 · 192 + 16 + 8) and of 96
// rows (205 = 2 · 96 + 13), where the input gradient and the routing gradient
// take turns.
Operands seamShapes(int64_t batch = 7)
{
    return Operands(batch, 7, 3, 792, 205, 1234);
}

constexpr int64_t kSeamBatches[] = {1, 2, 7};

} // namespace

class TestPerSampleGemm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void forwardMatchesLoops();
    void forwardRowsAreIndependentOfTheSplit();
    void backwardMatchesLoops();
    void backwardColumnsAreIndependentOfTheSplit();
    void backwardPartsOnRequest();
    void layerTakesTheFusedPath();
    void layerGradientsMatchNaiveLoop();
    void threadCountDoesNotChangeBits();
};

void TestPerSampleGemm::init()
{
    if (!perSampleGemmAvailable())
        QSKIP("this CPU has no AVX2 with FMA; the library's path is tested in test_per_sample_linear");
}

void TestPerSampleGemm::forwardMatchesLoops()
{
    for (const auto batch : kSeamBatches) {
        const auto o = seamShapes(batch);
        std::vector<float> y(std::size_t(o.batch * o.tokens * o.rows), std::nanf(""));
        perSampleGemmForward(o.problem(), y.data(), o.tokens * o.rows, o.rows);
        const auto error = scaledDifference(y, o.naiveForward());
        QVERIFY2(error < 1e-6, qPrintable(QStringLiteral("batch %1: %2").arg(batch).arg(error)));
    }
}

void TestPerSampleGemm::forwardRowsAreIndependentOfTheSplit()
{
    // Threads take ranges of rows: each output's sum must not depend on them.
    const auto o = seamShapes();
    std::vector<float> whole(std::size_t(o.batch * o.tokens * o.rows)), split(whole.size(), std::nanf(""));
    perSampleGemmForward(o.problem(), whole.data(), o.tokens * o.rows, o.rows);
    perSampleGemmForward(o.problem(0, 13), split.data(), o.tokens * o.rows, o.rows);
    perSampleGemmForward(o.problem(13, o.rows - 13), split.data() + 13, o.tokens * o.rows, o.rows);
    QVERIFY(std::memcmp(whole.data(), split.data(), whole.size() * sizeof(float)) == 0);
}

void TestPerSampleGemm::backwardMatchesLoops()
{
    for (const auto batch : kSeamBatches) {
        const auto o = seamShapes(batch);
        std::vector<float> dx(std::size_t(o.batch * o.tokens * o.in), 0.0f);
        std::vector<double> dRouting(std::size_t(o.batch * o.experts), 0.0);
        perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, o.in, dx.data(), dRouting.data());
        const auto dxError = scaledDifference(dx, o.naiveInputGradient());
        const auto routingError = scaledDifference(dRouting, o.naiveRoutingGradient());
        QVERIFY2(dxError < 1e-6, qPrintable(QStringLiteral("batch %1: dx %2").arg(batch).arg(dxError)));
        QVERIFY2(routingError < 1e-6, qPrintable(QStringLiteral("batch %1: routing %2").arg(batch).arg(routingError)));
    }
}

void TestPerSampleGemm::backwardColumnsAreIndependentOfTheSplit()
{
    // The caller splits the input columns at multiples of the block among
    // threads: dx must come out the same bits, and the routing gradient's
    // parts must add up to the whole.
    const auto o = seamShapes();
    const auto cut = kPerSampleGemmBackwardColumns * 2;
    std::vector<float> whole(std::size_t(o.batch * o.tokens * o.in), 0.0f), split(whole.size(), 0.0f);
    std::vector<double> routingWhole(std::size_t(o.batch * o.experts), 0.0), routingSplit(routingWhole.size(), 0.0);
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, o.in, whole.data(),
                          routingWhole.data());
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, cut, split.data(),
                          routingSplit.data());
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, cut, o.in, split.data(),
                          routingSplit.data());
    QVERIFY(std::memcmp(whole.data(), split.data(), whole.size() * sizeof(float)) == 0);
    QVERIFY(scaledDifference(routingSplit, routingWhole) < 1e-12);
}

void TestPerSampleGemm::backwardPartsOnRequest()
{
    // dx alone and the routing gradient alone are the same numbers as both together.
    const auto o = seamShapes();
    std::vector<float> both(std::size_t(o.batch * o.tokens * o.in), 0.0f), alone(both.size(), 0.0f);
    std::vector<double> routingBoth(std::size_t(o.batch * o.experts), 0.0), routingAlone(routingBoth.size(), 0.0);
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, o.in, both.data(),
                          routingBoth.data());
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, o.in, alone.data(), nullptr);
    perSampleGemmBackward(o.problem(), o.dy.data(), o.tokens * o.rows, o.rows, 0, o.in, nullptr, routingAlone.data());
    QVERIFY(both == alone);
    QVERIFY(routingBoth == routingAlone);
}

void TestPerSampleGemm::layerTakesTheFusedPath()
{
    // A float32 layer whose width is a multiple of 8 goes through the fused
    // loops; the same layer widened to float64 takes the library's path. Both
    // agree with the naive loop.
    const auto layer = randomLayer(4, 40, 52, 7);
    auto g = at::detail::createCPUGenerator(8);
    const auto x = at::normal(0.0, 1.0, {6, 11, 40}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto w = at::normal(0.3, 0.5, {6, 4}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto layer64 = wemoe::test::layerAs(layer, torch::kFloat64);
    const auto expected = naivePerSampleLinear(x.to(torch::kFloat64), w.to(torch::kFloat64), layer64);
    for (const qint64 rows : {qint64(0), qint64(5)}) {
        const auto y = perSampleLinear(x, w, layer, {PerSampleStrategy::MergeRowChunks, rows});
        QVERIFY2(scaledError(y, expected) < 1e-6, qPrintable(QString::number(scaledError(y, expected))));
    }
    const auto library = perSampleLinear(x.to(torch::kFloat64), w.to(torch::kFloat64), layer64,
                                         {PerSampleStrategy::MergeRowChunks});
    QVERIFY(scaledError(library, expected) < 1e-12);
}

void TestPerSampleGemm::layerGradientsMatchNaiveLoop()
{
    const auto layer = randomLayer(3, 200, 45, 17);
    auto g = at::detail::createCPUGenerator(18);
    const auto x =
        at::normal(0.0, 1.0, {5, 9, 200}, g, torch::TensorOptions().dtype(torch::kFloat32)).requires_grad_(true);
    const auto w = at::normal(0.3, 0.5, {5, 3}, g, torch::TensorOptions().dtype(torch::kFloat32)).requires_grad_(true);
    const auto dy = at::normal(0.0, 1.0, {5, 9, 45}, g, torch::TensorOptions().dtype(torch::kFloat32));
    (perSampleLinear(x, w, layer, {PerSampleStrategy::MergeRowChunks}) * dy).sum().backward();

    const auto layer64 = wemoe::test::layerAs(layer, torch::kFloat64);
    const auto x64 = x.detach().to(torch::kFloat64).requires_grad_(true);
    const auto w64 = w.detach().to(torch::kFloat64).requires_grad_(true);
    (naivePerSampleLinear(x64, w64, layer64) * dy.to(torch::kFloat64)).sum().backward();
    QVERIFY2(scaledError(x.grad(), x64.grad()) < 1e-6, qPrintable(QString::number(scaledError(x.grad(), x64.grad()))));
    QVERIFY2(scaledError(w.grad(), w64.grad()) < 1e-6, qPrintable(QString::number(scaledError(w.grad(), w64.grad()))));
}

void TestPerSampleGemm::threadCountDoesNotChangeBits()
{
    // Rows (forward) and columns (backward) are split into fixed units, so one
    // thread and two give the same bits.
    const auto layer = randomLayer(8, 768, 400, 27);
    auto g = at::detail::createCPUGenerator(28);
    const auto x0 = at::normal(0.0, 1.0, {4, 5, 768}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto w0 = at::normal(0.3, 0.5, {4, 8}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto run = [&](int threads) {
        const int before = at::get_num_threads();
        at::set_num_threads(threads);
        const auto x = x0.clone().requires_grad_(true);
        const auto w = w0.clone().requires_grad_(true);
        const auto y = perSampleLinear(x, w, layer, {PerSampleStrategy::MergeRowChunks});
        y.square().sum().backward();
        at::set_num_threads(before);
        return std::vector<torch::Tensor>{y.detach(), x.grad(), w.grad()};
    };
    const auto one = run(1), two = run(2);
    for (std::size_t i = 0; i < one.size(); ++i)
        QVERIFY(at::equal(one[i], two[i]));
}

QTEST_GUILESS_MAIN(TestPerSampleGemm)
#include "test_per_sample_gemm.moc"
