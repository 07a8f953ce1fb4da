// The per-sample weights our own merge loop forms, against the same sum
// worked out in float64 by tensor ops: every shape class the loop has (whole
// groups of 32 floats, a tail of single floats, one sample, many experts),
// outputs that are slices of a larger chunk, and the layouts it must refuse.

#include "moe/merged_rows.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using wemoe::mergeRowsOnCpu;

namespace {

torch::Tensor reference(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks)
{
    const auto r = routing.to(torch::kFloat64), b = base.to(torch::kFloat64), t = tasks.to(torch::kFloat64);
    return b.unsqueeze(0) + torch::einsum("bt,tri->bri", {r, t});
}

double maxRelativeError(const torch::Tensor &actual, const torch::Tensor &expected)
{
    const auto scale = expected.abs().max().item<double>();
    return (actual.to(torch::kFloat64) - expected).abs().max().item<double>() / std::max(scale, 1e-30);
}

} // namespace

class TestMergedRows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTheSum_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("experts");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("in");
        QTest::newRow("whole vectors") << 4 << 3 << 4 << 64;     // n = 256: groups of 32 only
        QTest::newRow("tail only") << 3 << 2 << 1 << 7;          // n = 7 < 32
        QTest::newRow("groups and a tail") << 5 << 8 << 3 << 45; // n = 135
        QTest::newRow("one sample") << 1 << 4 << 6 << 33;
        QTest::newRow("many experts") << 2 << 20 << 2 << 40;
        QTest::newRow("several blocks") << 2 << 3 << 9 << 130; // n = 1170 > the 512-float block
    }

    void matchesTheSum()
    {
        QFETCH(int, batch);
        QFETCH(int, experts);
        QFETCH(int, rows);
        QFETCH(int, in);
        torch::manual_seed(7);
        const auto routing = torch::rand({batch, experts});
        const auto base = torch::randn({rows, in});
        // τ's row block of a larger [T, out, in]: experts at stride out·in.
        const auto allTasks = torch::randn({experts, rows + 5, in});
        const auto tasks = allTasks.narrow(1, 2, rows);
        auto out = torch::full({batch, rows, in}, std::nanf(""));
        QVERIFY(mergeRowsOnCpu(routing, base, tasks, out));
        const double error = maxRelativeError(out, reference(routing, base, tasks));
        QVERIFY2(error < 1e-6, qPrintable(QString::number(error)));
    }

    void writesIntoASliceAndNothingElse()
    {
        torch::manual_seed(3);
        const auto routing = torch::rand({3, 4});
        const auto base = torch::randn({2, 40});
        const auto tasks = torch::randn({4, 2, 40});
        auto chunk = torch::zeros({3, 7, 40});
        auto slice = chunk.narrow(1, 3, 2); // samples 280 floats apart, each block contiguous
        QVERIFY(mergeRowsOnCpu(routing, base, tasks, slice));
        QVERIFY(maxRelativeError(slice, reference(routing, base, tasks)) < 1e-6);
        QCOMPARE(chunk.narrow(1, 0, 3).abs().sum().item<double>(), 0.0);
        QCOMPARE(chunk.narrow(1, 5, 2).abs().sum().item<double>(), 0.0);
    }

    void refusesWhatItDoesNotHandle()
    {
        const auto routing = torch::rand({2, 3});
        const auto base = torch::randn({4, 8});
        const auto tasks = torch::randn({3, 4, 8});
        auto out = torch::zeros({2, 4, 8});
        const auto untouched = out.clone();
        auto out64 = out.to(torch::kFloat64);
        QVERIFY(!mergeRowsOnCpu(routing.to(torch::kFloat64), base.to(torch::kFloat64), tasks.to(torch::kFloat64),
                                out64)); // float64
        QVERIFY(
            !mergeRowsOnCpu(routing, base, tasks.transpose(1, 2).contiguous().transpose(1, 2), out)); // strided rows
        QVERIFY(!mergeRowsOnCpu(routing, base.t().contiguous().t(), tasks, out)); // base not contiguous
        QVERIFY(!mergeRowsOnCpu(routing.narrow(1, 0, 2), base, tasks, out));      // experts disagree
        QVERIFY(!mergeRowsOnCpu(routing, base, tasks, out.narrow(2, 0, 4)));      // output shape
        QVERIFY(torch::equal(out, untouched));
    }
};

QTEST_GUILESS_MAIN(TestMergedRows)
#include "test_merged_rows.moc"
