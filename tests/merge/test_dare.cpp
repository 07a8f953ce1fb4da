#include "common/error.h"
#include "merge/merge_methods.h"
#include "merge_fixture.h"
#include "naive_ties.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

#include <cmath>

using namespace wemoe;
using wemoe::test::MergeFixture;
using wemoe::test::sameTensorMaps;

namespace {

// Random task vectors on θ0 = 0 (two tensors, `tasks` tasks).
MergeFixture zeroBaseFixture(int tasks, bool grid, std::uint64_t seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    MergeFixture f(tasks);
    for (const auto &[name, shape] :
         std::vector<std::pair<std::string, std::vector<int64_t>>>{{"a", {40, 30}}, {"b", {257}}}) {
        std::vector<torch::Tensor> taus;
        for (int t = 0; t < tasks; ++t)
            taus.push_back(grid ? wemoe::test::gridValues(shape, generator)
                                : torch::randn(shape, generator, torch::kFloat32));
        f.add(name, torch::zeros(shape), taus);
    }
    return f;
}

// Task `task`'s sparsified vector, read through the public API: on θ0 = 0 with
// every other task equal to θ0, DARE+TA with λ = 1 returns exactly that vector.
TensorMap sparsifiedTaskVector(const MergeFixture &f, int task, DareOptions options)
{
    MergeFixture isolated;
    isolated.pretrained = f.pretrained;
    isolated.tasks.assign(f.tasks.size(), f.pretrained);
    isolated.tasks[static_cast<std::size_t>(task)] = f.tasks[static_cast<std::size_t>(task)];
    options.thenTies = false;
    options.scalingFactor = 1.0;
    return dareMerging(isolated.inputs(), options);
}

} // namespace

class TestDare : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keepRateIsOneMinusP()
    {
        // τ = 1 everywhere, p = 0.5, λ = 1, θ0 = 0: survivors become 1/(1 − 0.5) = 2.
        const int64_t n = 200000;
        MergeFixture f(1);
        f.add("w", torch::zeros({n}), {torch::ones({n})});
        DareOptions o;
        o.scalingFactor = 1.0;
        const auto out = dareMerging(f.inputs(), o).at("w");
        const auto kept = (out == 2).sum().item<int64_t>();
        QCOMPARE(kept + (out == 0).sum().item<int64_t>(), n); // nothing but 0 and 2
        // Binomial(n, 0.5): mean n/2, standard deviation sqrt(n·0.25) ≈ 223.6.
        const double sd = std::sqrt(n * 0.25);
        QVERIFY2(std::abs(kept - n / 2.0) < 5 * sd, qPrintable(QStringLiteral("kept %1 of %2").arg(kept).arg(n)));
    }

    void survivorsAreRescaledExactly()
    {
        const auto f = zeroBaseFixture(1, false, 1);
        DareOptions o;
        o.dropRate = 0.3;
        const auto out = sparsifiedTaskVector(f, 0, o);
        for (const auto &name : {"a", "b"}) {
            const auto tau = f.tasks[0].at(name);
            const auto &v = out.at(name);
            const auto kept = v != 0;
            QVERIFY(kept.sum().item<int64_t>() > 0);
            QVERIFY(kept.logical_not().sum().item<int64_t>() > 0);
            // Bitwise: survivors are τ / (1 − p) computed in float32.
            QVERIFY(torch::equal(v.masked_select(kept), (tau / (1.0 - 0.3)).masked_select(kept)));
        }
        o.rescale = false;
        const auto plain = sparsifiedTaskVector(f, 0, o).at("a");
        const auto kept = plain != 0;
        QVERIFY(torch::equal(plain.masked_select(kept), f.tasks[0].at("a").masked_select(kept)));
        // Same seed, same mask, with or without rescaling.
        QVERIFY(torch::equal(kept, out.at("a") != 0));
    }

    void seedDecidesTheMasks()
    {
        const auto f = zeroBaseFixture(3, false, 2);
        DareOptions o;
        o.seed = 7;
        const auto first = dareMerging(f.inputs(), o);
        QVERIFY(sameTensorMaps(first, dareMerging(f.inputs(), o)));
        o.seed = 8;
        const auto other = dareMerging(f.inputs(), o);
        QVERIFY(!torch::equal(first.at("a"), other.at("a")));
        QVERIFY(!torch::equal(first.at("b"), other.at("b")));
    }

    void tasksAndTensorsDrawIndependentMasks()
    {
        // Identical task vectors in two tasks and two same-sized tensors still get different masks.
        MergeFixture f(2);
        f.add("x", torch::zeros({500}), {torch::ones({500}), torch::ones({500})});
        f.add("y", torch::zeros({500}), {torch::ones({500}), torch::ones({500})});
        const DareOptions o;
        const auto task0 = sparsifiedTaskVector(f, 0, o);
        const auto task1 = sparsifiedTaskVector(f, 1, o);
        QVERIFY(!torch::equal(task0.at("x"), task1.at("x")));
        QVERIFY(!torch::equal(task0.at("x"), task0.at("y")));
    }

    void resultDoesNotDependOnThreadCount()
    {
        const auto f = zeroBaseFixture(2, false, 3);
        DareOptions o;
        o.thenTies = true;
        const int threads = torch::get_num_threads();
        torch::set_num_threads(1);
        const auto single = dareMerging(f.inputs(), o);
        torch::set_num_threads(2);
        const auto two = dareMerging(f.inputs(), o);
        torch::set_num_threads(threads);
        QVERIFY(sameTensorMaps(single, two));
    }

    void zeroDropRateIsThePlainMerge()
    {
        const auto f = zeroBaseFixture(3, false, 4);
        DareOptions o;
        o.dropRate = 0.0;
        o.scalingFactor = 0.4;
        QVERIFY(sameTensorMaps(dareMerging(f.inputs(), o), taskArithmetic(f.inputs(), 0.4)));
        o.thenTies = true;
        o.ties.topK = 0.3;
        o.ties.mergeFunction = TiesMergeFunction::Mean;
        QVERIFY(sameTensorMaps(dareMerging(f.inputs(), o), tiesMerging(f.inputs(), o.ties)));
    }

    void thenTiesIsTiesOnTheSparsifiedVectors_data()
    {
        QTest::addColumn<bool>("perTensor");
        QTest::addColumn<int>("function");
        for (const bool perTensor : {false, true}) {
            for (const int function : {0, 1, 2})
                QTest::addRow("%s %d", perTensor ? "per-tensor" : "whole", function) << perTensor << function;
        }
    }

    void thenTiesIsTiesOnTheSparsifiedVectors()
    {
        QFETCH(bool, perTensor);
        QFETCH(int, function);
        // Grid values and p = 0.5 (survivors doubled) keep every sum exact.
        const auto f = zeroBaseFixture(3, true, 5);
        DareOptions o;
        o.seed = 99;
        o.thenTies = true;
        o.ties.topK = 0.3;
        o.ties.perTensorTopK = perTensor;
        o.ties.mergeFunction = static_cast<TiesMergeFunction>(function);
        std::vector<TensorMap> sparsified;
        for (int t = 0; t < 3; ++t)
            sparsified.push_back(sparsifiedTaskVector(f, t, o)); // θt = 0 + sparsified τt
        const auto expected = wemoe::test::naiveTies(f.pretrained, sparsified, o.ties);
        const auto actual = dareMerging(f.inputs(), o);
        for (const auto &[name, tensor] : expected) {
            QVERIFY2(torch::equal(actual.at(name), tensor),
                     qPrintable(wemoe::test::describeMismatch(actual.at(name), tensor, 0, 0)));
        }
        // And the drop changed something: plain TIES differs.
        QVERIFY(!sameTensorMaps(actual, tiesMerging(f.inputs(), o.ties)));
    }

    void dropRateOutsideRangeIsAnError()
    {
        const auto f = zeroBaseFixture(1, false, 6);
        for (const double p : {1.0, -0.1, 1.5, std::nan("")}) {
            DareOptions o;
            o.dropRate = p;
            QVERIFY_THROWS_EXCEPTION(Error, dareMerging(f.inputs(), o));
        }
    }

    void halfPrecisionInputsMatchTheirFloatConversion()
    {
        auto f = zeroBaseFixture(2, false, 7);
        f.pretrained["a"] = torch::randn({40, 30});
        for (auto &task : f.tasks)
            task["a"] = task["a"] + f.pretrained["a"];
        for (const auto dtype : {torch::kBFloat16, torch::kFloat16}) {
            const auto low = f.convertedTo(dtype);
            const auto widened = low.convertedTo(torch::kFloat32);
            for (const bool thenTies : {false, true}) {
                DareOptions o;
                o.thenTies = thenTies;
                QVERIFY(sameTensorMaps(dareMerging(low.inputs(), o), dareMerging(widened.inputs(), o)));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestDare)
#include "test_dare.moc"
