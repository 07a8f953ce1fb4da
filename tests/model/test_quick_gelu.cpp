// quickGelu: the same forward bits as x · σ(1.702 x) written as tensor ops,
// and a backward whose gradient is bit for bit autograd's of that expression
// (the fused float32 CPU pass, and the tensor-op path for everything else),
// plus values worked out by hand.

#include "model/quick_gelu.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

namespace {

struct Gradients
{
    torch::Tensor y;
    torch::Tensor dx;
};

// y and dL/dx for L = Σ y · dy, by `activation` on a fresh leaf copy of x.
Gradients run(const std::function<torch::Tensor(const torch::Tensor &)> &activation, const torch::Tensor &x,
              const torch::Tensor &dy)
{
    auto leaf = x.detach().clone().requires_grad_(true);
    auto y = activation(leaf);
    y.backward(dy);
    return {y.detach(), leaf.grad()};
}

torch::Tensor byAutograd(const torch::Tensor &x)
{
    return x * torch::sigmoid(1.702 * x);
}

} // namespace

class TestQuickGelu : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A ViT-B/32 MLP's shape at batch 4: several chunks of the parallel loop.
    void float32MatchesAutogradBitForBit()
    {
        torch::manual_seed(7);
        const auto x = torch::randn({4, 50, 3072}) * 3;
        const auto dy = torch::randn({4, 50, 3072});
        const auto ours = run(wemoe::quickGelu, x, dy);
        const auto reference = run(byAutograd, x, dy);
        QVERIFY(torch::equal(ours.y, reference.y));
        QVERIFY(torch::equal(ours.dx, reference.dx));
    }

    // float64 takes the tensor-op path; a strided float32 gradient is made
    // contiguous and fused.
    void otherTypesAndLayoutsMatchAutograd()
    {
        torch::manual_seed(8);
        const auto x = torch::randn({5, 33}, torch::kFloat64);
        const auto dy = torch::randn({5, 33}, torch::kFloat64);
        const auto ours = run(wemoe::quickGelu, x, dy);
        const auto reference = run(byAutograd, x, dy);
        QVERIFY(torch::equal(ours.y, reference.y));
        QVERIFY(torch::equal(ours.dx, reference.dx));

        const auto x32 = torch::randn({33, 5});
        const auto dyT = torch::randn({5, 33}).t(); // strided
        const auto oursT = run(wemoe::quickGelu, x32, dyT);
        const auto referenceT = run(byAutograd, x32, dyT);
        QVERIFY(torch::equal(oursT.dx, referenceT.dx));
    }

    // By hand: y = x·s with s = 1 / (1 + e^(−1.702 x)), dy/dx = s + 1.702·x·s·(1 − s).
    void valuesByHand()
    {
        const std::vector<double> points{-2.0, 0.0, 0.5, 1.0};
        const auto x = torch::tensor(points, torch::kFloat32);
        const auto ours = run(wemoe::quickGelu, x, torch::ones_like(x));
        for (std::size_t i = 0; i < points.size(); ++i) {
            const double v = points[i];
            const double s = 1.0 / (1.0 + std::exp(-1.702 * v));
            QVERIFY(std::abs(ours.y[int64_t(i)].item<double>() - v * s) < 1e-6);
            QVERIFY(std::abs(ours.dx[int64_t(i)].item<double>() - (s + 1.702 * v * s * (1 - s))) < 1e-6);
        }
        QCOMPARE(ours.dx[1].item<float>(), 0.5f); // σ(0), exactly
    }

    void withoutGradIsThePlainForward()
    {
        torch::NoGradGuard noGrad;
        const auto x = torch::randn({3, 10});
        const auto y = wemoe::quickGelu(x);
        QVERIFY(!y.requires_grad());
        QVERIFY(torch::equal(y, byAutograd(x)));
    }
};

QTEST_GUILESS_MAIN(TestQuickGelu)
#include "test_quick_gelu.moc"
