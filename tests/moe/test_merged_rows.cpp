// The per-sample weights our own merge loop forms, against the same sum
// worked out in float64 by tensor ops: every shape class the loop has (whole
// groups of 32 floats, a tail of single floats, one sample, many experts),
// outputs that are slices of a larger chunk, the layouts it must refuse, and
// mergeRows' tensor-op path for those.

#include "moe/merged_rows.h"

#include "wemoe_test_util.h"

#include <QtTest/QtTest>

#include <torch/torch.h>

using wemoe::mergeRows;
using wemoe::mergeRowsOnCpu;
using wemoe::test::scaledError;

namespace {

torch::Tensor reference(const torch::Tensor &routing, const torch::Tensor &base, const torch::Tensor &tasks)
{
    const auto r = routing.to(torch::kFloat64), b = base.to(torch::kFloat64), t = tasks.to(torch::kFloat64);
    return b.unsqueeze(0) + torch::einsum("bt,tri->bri", {r, t});
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
        const double error = scaledError(out, reference(routing, base, tasks));
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
        QVERIFY(scaledError(slice, reference(routing, base, tasks)) < 1e-6);
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

    // What the loop refuses, mergeRows still merges, with tensor ops: float64
    // here, with τ's experts at a stride and the output a slice, as the sparse
    // kernel passes them.
    void mergeRowsFallsBackToTensorOps()
    {
        torch::manual_seed(5);
        const auto options = torch::TensorOptions().dtype(torch::kFloat64);
        const auto routing = torch::rand({3, 4}, options);
        const auto base = torch::randn({2, 19}, options);
        const auto tasks = torch::randn({4, 6, 19}, options).narrow(1, 1, 2);
        auto chunk = torch::zeros({3, 5, 19}, options);
        auto slice = chunk.narrow(1, 2, 2);
        QVERIFY(!mergeRowsOnCpu(routing, base, tasks, slice));
        mergeRows(routing, base, tasks, slice);
        const double error = scaledError(slice, reference(routing, base, tasks));
        QVERIFY2(error < 1e-12, qPrintable(QString::number(error)));
        QCOMPARE(chunk.narrow(1, 0, 2).abs().sum().item<double>(), 0.0);
        QCOMPARE(chunk.narrow(1, 4, 1).abs().sum().item<double>(), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestMergedRows)
#include "test_merged_rows.moc"
