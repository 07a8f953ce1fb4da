#include "common/error.h"
#include "merge/magnitude_threshold.h"
#include "merge/merge_methods.h"
#include "merge_fixture.h"
#include "naive_ties.h"
#include "test_support.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;
using wemoe::test::floats;
using wemoe::test::MergeFixture;

namespace {

// Three tasks on one 5-entry tensor, θ0 = [10, 20, 30, 40, 50]:
//   τ1 = [ 1, 2, -1,  3, -1]
//   τ2 = [-3, 4,  1, -1, -1]
//   τ3 = [ 1, 1,  0, -2, e4]
// Σ = [-1, 7, 0, 0, -3 or 3]; entries 2 and 3 have a zero elected sum, so they
// take the majority sign, the sign of (-1) + 1 + 0 + 0 + sign(Σ4).
MergeFixture electionFixture(float lastEntry)
{
    MergeFixture f(3);
    f.add("w", floats({10, 20, 30, 40, 50}),
          {floats({1, 2, -1, 3, lastEntry}), floats({-3, 4, 1, -1, lastEntry}), floats({1, 1, 0, -2, lastEntry})});
    return f;
}

TiesOptions keepAll(TiesMergeFunction f, double lambda)
{
    TiesOptions o;
    o.topK = 1.0;
    o.mergeFunction = f;
    o.scalingFactor = lambda;
    return o;
}

// Random multi-tensor models; grid values make ties and zero sums common.
MergeFixture randomFixture(int tasks, bool grid, std::uint64_t seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    const std::vector<std::pair<std::string, std::vector<int64_t>>> shapes = {
        {"blocks.0.bias", {7}}, {"blocks.0.weight", {5, 7}}, {"blocks.1.weight", {3, 2, 4}},
        {"embedding", {11}},    {"head.weight", {6, 9}},     {"scalar", {}}};
    MergeFixture f(tasks);
    for (const auto &[name, shape] : shapes) {
        const auto draw = [&] {
            return grid ? wemoe::test::gridValues(shape, generator) : torch::randn(shape, generator, torch::kFloat32);
        };
        std::vector<torch::Tensor> taus;
        for (int t = 0; t < tasks; ++t)
            taus.push_back(draw());
        f.add(name, draw(), taus);
    }
    return f;
}

QString compare(const TensorMap &actual, const TensorMap &expected, double atol)
{
    if (actual.size() != expected.size())
        return QStringLiteral("%1 tensors instead of %2").arg(actual.size()).arg(expected.size());
    for (const auto &[name, tensor] : expected) {
        const auto found = actual.find(name);
        if (found == actual.end())
            return QStringLiteral("missing %1").arg(QString::fromStdString(name));
        const QString mismatch = wemoe::test::describeMismatch(found->second, tensor, 0.0, atol);
        if (!mismatch.isEmpty())
            return QString::fromStdString(name) + QStringLiteral(": ") + mismatch;
    }
    return {};
}

} // namespace

class TestTies : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signElectionWithSum()
    {
        const auto f = electionFixture(-1);
        const auto out = tiesMerging(f.inputs(), keepAll(TiesMergeFunction::Sum, 0.5));
        // Signs: Σ = [-1, 7, 0, 0, -3] → [-, +, 0, 0, -]; Σ signs = -1 → majority '-'.
        // Agreeing entries: e0 {-3}, e1 {2,4,1}, e2 {-1}, e3 {-1,-2}, e4 {-1,-1,-1}
        // sums [-3, 7, -1, -3, -3]; θ = θ0 + 0.5·sums.
        QVERIFY(torch::equal(out.at("w"), floats({8.5, 23.5, 29.5, 38.5, 48.5})));
        // Task arithmetic would give θ0 + 0.5·Σ = [9.5, 23.5, 30, 40, 48.5]: the
        // disagreeing entry 0 and the zero-sum entries 2 and 3 differ.
        QVERIFY(torch::equal(taskArithmetic(f.inputs(), 0.5).at("w"), floats({9.5, 23.5, 30, 40, 48.5})));
    }

    void zeroSumTakesMajoritySign()
    {
        // Same as above with e4 = +1 for every task: Σ4 = 3, so Σ signs = -1 + 1 + 1 = +1,
        // majority '+'. Agreeing entries: e2 {+1 (τ2)}, e3 {+3 (τ1)}, e4 {1,1,1}.
        // sums [-3, 7, 1, 3, 3] → θ = θ0 + 0.5·sums.
        const auto f = electionFixture(1);
        const auto out = tiesMerging(f.inputs(), keepAll(TiesMergeFunction::Sum, 0.5));
        QVERIFY(torch::equal(out.at("w"), floats({8.5, 23.5, 30.5, 41.5, 51.5})));
    }

    void disjointMean()
    {
        // Means of the agreeing entries of signElectionWithSum: [-3, 7/3, -1, -1.5, -1].
        const auto f = electionFixture(-1);
        const auto out = tiesMerging(f.inputs(), keepAll(TiesMergeFunction::Mean, 0.5));
        const auto expected = floats({8.5, 20.0f + 7.0f / 6.0f, 29.5, 39.25, 49.5});
        QVERIFY2(torch::allclose(out.at("w"), expected, 0, 1e-5),
                 qPrintable(wemoe::test::describeMismatch(out.at("w"), expected, 0, 1e-5)));
    }

    void disjointMax()
    {
        // Largest agreeing magnitude times the elected sign: [-3, 4, -1, -2, -1].
        const auto f = electionFixture(-1);
        const auto out = tiesMerging(f.inputs(), keepAll(TiesMergeFunction::Max, 0.5));
        QVERIFY(torch::equal(out.at("w"), floats({8.5, 22, 29.5, 39, 49.5})));
    }

    void wholeVectorVersusPerTensorTopK()
    {
        // One task, θ0 = 0, λ = 1, so θ = the trimmed task vector.
        // a = [10, -9, 8, 7], b = [1, -2, 0.5, 3], k = 50 %.
        MergeFixture f(1);
        f.add("a", torch::zeros({4}), {floats({10, -9, 8, 7})});
        f.add("b", torch::zeros({4}), {floats({1, -2, 0.5, 3})});
        TiesOptions o;
        o.topK = 0.5;
        o.scalingFactor = 1.0;
        // Whole vector: d = 8, keep int(8·0.5) = 4, threshold = 4th smallest of
        // {0.5, 1, 2, 3, 7, 8, 9, 10} = 3, keep |τ| >= 3.
        auto out = tiesMerging(f.inputs(), o);
        QVERIFY(torch::equal(out.at("a"), floats({10, -9, 8, 7})));
        QVERIFY(torch::equal(out.at("b"), floats({0, 0, 0, 3})));
        // Per tensor: keep 2 of 4, threshold = 2nd smallest: a → 8, b → 1.
        o.perTensorTopK = true;
        out = tiesMerging(f.inputs(), o);
        QVERIFY(torch::equal(out.at("a"), floats({10, -9, 8, 0})));
        QVERIFY(torch::equal(out.at("b"), floats({1, -2, 0, 3})));
    }

    void tiesAtTheThresholdAreAllKept()
    {
        // d = 5, k = 20 %: keep int(5·0.2) = 1, threshold = 4th smallest of
        // {1, 2, 2, 2, 5} = 2, and all three entries of magnitude 2 stay.
        MergeFixture f(1);
        f.add("w", torch::zeros({5}), {floats({1, 2, -2, 2, 5})});
        TiesOptions o;
        o.scalingFactor = 1.0;
        const auto out = tiesMerging(f.inputs(), o);
        QVERIFY(torch::equal(out.at("w"), floats({0, 2, -2, 2, 5})));
    }

    void topKAtLeastOneKeepsEverything()
    {
        const auto f = electionFixture(-1);
        for (const double k : {1.0, 2.0}) {
            auto o = keepAll(TiesMergeFunction::Sum, 0.5);
            o.topK = k;
            QVERIFY(torch::equal(tiesMerging(f.inputs(), o).at("w"), floats({8.5, 23.5, 29.5, 38.5, 48.5})));
        }
    }

    void badTopKIsAnError()
    {
        const auto f = electionFixture(-1);
        for (const double k : {0.0, -0.1, std::nan("")}) {
            TiesOptions o;
            o.topK = k;
            QVERIFY_THROWS_EXCEPTION(Error, tiesMerging(f.inputs(), o));
        }
    }

    void streamingMatchesNaive_data()
    {
        QTest::addColumn<bool>("grid");
        QTest::addColumn<double>("topK");
        QTest::addColumn<int>("function");
        QTest::addColumn<bool>("perTensor");
        QTest::addColumn<int>("tasks");
        const QList<double> ks = {0.05, 0.2, 0.5, 0.9};
        int seed = 0;
        for (const bool grid : {true, false}) {
            for (const double k : ks) {
                for (const int function : {0, 1, 2}) {
                    for (const bool perTensor : {false, true}) {
                        const int tasks = 1 + (seed++ % 4);
                        QTest::addRow("%s k=%g %s %s T=%d", grid ? "grid" : "normal", k,
                                      qPrintable(tiesMergeFunctionName(static_cast<TiesMergeFunction>(function))),
                                      perTensor ? "per-tensor" : "whole", tasks)
                            << grid << k << function << perTensor << tasks;
                    }
                }
            }
        }
    }

    void streamingMatchesNaive()
    {
        QFETCH(bool, grid);
        QFETCH(double, topK);
        QFETCH(int, function);
        QFETCH(bool, perTensor);
        QFETCH(int, tasks);
        const auto f = randomFixture(tasks, grid, static_cast<std::uint64_t>(topK * 1000) + function * 7 + tasks);
        TiesOptions o;
        o.topK = topK;
        o.mergeFunction = static_cast<TiesMergeFunction>(function);
        o.perTensorTopK = perTensor;
        const auto actual = tiesMerging(f.inputs(), o);
        const auto expected = wemoe::test::naiveTies(f.pretrained, f.tasks, o);
        // Grid values make every sum exact, so the two must agree bitwise; with
        // normal values only the summation order may differ.
        const QString mismatch = compare(actual, expected, grid ? 0.0 : 1e-6);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
    }

    void thresholdSelectMatchesKthvalue()
    {
        auto generator = at::detail::createCPUGenerator(42);
        for (int trial = 0; trial < 40; ++trial) {
            // Pieces of a vector with zeros, repeated values, subnormals and wide magnitudes.
            std::vector<torch::Tensor> pieces;
            const int pieceCount = 1 + trial % 5;
            for (int p = 0; p < pieceCount; ++p) {
                const int64_t n = 1 + (trial * 37 + p * 101) % 300;
                auto values = torch::randn({n}, generator, torch::kFloat32);
                switch ((trial + p) % 4) {
                case 0: values = values.mul_(1e-3).round_().mul_(0.5); break; // mostly zeros and ±0.5
                case 1: values = values.mul_(1e-40); break;                   // subnormals
                case 2: values = values.mul_(std::pow(10.0, (trial % 9) - 4)); break;
                default: break;
                }
                pieces.push_back(values.reshape({n}));
            }
            const auto all = torch::cat(pieces).abs();
            const int64_t d = all.numel();
            for (const int64_t rank : {int64_t(1), d, 1 + (trial * 13) % d, (d + 1) / 2}) {
                MagnitudeThreshold select(rank);
                for (int pass = 0; pass < MagnitudeThreshold::kPasses; ++pass) {
                    for (const auto &piece : pieces)
                        select.add(piece);
                    select.finishPass();
                }
                const float expected = std::get<0>(all.kthvalue(rank)).item<float>();
                QCOMPARE(select.value(), expected);
            }
        }
    }

    void thresholdSelectRejectsAnOutOfRangeRank()
    {
        MagnitudeThreshold select(5);
        select.add(floats({1, 2, 3}));
        QVERIFY_THROWS_EXCEPTION(Error, select.finishPass());
        QVERIFY_THROWS_EXCEPTION(Error, MagnitudeThreshold(0));
    }

    void progressCountsEveryPass()
    {
        // Whole-vector top-k: 2 threshold passes + 1 election pass over the 6
        // floating tensors, then the merge pass over all 7 tensors of θ0.
        auto f = randomFixture(2, true, 3);
        f.pretrained["position_ids"] = torch::arange(4);
        std::vector<std::pair<qint64, qint64>> calls;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) { calls.emplace_back(done, total); };
        tiesMerging(f.inputs(), {}, context);
        QCOMPARE(calls.size(), std::size_t(3 * 6 + 7));
        for (std::size_t i = 0; i < calls.size(); ++i) {
            QCOMPARE(calls[i].first, qint64(i + 1));
            QCOMPARE(calls[i].second, qint64(3 * 6 + 7));
        }
    }

    void cancelledBetweenPasses()
    {
        const auto f = randomFixture(2, true, 4);
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        int calls = 0;
        context.onProgress = [&](qint64 done, qint64, const QString &) {
            ++calls;
            if (done == 8) // in the second threshold pass
                cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, tiesMerging(f.inputs(), {}, context));
        QCOMPARE(calls, 8);
    }

    void halfPrecisionInputsMatchTheirFloatConversion()
    {
        const auto f = randomFixture(3, false, 5);
        for (const auto dtype : {torch::kBFloat16, torch::kFloat16}) {
            const auto low = f.convertedTo(dtype);
            const auto widened = low.convertedTo(torch::kFloat32);
            for (const bool perTensor : {false, true}) {
                TiesOptions o;
                o.perTensorTopK = perTensor;
                const QString mismatch = compare(tiesMerging(low.inputs(), o), tiesMerging(widened.inputs(), o), 0.0);
                QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
            }
        }
    }

    void mergeFunctionNames()
    {
        QCOMPARE(tiesMergeFunctionName(TiesMergeFunction::Sum), QStringLiteral("sum"));
        QCOMPARE(tiesMergeFunctionName(TiesMergeFunction::Mean), QStringLiteral("mean"));
        QCOMPARE(tiesMergeFunctionName(TiesMergeFunction::Max), QStringLiteral("max"));
        QCOMPARE(parseTiesMergeFunction(QStringLiteral(" Mean ")), TiesMergeFunction::Mean);
        QCOMPARE(parseTiesMergeFunction(QStringLiteral("max")), TiesMergeFunction::Max);
        try {
            parseTiesMergeFunction(QStringLiteral("median"));
            QFAIL("no error for an unknown merge function");
        } catch (const Error &e) {
            QVERIFY(e.message().contains(QStringLiteral("median")));
            QVERIFY(e.message().contains(QStringLiteral("sum, mean, max")));
        }
    }
};

QTEST_APPLESS_MAIN(TestTies)
#include "test_ties.moc"
