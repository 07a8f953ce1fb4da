#include "common/chunk_parallel.h"

#include "common/error.h"
#include "moe/per_sample_linear.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <mutex>
#include <vector>

using namespace wemoe;
using wemoe::test::scaledError;

class TestChunkParallel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { at::set_num_threads(2); }
    void everyChunkRunsOnce();
    void errorsReachTheCaller();
    void sumsInChunkOrder();
    void threadCountDoesNotChangeResults();
    void inferenceModeAndGradModeReachTheWorkers();
};

void TestChunkParallel::everyChunkRunsOnce()
{
    const auto cpu = c10::Device(c10::kCPU);
    for (int64_t chunks : {0, 1, 2, 7, 64}) {
        std::mutex mutex;
        std::vector<int> seen(static_cast<std::size_t>(chunks), 0);
        forEachChunk(chunks, cpu, [&](int64_t c) {
            std::lock_guard<std::mutex> lock(mutex);
            ++seen.at(static_cast<std::size_t>(c));
        });
        for (int count : seen)
            QCOMPARE(count, 1);
    }
}

void TestChunkParallel::errorsReachTheCaller()
{
    bool caught = false;
    try {
        forEachChunk(8, c10::Device(c10::kCPU), [](int64_t c) {
            if (c == 5)
                throw Error(QStringLiteral("chunk 5 failed"));
        });
    } catch (const Error &e) {
        caught = e.message() == QLatin1String("chunk 5 failed");
    }
    QVERIFY(caught);
}

void TestChunkParallel::sumsInChunkOrder()
{
    // In chunk order (1e8 − 1e8) + 1 = 1; added in another order, e.g.
    // (1 + 1e8) − 1e8, float32 would give 0.
    const std::vector<torch::Tensor> parts{torch::full({1}, 1e8f), torch::full({1}, -1e8f), torch::full({1}, 1.0f)};
    QCOMPARE(sumInChunkOrder(parts).item<float>(), 1.0f);
    QCOMPARE(parts[0].item<float>(), 1e8f); // inputs untouched
}

void TestChunkParallel::threadCountDoesNotChangeResults()
{
    const auto layer = wemoe::test::randomLayer(3, 16, 40, 1);
    auto g = at::detail::createCPUGenerator(2);
    const auto x = at::normal(0.0, 1.0, {4, 5, 16}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto w = at::normal(0.3, 0.5, {4, 3}, g, torch::TensorOptions().dtype(torch::kFloat32));
    for (auto strategy : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        std::vector<torch::Tensor> results;
        for (int threads : {1, 2}) {
            at::set_num_threads(threads);
            const auto xi = x.clone().requires_grad_(true);
            const auto wi = w.clone().requires_grad_(true);
            const auto y = perSampleLinear(xi, wi, layer, {strategy, 6});
            (y * y).sum().backward();
            results.insert(results.end(), {y.detach(), xi.grad(), wi.grad()});
        }
        for (int i = 0; i < 3; ++i)
            QVERIFY(scaledError(results[i], results[i + 3]) < 1e-6);
        // Which thread takes which chunk varies from run to run; the results do not.
        const auto xi = x.clone().requires_grad_(true);
        const auto wi = w.clone().requires_grad_(true);
        const auto y = perSampleLinear(xi, wi, layer, {strategy, 6});
        (y * y).sum().backward();
        QVERIFY(torch::equal(y.detach(), results[3]));
        QVERIFY(torch::equal(xi.grad(), results[4]));
        QVERIFY(torch::equal(wi.grad(), results[5]));
    }
}

void TestChunkParallel::inferenceModeAndGradModeReachTheWorkers()
{
    const auto layer = wemoe::test::randomLayer(3, 16, 40, 3);
    auto g = at::detail::createCPUGenerator(4);
    const auto x = at::normal(0.0, 1.0, {4, 5, 16}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto w = at::normal(0.3, 0.5, {4, 3}, g, torch::TensorOptions().dtype(torch::kFloat32));
    const auto reference = perSampleLinear(x, w, layer, {PerSampleStrategy::MergeRowChunks, 6});
    {
        // Evaluation code may run under InferenceMode: the workers write into
        // inference tensors, which is only allowed inside InferenceMode.
        c10::InferenceMode inference;
        const auto xi = x.clone();
        const auto wi = w.clone();
        for (auto strategy : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
            const auto y = perSampleLinear(xi, wi, layer, {strategy, 6});
            QVERIFY(y.is_inference());
            QVERIFY(scaledError(y, reference) < 1e-6);
        }
    }
    // Grad mode off in the caller is off in the workers: nothing records a graph.
    std::vector<bool> gradModes;
    std::mutex mutex;
    {
        torch::NoGradGuard noGrad;
        forEachChunk(4, c10::Device(c10::kCPU), [&](int64_t) {
            std::lock_guard<std::mutex> lock(mutex);
            gradModes.push_back(at::GradMode::is_enabled());
        });
    }
    QVERIFY(!gradModes.empty());
    for (bool enabled : gradModes)
        QVERIFY(!enabled);
}

QTEST_APPLESS_MAIN(TestChunkParallel)
#include "test_chunk_parallel.moc"
