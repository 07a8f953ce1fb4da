// The collapse check of test-time adaptation: the top-class share of hand-made
// logits, and which tasks a window of steps reports.
#include "adapt/prediction_collapse.h"
#include "common/error.h"

#include <torch/torch.h>

#include <QtTest/QtTest>

#include <cmath>

using namespace wemoe;

namespace {

// Logits [B, C] whose argmax is the given class of every row.
torch::Tensor logitsPredicting(const std::vector<int64_t> &classes, int64_t classCount)
{
    torch::Tensor logits = torch::zeros({int64_t(classes.size()), classCount});
    for (size_t i = 0; i < classes.size(); ++i)
        logits[int64_t(i)][classes[i]] = 1.0;
    return logits;
}

AdaptationStep stepWithShares(int step, const QVector<double> &shares)
{
    AdaptationStep s;
    s.step = step;
    s.topClassShare = shares;
    s.taskEntropy = QVector<double>(shares.size(), 0.5);
    return s;
}

} // namespace

class TestPredictionCollapse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void topClassShareCountsTheMostFrequentPrediction()
    {
        // 8 images: class 2 five times, class 0 twice, class 1 once -> 5/8.
        QCOMPARE(topClassShare(logitsPredicting({2, 0, 2, 2, 1, 2, 0, 2}, 4)), 5.0 / 8.0);
        QCOMPARE(topClassShare(logitsPredicting({3, 3, 3, 3}, 5)), 1.0);
        QCOMPARE(topClassShare(logitsPredicting({0, 1, 2, 3}, 4)), 0.25);
        QVERIFY(std::isnan(topClassShare(logitsPredicting({1, 1, 1}, 3)))); // too few images to say
        QVERIFY_THROWS_EXCEPTION(Error, topClassShare(torch::zeros({4})));
    }

    void theLastWindowDecides()
    {
        PredictionCollapseMonitor monitor(3, 0.9);
        // Task 0 healthy throughout; task 1 collapses from step 3 on; task 2 was collapsed early, then recovered.
        monitor.add(stepWithShares(1, {0.3, 0.4, 1.0}));
        monitor.add(stepWithShares(2, {0.3, 0.5, 1.0}));
        monitor.add(stepWithShares(3, {0.2, 1.0, 0.4}));
        monitor.add(stepWithShares(4, {0.3, 1.0, 0.3}));
        monitor.add(stepWithShares(5, {0.4, 0.9375, 0.3}));
        QCOMPARE(monitor.recentShare(0), (0.2 + 0.3 + 0.4) / 3.0);
        QCOMPARE(monitor.recentShare(1), (1.0 + 1.0 + 0.9375) / 3.0);
        QCOMPARE(monitor.collapsedTasks(), QVector<int>{1});
        const QStringList lines = monitor.warnings(
            {QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")});
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(QLatin1String("'beta'")) && lines.first().contains(QLatin1String("98 %")),
                 qPrintable(lines.first()));
    }

    void unmeasuredStepsAreIgnored()
    {
        PredictionCollapseMonitor monitor(4, 0.9);
        const double nan = std::nan("");
        monitor.add(stepWithShares(1, {nan}));
        QVERIFY(std::isnan(monitor.recentShare(0)));
        QVERIFY(monitor.collapsedTasks().isEmpty());
        monitor.add(stepWithShares(2, {1.0}));
        QCOMPARE(monitor.collapsedTasks(), QVector<int>{0}); // the one measured step
        QVERIFY(PredictionCollapseMonitor().collapsedTasks().isEmpty());
        QVERIFY_THROWS_EXCEPTION(Error, PredictionCollapseMonitor(0, 0.9));
        QVERIFY_THROWS_EXCEPTION(Error, PredictionCollapseMonitor(5, 1.5));
    }
};

QTEST_GUILESS_MAIN(TestPredictionCollapse)
#include "test_prediction_collapse.moc"
