// Routing views over a hand-made capture: the mean routing per layer and
// expert, a single image's routing, and the first-choice matrix equal the
// shares counted by hand; the panels show exactly those matrices.

#include "common/error.h"
#include "models/routing_capture.h"
#include "panels/image_routing_panel.h"
#include "panels/routing_panel.h"
#include "plots/heatmap_widget.h"
#include "plots/qcustomplot_wrapper.h"

#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QListWidget>

#include <cmath>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

// Two tasks, two layers, two experts, four images (two per task).
//   image 0 (A): L0 [0.6, 0.4]  L1 [0.9, -0.2]
//   image 1 (A): L0 [0.3, 0.5]  L1 [0.8,  0.1]
//   image 2 (B): L0 [0.5, 0.5]  L1 [-0.1, 0.7]   (a tie at L0 goes to expert 0)
//   image 3 (B): L0 [0.2, 0.6]  L1 [0.4,  0.3]
// First choice, own expert: A/L0 {0 yes, 1 no} = 1/2; A/L1 {yes, yes} = 1;
// B/L0 {2 no, 3 yes} = 1/2; B/L1 {2 yes, 3 no} = 1/2.
RoutingCapture handMade()
{
    RoutingCapture capture;
    capture.tasks = QStringList{QStringLiteral("A"), QStringLiteral("B")};
    capture.layers = 2;
    capture.experts = 2;
    capture.weights = {0.6f, 0.4f, 0.9f,  -0.2f, 0.3f, 0.5f, 0.8f, 0.1f,
                       0.5f, 0.5f, -0.1f, 0.7f,  0.2f, 0.6f, 0.4f, 0.3f};
    capture.imageTask = {0, 0, 1, 1};
    capture.trueLabel = {0, 1, 0, 1};
    capture.predictedLabel = {0, 0, 0, 1};
    capture.classNames = {QStringList{QStringLiteral("cat"), QStringLiteral("dog")},
                          QStringList{QStringLiteral("x"), QStringLiteral("y")}};
    return capture;
}

void compareMatrix(const HeatMatrix &actual, int rows, int columns, const QVector<double> &expected)
{
    QCOMPARE(actual.rows, rows);
    QCOMPARE(actual.columns, columns);
    QCOMPARE(actual.values.size(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(actual.values[i] - expected[i]) < 1e-6,
                 qPrintable(QStringLiteral("entry %1: %2 vs %3").arg(i).arg(actual.values[i]).arg(expected[i])));
}

// The colour map holds each value minus the map's centre (0 unless set).
void compareBound(HeatmapWidget *widget, const HeatMatrix &expected, double centre = 0.0)
{
    QCPColorMapData *data = widget->colorMap()->data();
    QCOMPARE(data->valueSize(), expected.rows);
    QCOMPARE(data->keySize(), expected.columns);
    for (int r = 0; r < expected.rows; ++r) {
        for (int c = 0; c < expected.columns; ++c)
            QVERIFY(std::abs(data->cell(c, r) - (expected.at(r, c) - centre)) < 1e-12);
    }
}

// max |value − centre| over the finite entries, by hand.
double largestDeviation(const HeatMatrix &m, double centre)
{
    double extent = 0.0;
    for (const double v : m.values) {
        if (std::isfinite(v))
            extent = std::max(extent, std::abs(v - centre));
    }
    return extent;
}

} // namespace

class TestRoutingViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstChoiceShares()
    {
        const HeatMatrix shares = wemoe::ui::firstChoiceShares(handMade());
        compareMatrix(shares, 2, 2, {0.5, 1.0, 0.5, 0.5});
        QCOMPARE(shares.rowLabels, (QStringList{"A", "B"}));
        QCOMPARE(firstChoiceExpert(handMade(), 2, 0), 0); // the tie
    }

    void meanAndImageRouting()
    {
        compareMatrix(meanRouting(handMade(), 0), 2, 2, {0.45, 0.45, 0.85, -0.05});
        compareMatrix(meanRouting(handMade(), 1), 2, 2, {0.35, 0.55, 0.15, 0.5});
        compareMatrix(imageRouting(handMade(), 2), 2, 2, {0.5, 0.5, -0.1, 0.7});
        QCOMPARE(meanRouting(handMade(), 0).columnLabels, (QStringList{"A", "B"}));
    }

    void taskWithoutImages()
    {
        RoutingCapture capture = handMade();
        capture.tasks << QStringLiteral("C");
        capture.experts = 2; // C has no expert and no image
        const HeatMatrix shares = wemoe::ui::firstChoiceShares(capture);
        QCOMPARE(shares.rows, 3);
        QVERIFY(std::isnan(shares.at(2, 0)));
        QVERIFY(std::isnan(meanRouting(capture, 2).at(0, 0)));
    }

    void inconsistentCaptureIsAnError()
    {
        RoutingCapture capture = handMade();
        capture.weights.removeLast();
        QVERIFY_THROWS_EXCEPTION(Error, capture.validate());
        capture = handMade();
        capture.imageTask[3] = 5;
        QVERIFY_THROWS_EXCEPTION(Error, capture.validate());
        capture = handMade();
        capture.trueLabel.removeLast();
        QVERIFY_THROWS_EXCEPTION(Error, capture.validate());
        RoutingPanel panel;
        QVERIFY_THROWS_EXCEPTION(Error, panel.setCapture(capture));
        QVERIFY(!panel.layerHeatmap()->hasData()); // nothing changed
    }

    void routingPanel()
    {
        RoutingPanel panel;
        QVERIFY(!panel.layerHeatmap()->hasData());
        panel.setCapture(handMade());
        compareBound(panel.firstChoiceMap(), wemoe::ui::firstChoiceShares(handMade()));
        QCOMPARE(panel.firstChoiceMap()->colorRange().first, 0.0);
        QCOMPARE(panel.firstChoiceMap()->colorRange().second, 1.0);
        // By default the colours measure each weight from the routers' initial λ.
        QCOMPARE(panel.centreChoice()->currentIndex(), 0);
        const double lambda0 = handMade().initLambda;
        compareBound(panel.layerHeatmap(), meanRouting(handMade(), 0), lambda0);
        auto range = panel.layerHeatmap()->colorRange();
        QCOMPARE(range.first, -range.second);
        QVERIFY(std::abs(range.second - largestDeviation(meanRouting(handMade(), 0), lambda0)) < 1e-9);
        panel.selectTask(1);
        compareBound(panel.layerHeatmap(), meanRouting(handMade(), 1), lambda0);
        // Centred on 0: the values themselves, on ±the largest |value|.
        panel.selectTask(0);
        panel.centreChoice()->setCurrentIndex(1);
        compareBound(panel.layerHeatmap(), meanRouting(handMade(), 0));
        range = panel.layerHeatmap()->colorRange();
        QVERIFY(std::abs(range.second - 0.85) < 1e-6);
    }

    void imagePanel()
    {
        ImageRoutingPanel panel;
        panel.setCapture(handMade());
        QCOMPARE(panel.thumbnails()->count(), 2);
        QCOMPARE(panel.currentImage(), 0);
        QCOMPARE(panel.thumbnails()->item(0)->text(), QStringLiteral("cat / cat"));
        QCOMPARE(panel.thumbnails()->item(1)->text(), QStringLiteral("dog / cat"));
        QVERIFY(panel.thumbnails()->item(1)->foreground().color() != panel.thumbnails()->item(0)->foreground().color());
        panel.selectImage(3);
        QCOMPARE(panel.taskChoice()->currentIndex(), 1);
        QCOMPARE(panel.currentImage(), 3);
        // Counted within its task, not across the capture.
        const QVector<int> ofTask = handMade().imagesOfTask(1);
        QVERIFY2(panel.detailsText().startsWith(
                     QStringLiteral("Image %1 of %2 in task ").arg(ofTask.indexOf(3) + 1).arg(ofTask.size())),
                 qPrintable(panel.detailsText()));
        // Measured from λ₀, on one scale for all of the task's images.
        const RoutingCapture capture = handMade();
        compareBound(panel.heatmap(), imageRouting(capture, 3), capture.initLambda);
        double extent = 0.0;
        for (const int image : capture.imagesOfTask(1))
            extent = std::max(extent, largestDeviation(imageRouting(capture, image), capture.initLambda));
        QCOMPARE(panel.heatmap()->colorRange().second, extent);
    }
};

QTEST_MAIN(TestRoutingViews)
#include "test_routing_views.moc"
