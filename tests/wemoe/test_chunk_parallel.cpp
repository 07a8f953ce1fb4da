#include "wemoe/chunk_parallel.h"

#include "common/error.h"
#include "wemoe/per_sample_linear.h"
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
    void rangesCoverEveryChunkOnce();
    void errorsReachTheCaller();
    void rangeSumsAddInChunkOrder();
    void threadCountDoesNotChangeResults();
    void inferenceModeAndGradModeReachTheWorkers();
};

void TestChunkParallel::rangesCoverEveryChunkOnce()
{
    const auto cpu = c10::Device(c10::kCPU);
    for (int64_t chunks : {0, 1, 2, 7, 64}) {
        std::mutex mutex;
        std::vector<int> seen(static_cast<std::size_t>(chunks), 0);
        forEachChunkRange(chunks, cpu, [&](int64_t begin, int64_t end) {
            QVERIFY(begin < end);
            std::lock_guard<std::mutex> lock(mutex);
            for (int64_t c = begin; c < end; ++c)
                ++seen[static_cast<std::size_t>(c)];
        });
        for (int count : seen)
            QCOMPARE(count, 1);
    }
}

void TestChunkParallel::errorsReachTheCaller()
{
    bool caught = false;
    try {
        forEachChunkRange(8, c10::Device(c10::kCPU), [](int64_t begin, int64_t end) {
            if (begin <= 5 && 5 < end)
                throw Error(QStringLiteral("chunk 5 failed"));
        });
    } catch (const Error &e) {
        caught = e.message() == QLatin1String("chunk 5 failed");
    }
    QVERIFY(caught);
}

void TestChunkParallel::rangeSumsAddInChunkOrder()
{
    RangeSums sums;
    QVERIFY(!sums.total().defined());
    // Added out of order. In chunk order the total is (1e8 − 1e8) + 1 = 1; in
    // the order added it would be (1 + 1e8) − 1e8 = 0 in float32.
    sums.add(2, torch::full({1}, 1.0f));
    sums.add(0, torch::full({1}, 1e8f));
    sums.add(1, torch::full({1}, -1e8f));
    QCOMPARE(sums.total().item<float>(), 1.0f);
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
        forEachChunkRange(4, c10::Device(c10::kCPU), [&](int64_t, int64_t) {
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
