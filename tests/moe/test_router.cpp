#include "moe/router.h"

#include "common/error.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::scaledError;

namespace {

RouterOptions options(int depth, int64_t hidden = 16, int64_t experts = 3, uint64_t seed = 7)
{
    RouterOptions o;
    o.hiddenSize = hidden;
    o.experts = experts;
    o.depth = depth;
    o.seed = seed;
    return o;
}

torch::Tensor randomH(int64_t batch, int64_t tokens, int64_t hidden, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {batch, tokens, hidden}, g, torch::TensorOptions().dtype(torch::kFloat32));
}

std::map<std::string, torch::Tensor> parameters(Router &router)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &item : router->named_parameters())
        out[item.key()] = item.value();
    return out;
}

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void depthTwoInit();
    void seededDeterminism();
    void depthZero();
    void depthOne();
    void depthTwoMatchesHandComputation();
    void badOptionsAndInputsThrow();
};

void TestRouter::depthTwoInit()
{
    const int64_t hidden = 256;
    auto o = options(2, hidden, 8);
    o.initLambda = 0.3;
    Router router(o);
    auto p = parameters(router);
    QCOMPARE(p.size(), std::size_t(4));
    // Last bias exactly λ_init, first bias exactly 0.
    QVERIFY(torch::equal(p.at("output_bias"), torch::full({8}, 0.3f)));
    QVERIFY(torch::equal(p.at("hidden_bias"), torch::zeros({hidden})));
    // Weights ~ N(0, 0.01): with 65536 draws the sample std is within ~3e-5 of
    // 0.01 (one standard error) and the mean within ~4e-5; 5e-4 is > 10 SE,
    // while the usual Linear init (uniform ±1/sqrt(256), std 0.036) is far off.
    const auto hw = p.at("hidden_weight");
    QCOMPARE(hw.sizes(), (c10::IntArrayRef{hidden, hidden}));
    QVERIFY2(std::abs(hw.std().item<double>() - 0.01) < 5e-4, qPrintable(QString::number(hw.std().item<double>())));
    QVERIFY(std::abs(hw.mean().item<double>()) < 5e-4);
    const auto ow = p.at("output_weight");
    QCOMPARE(ow.sizes(), (c10::IntArrayRef{8, hidden}));
    // 2048 draws: standard error of the std ~1.6e-4.
    QVERIFY2(std::abs(ow.std().item<double>() - 0.01) < 1e-3, qPrintable(QString::number(ow.std().item<double>())));
    for (const auto &[name, t] : p)
        QVERIFY2(t.requires_grad(), name.c_str());
}

void TestRouter::seededDeterminism()
{
    Router a(options(2, 32, 4, 123));
    Router b(options(2, 32, 4, 123));
    Router c(options(2, 32, 4, 124));
    // Drawing from the global generator in between must not matter.
    torch::manual_seed(999);
    Router d(options(2, 32, 4, 123));
    const auto pa = parameters(a), pb = parameters(b), pc = parameters(c), pd = parameters(d);
    for (const auto &[name, t] : pa) {
        QVERIFY2(torch::equal(t, pb.at(name)), name.c_str());
        QVERIFY2(torch::equal(t, pd.at(name)), name.c_str());
    }
    QVERIFY(!torch::equal(pa.at("hidden_weight"), pc.at("hidden_weight")));
    QVERIFY(!torch::equal(pa.at("output_weight"), pc.at("output_weight")));
}

void TestRouter::depthZero()
{
    auto o = options(0, 16, 5);
    o.initLambda = 0.25;
    Router router(o);
    QCOMPARE(router->parameters().size(), std::size_t(1));
    const auto h = randomH(3, 7, 16, 1);
    const auto tokens = router->forward(h);
    QCOMPARE(tokens.sizes(), (c10::IntArrayRef{3, 7, 5}));
    const auto w = router->routingWeights(h);
    QCOMPARE(w.sizes(), (c10::IntArrayRef{3, 5}));
    QVERIFY(torch::equal(w, torch::full({3, 5}, 0.25f)));
    // The bias is learnable: gradient of Σ w is B per expert.
    w.sum().backward();
    QVERIFY(torch::equal(router->parameters()[0].grad(), torch::full({5}, 3.0f)));
}

void TestRouter::depthOne()
{
    Router router(options(1, 16, 3));
    const auto p = parameters(router);
    QCOMPARE(p.size(), std::size_t(2));
    QVERIFY(torch::equal(p.at("output_bias"), torch::full({3}, 0.3f)));
    const auto h = randomH(4, 6, 16, 2);
    QCOMPARE(router->forward(h).sizes(), (c10::IntArrayRef{4, 6, 3}));
    const auto w = router->routingWeights(h);
    QCOMPARE(w.sizes(), (c10::IntArrayRef{4, 3}));
    // By hand: mean over tokens of h·Wᵀ + b = (mean_n h)·Wᵀ + b.
    const auto expected = torch::matmul(h.mean(1), p.at("output_weight").t()) + p.at("output_bias");
    QVERIFY(scaledError(w, expected) < 1e-6);
    // At init every sample's weight is near λ_init: |w − λ| ≤ ‖W_t‖·‖mean_n h‖
    // (Cauchy–Schwarz), and with std-0.01 weights that is small.
    const auto bound = (p.at("output_weight").norm(2, 1).max() * h.mean(1).norm(2, 1).max()).item<double>();
    QVERIFY((w - 0.3).abs().max().item<double>() <= bound + 1e-6);
    QVERIFY(bound < 0.1);
}

void TestRouter::depthTwoMatchesHandComputation()
{
    Router router(options(2, 16, 3));
    const auto p = parameters(router);
    const auto h = randomH(2, 5, 16, 3);
    const auto hidden = torch::relu(torch::matmul(h, p.at("hidden_weight").t()) + p.at("hidden_bias"));
    const auto tokens = torch::matmul(hidden, p.at("output_weight").t()) + p.at("output_bias");
    QVERIFY(scaledError(router->forward(h), tokens) < 1e-6);
    QVERIFY(scaledError(router->routingWeights(h), tokens.mean(1)) < 1e-6);
    // Near λ_init at init (the hidden layer is small, the output weights smaller).
    QVERIFY((router->routingWeights(h) - 0.3).abs().max().item<double>() < 0.01);
}

void TestRouter::badOptionsAndInputsThrow()
{
    bool threw = false;
    try {
        Router router(options(3));
    } catch (const Error &) {
        threw = true;
    }
    QVERIFY(threw);
    threw = false;
    Router router(options(2, 16, 3));
    try {
        router->forward(randomH(2, 3, 15, 4));
    } catch (const Error &) {
        threw = true;
    }
    QVERIFY(threw);
}

QTEST_APPLESS_MAIN(TestRouter)
#include "test_router.moc"
