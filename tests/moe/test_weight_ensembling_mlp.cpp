#include "moe/weight_ensembling_mlp.h"

#include "common/error.h"
#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace wemoe;
using wemoe::test::scaledError;

namespace {

constexpr int64_t kHidden = 8;
constexpr int64_t kIntermediate = 12;
constexpr int64_t kExperts = 3;

MlpWeights randomMlp(uint64_t seed, double scale)
{
    auto g = at::detail::createCPUGenerator(seed);
    const auto o = torch::TensorOptions().dtype(torch::kFloat32);
    return {at::normal(0.0, scale, {kIntermediate, kHidden}, g, o), at::normal(0.0, scale, {kIntermediate}, g, o),
            at::normal(0.0, scale, {kHidden, kIntermediate}, g, o), at::normal(0.0, scale, {kHidden}, g, o)};
}

struct Fixture
{
    MlpWeights pretrained = randomMlp(1, 0.3);
    std::vector<MlpWeights> tasks = {randomMlp(2, 0.1), randomMlp(3, 0.1), randomMlp(4, 0.1)};
};

torch::Tensor randomH(int64_t batch, int64_t tokens, uint64_t seed)
{
    auto g = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {batch, tokens, kHidden}, g, torch::TensorOptions().dtype(torch::kFloat32));
}

double quickGelu(double x)
{
    return x / (1.0 + std::exp(-1.702 * x));
}
double gelu(double x)
{
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
}

// The activation written out element by element, independent of the module's.
torch::Tensor referenceActivation(const QString &name, const torch::Tensor &x)
{
    auto flat = x.detach().to(torch::kFloat64).contiguous().flatten();
    auto out = torch::empty_like(flat);
    auto *in = flat.data_ptr<double>();
    auto *o = out.data_ptr<double>();
    for (int64_t i = 0; i < flat.numel(); ++i)
        o[i] = name == QLatin1String("gelu") ? gelu(in[i]) : quickGelu(in[i]);
    return out.view(x.sizes());
}

// The plain MLP with θ = θ0 + Σt w_t τt for a single weight vector w [T] (double).
torch::Tensor mergedMlp(const Fixture &f, const torch::Tensor &w, const torch::Tensor &h, const QString &activation)
{
    const auto merge = [&](torch::Tensor MlpWeights::*member) {
        auto theta = (f.pretrained.*member).to(torch::kFloat64);
        for (int64_t t = 0; t < kExperts; ++t)
            theta = theta + w[t].to(torch::kFloat64) * (f.tasks[t].*member).to(torch::kFloat64);
        return theta;
    };
    namespace F = torch::nn::functional;
    const auto inner = F::linear(h.to(torch::kFloat64), merge(&MlpWeights::fc1Weight), merge(&MlpWeights::fc1Bias));
    return F::linear(referenceActivation(activation, inner), merge(&MlpWeights::fc2Weight),
                     merge(&MlpWeights::fc2Bias));
}

// The naive per-sample loop: one merged MLP per sample, differentiable in w.
torch::Tensor naivePerSample(const Fixture &f, const torch::Tensor &w, const torch::Tensor &h)
{
    namespace F = torch::nn::functional;
    std::vector<torch::Tensor> outputs;
    for (int64_t b = 0; b < h.size(0); ++b) {
        const auto merge = [&](torch::Tensor MlpWeights::*member) {
            auto theta = f.pretrained.*member;
            for (int64_t t = 0; t < kExperts; ++t)
                theta = theta + w[b][t] * (f.tasks[t].*member);
            return theta;
        };
        const auto inner = F::linear(h[b], merge(&MlpWeights::fc1Weight), merge(&MlpWeights::fc1Bias));
        const auto act = inner * torch::sigmoid(1.702 * inner);
        outputs.push_back(F::linear(act, merge(&MlpWeights::fc2Weight), merge(&MlpWeights::fc2Bias)));
    }
    return torch::stack(outputs);
}

WeightEnsemblingMlpOptions smallChunks(WeightEnsemblingMlpOptions o = {})
{
    o.linear.chunkRows = 5; // several chunks and a remainder in both layers
    return o;
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

class TestWeightEnsemblingMlp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void activations();
    void fixedEqualRoutingIsTaskArithmetic_data();
    void fixedEqualRoutingIsTaskArithmetic();
    void depthZeroAtInitIsTaskArithmetic();
    void perSampleMatchesNaiveLoop_data();
    void perSampleMatchesNaiveLoop();
    void batchReduceIsMeanWeightMerge();
    void onlyRouterTrains();
    void routerGradientsMatchNaiveLoop();
    void bf16TaskVectors();
    void badInputsThrow();
};

void TestWeightEnsemblingMlp::activations()
{
    const auto x = torch::tensor({-3.0, -1.0, -0.1, 0.0, 0.5, 1.0, 4.0}, torch::kFloat64);
    QVERIFY(scaledError(applyMlpActivation(MlpActivation::QuickGelu, x), referenceActivation("quick_gelu", x)) < 1e-12);
    QVERIFY(scaledError(applyMlpActivation(MlpActivation::Gelu, x), referenceActivation("gelu", x)) < 1e-12);
    // Hand values: quick_gelu(1) = σ(1.702) = 0.84579..., gelu(1) = Φ(1) = 0.84134...
    QVERIFY(std::abs(applyMlpActivation(MlpActivation::QuickGelu, x)[5].item<double>() - 0.845795) < 1e-6);
    QVERIFY(std::abs(applyMlpActivation(MlpActivation::Gelu, x)[5].item<double>() - 0.841345) < 1e-6);
    QCOMPARE(parseMlpActivation("quick_gelu"), MlpActivation::QuickGelu);
    QCOMPARE(parseMlpActivation("gelu"), MlpActivation::Gelu);
    QCOMPARE(parseMlpActivation("gelu_new"), MlpActivation::GeluTanh);
    QVERIFY(throwsError([] { parseMlpActivation("relu6"); }));
}

void TestWeightEnsemblingMlp::fixedEqualRoutingIsTaskArithmetic_data()
{
    QTest::addColumn<QString>("activation");
    QTest::newRow("quick_gelu") << QStringLiteral("quick_gelu");
    QTest::newRow("gelu") << QStringLiteral("gelu");
}

void TestWeightEnsemblingMlp::fixedEqualRoutingIsTaskArithmetic()
{
    QFETCH(QString, activation);
    Fixture f;
    auto options = smallChunks();
    options.activation = activation;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks, options);
    const auto h = randomH(4, 6, 10);
    const double lambda = 0.3;
    const auto expected = mergedMlp(f, torch::full({kExperts}, lambda), h, activation);
    // Every sample routed to λ, as rows, as one shared row, and as a vector.
    QVERIFY(scaledError(mlp->forwardWithRouting(h, torch::full({4, kExperts}, lambda)), expected) < 1e-5);
    QVERIFY(scaledError(mlp->forwardWithRouting(h, torch::full({1, kExperts}, lambda)), expected) < 1e-5);
    QVERIFY(scaledError(mlp->forwardWithRouting(h, torch::full({kExperts}, lambda)), expected) < 1e-5);
    // λ = 0 is the pretrained MLP.
    QVERIFY(scaledError(mlp->forwardWithRouting(h, torch::zeros({4, kExperts})),
                        mergedMlp(f, torch::zeros({kExperts}), h, activation))
            < 1e-5);
}

void TestWeightEnsemblingMlp::depthZeroAtInitIsTaskArithmetic()
{
    Fixture f;
    auto options = smallChunks();
    options.routerDepth = 0;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks, options);
    const auto h = randomH(3, 5, 20);
    const auto result = mlp->forward(h);
    QVERIFY(torch::equal(result.routingWeights, torch::full({3, kExperts}, 0.3f)));
    QVERIFY(scaledError(result.output, mergedMlp(f, torch::full({kExperts}, 0.3), h, "quick_gelu")) < 1e-5);
}

void TestWeightEnsemblingMlp::perSampleMatchesNaiveLoop_data()
{
    QTest::addColumn<PerSampleStrategy>("strategy");
    QTest::addColumn<int>("depth");
    for (int depth : {0, 1, 2}) {
        QTest::addRow("merge-row-chunks depth %d", depth) << PerSampleStrategy::MergeRowChunks << depth;
        QTest::addRow("expand depth %d", depth) << PerSampleStrategy::Expand << depth;
        QTest::addRow("auto depth %d", depth) << PerSampleStrategy::Auto << depth;
    }
}

void TestWeightEnsemblingMlp::perSampleMatchesNaiveLoop()
{
    QFETCH(PerSampleStrategy, strategy);
    QFETCH(int, depth);
    Fixture f;
    auto options = smallChunks();
    options.linear.strategy = strategy;
    options.routerDepth = depth;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks, options);
    // A router far from init so samples really differ.
    {
        torch::NoGradGuard noGrad;
        auto g = at::detail::createCPUGenerator(5);
        for (auto &p : mlp->router()->parameters())
            p.copy_(at::normal(0.0, 0.5, p.sizes(), g, p.options()));
    }
    const auto h = randomH(5, 4, 30);
    const auto result = mlp->forward(h);
    const auto w = mlp->router()->routingWeights(h).detach();
    QVERIFY(torch::equal(result.routingWeights.detach(), w));
    for (int64_t b = 0; b < h.size(0); ++b) {
        const auto one = h.narrow(0, b, 1);
        QVERIFY2(scaledError(result.output.narrow(0, b, 1), mergedMlp(f, w[b], one, "quick_gelu")) < 1e-5,
                 qPrintable(QStringLiteral("sample %1").arg(b)));
    }
    if (depth > 0) // depth 0 routes every sample alike
        QVERIFY(scaledError(result.output, mergedMlp(f, w.mean(0), h, "quick_gelu")) > 1e-3);
}

void TestWeightEnsemblingMlp::batchReduceIsMeanWeightMerge()
{
    Fixture f;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks, smallChunks());
    {
        torch::NoGradGuard noGrad;
        auto g = at::detail::createCPUGenerator(6);
        for (auto &p : mlp->router()->parameters())
            p.copy_(at::normal(0.0, 0.5, p.sizes(), g, p.options()));
    }
    const auto h = randomH(4, 3, 40);
    const auto w = mlp->router()->routingWeights(h).detach();
    const auto result = mlp->forward(h, RoutingMode::BatchReduce);
    QVERIFY(scaledError(result.output, mergedMlp(f, w.mean(0), h, "quick_gelu")) < 1e-5);
    QCOMPARE(result.routingWeights.sizes(), w.sizes());
    for (int64_t b = 0; b < 4; ++b)
        QVERIFY(scaledError(result.routingWeights[b], w.mean(0)) < 1e-6);
}

void TestWeightEnsemblingMlp::onlyRouterTrains()
{
    Fixture f;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks, smallChunks());
    const auto routerParams = mlp->router()->parameters();
    QCOMPARE(mlp->parameters().size(), routerParams.size());
    QCOMPARE(mlp->buffers().size(), std::size_t(8));
    for (const auto &b : mlp->buffers())
        QVERIFY(!b.requires_grad());
    for (auto mode : {RoutingMode::PerSample, RoutingMode::BatchReduce}) {
        mlp->zero_grad();
        mlp->forward(randomH(3, 4, 50), mode).output.pow(2).sum().backward();
        for (const auto &p : mlp->parameters())
            QVERIFY(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
        for (const auto &b : mlp->buffers())
            QVERIFY(!b.grad().defined());
    }
}

// The router's gradient through our custom backward equals plain autograd
// through the naive per-sample loop (same router, same h).
void TestWeightEnsemblingMlp::routerGradientsMatchNaiveLoop()
{
    Fixture f;
    for (auto strategy : {PerSampleStrategy::MergeRowChunks, PerSampleStrategy::Expand}) {
        auto options = smallChunks();
        options.linear.strategy = strategy;
        WeightEnsemblingMlp mlp(f.pretrained, f.tasks, options);
        {
            torch::NoGradGuard noGrad;
            auto g = at::detail::createCPUGenerator(7);
            for (auto &p : mlp->router()->parameters())
                p.copy_(at::normal(0.0, 0.3, p.sizes(), g, p.options()));
        }
        const auto h = randomH(4, 5, 60).requires_grad_(true);
        auto g = at::detail::createCPUGenerator(8);
        const auto upstream = at::normal(0.0, 1.0, {4, 5, kHidden}, g, torch::TensorOptions().dtype(torch::kFloat32));

        (mlp->forward(h).output * upstream).sum().backward();
        std::vector<torch::Tensor> ours;
        for (const auto &p : mlp->router()->parameters())
            ours.push_back(p.grad().clone());
        const auto oursH = h.grad().clone();

        mlp->zero_grad();
        h.mutable_grad().zero_();
        (naivePerSample(f, mlp->router()->routingWeights(h), h) * upstream).sum().backward();
        const auto params = mlp->router()->parameters();
        for (std::size_t i = 0; i < params.size(); ++i)
            QVERIFY2(scaledError(ours[i], params[i].grad()) < 1e-5,
                     qPrintable(QString::number(scaledError(ours[i], params[i].grad()))));
        QVERIFY(scaledError(oursH, h.grad()) < 1e-5);
    }
}

void TestWeightEnsemblingMlp::bf16TaskVectors()
{
    Fixture f;
    auto options = smallChunks();
    WeightEnsemblingMlp full(f.pretrained, f.tasks, options);
    options.bf16TaskVectors = true;
    WeightEnsemblingMlp narrow(f.pretrained, f.tasks, options);
    QCOMPARE(narrow->fc1().taskWeights.scalar_type(), torch::kBFloat16);
    QCOMPARE(narrow->fc2().taskWeights.scalar_type(), torch::kBFloat16);
    QCOMPARE(narrow->fc1().weight.scalar_type(), torch::kFloat32);
    const auto h = randomH(3, 4, 70);
    const auto w = torch::rand({3, kExperts}) * 2 - 0.5;
    const auto a = full->forwardWithRouting(h, w);
    const auto b = narrow->forwardWithRouting(h, w);
    // τ is ~1/3 of the weights and bfloat16 keeps 8 bits: about 2^-9 relative.
    QVERIFY2(scaledError(b, a) < 1e-2, qPrintable(QString::number(scaledError(b, a))));
    QVERIFY(scaledError(b, a) > 0);
}

void TestWeightEnsemblingMlp::badInputsThrow()
{
    Fixture f;
    WeightEnsemblingMlp mlp(f.pretrained, f.tasks);
    QVERIFY(throwsError([&] { mlp->forward(torch::zeros({2, 3, kHidden + 1})); }));
    QVERIFY(throwsError([&] { mlp->forwardWithRouting(randomH(2, 3, 1), torch::zeros({3, kExperts})); }));
    QVERIFY(throwsError([&] { mlp->forwardWithRouting(randomH(2, 3, 1), torch::zeros({2, kExperts + 1})); }));
    auto broken = f.tasks;
    broken[1].fc2Weight = broken[1].fc2Weight.narrow(0, 0, kHidden - 1);
    QVERIFY(throwsError([&] { WeightEnsemblingMlp m(f.pretrained, broken); }));
    broken = f.tasks;
    broken[2].fc1Bias = torch::Tensor();
    QVERIFY(throwsError([&] { WeightEnsemblingMlp m(f.pretrained, broken); }));
    QVERIFY(throwsError([&] { WeightEnsemblingMlp m(f.pretrained, std::vector<MlpWeights>{}); }));
    WeightEnsemblingMlpOptions badActivation;
    badActivation.activation = "swish";
    QVERIFY(throwsError([&] { WeightEnsemblingMlp m(f.pretrained, f.tasks, badActivation); }));
}

QTEST_APPLESS_MAIN(TestWeightEnsemblingMlp)
#include "test_weight_ensembling_mlp.moc"
