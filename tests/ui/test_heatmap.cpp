// The heatmap widget binds its matrix cell by cell, centres a diverging
// colour scale on 0, labels rows and columns and reports the hovered cell.

#include "plots/heatmap_widget.h"
#include "plots/qcustomplot_wrapper.h"

#include <QtTest/QtTest>
#include <QtWidgets/QApplication>

#include <cmath>
#include <limits>

using namespace wemoe::ui;

namespace {

// 3 x 4, mixed signs; the largest magnitude, -1.3, is negative.
HeatMatrix handMade()
{
    HeatMatrix m(3, 4);
    const double values[3][4] = {{0.2, -0.4, 0.0, 1.1}, {-1.3, 0.5, 0.25, -0.05}, {0.9, 0.1, -0.6, 0.3}};
    for (int r = 0; r < 3; ++r) {
        for (int c = 0; c < 4; ++c)
            m.at(r, c) = values[r][c];
    }
    m.rowLabels = QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")};
    m.columnLabels = QStringList{QStringLiteral("mnist"), QStringLiteral("svhn"), QStringLiteral("dtd"),
                                 QStringLiteral("gtsrb")};
    m.rowTitle = QStringLiteral("layer");
    m.columnTitle = QStringLiteral("expert");
    m.valueTitle = QStringLiteral("weight");
    return m;
}

} // namespace

class TestHeatmap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cellsEqualTheMatrix()
    {
        HeatmapWidget widget;
        QVERIFY(!widget.hasData());
        const HeatMatrix m = handMade();
        widget.setMatrix(m);
        QVERIFY(widget.hasData());
        QCPColorMapData *data = widget.colorMap()->data();
        QCOMPARE(data->keySize(), 4);
        QCOMPARE(data->valueSize(), 3);
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 4; ++c)
                QCOMPARE(data->cell(c, r), m.at(r, c));
        }
        // Cell (c, r) is centred on the plot coordinates (c, r).
        int key = -1, value = -1;
        data->coordToCell(2.0, 1.0, &key, &value);
        QCOMPARE(key, 2);
        QCOMPARE(value, 1);
    }

    // Weights that all sit near λ₀ = 0.3 (the usual case early in adaptation)
    // must not render as one flat block: measured from λ₀, 0.29, 0.30 and 0.31
    // come out blue, white and red. Measured from 0 they would be one colour.
    void weightsNearTheInitialLambdaGetDistinctColours()
    {
        HeatMatrix m(1, 3);
        m.at(0, 0) = 0.29;
        m.at(0, 1) = 0.30;
        m.at(0, 2) = 0.31;
        HeatmapWidget widget;
        HeatmapWidget::Centre centre;
        centre.kind = HeatmapWidget::Centre::Kind::Value;
        centre.value = 0.3;
        centre.name = QStringLiteral("λ₀");
        widget.setCentre(centre);
        widget.setMatrix(m);
        const auto colourOf = [&](int column) {
            QCPColorGradient gradient = widget.colorMap()->gradient();
            return QColor::fromRgb(
                gradient.color(widget.colorMap()->data()->cell(column, 0), widget.colorMap()->dataRange()));
        };
        const auto distance = [](const QColor &a, const QColor &b) {
            return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
        };
        const QColor low = colourOf(0), mid = colourOf(1), high = colourOf(2);
        QVERIFY2(distance(low, mid) > 150 && distance(mid, high) > 150 && distance(low, high) > 150,
                 qPrintable(QStringLiteral("%1 %2 %3").arg(low.name(), mid.name(), high.name())));
        QVERIFY(low.blue() > low.red());   // below λ₀: blue
        QVERIFY(high.red() > high.blue()); // above: red
        QVERIFY(mid.lightnessF() > 0.9);   // at λ₀: white
        QVERIFY(std::abs(widget.colorRange().first + 0.01) < 1e-9);
        QVERIFY(std::abs(widget.colorRange().second - 0.01) < 1e-9);
        // The tooltip gives the value and its distance from the centre; the scale says what it measures.
        QVERIFY2(widget.cellToolTip(0, 2).contains(QStringLiteral("0.31 (+0.01 from the centre)")),
                 qPrintable(widget.cellToolTip(0, 2)));
        QVERIFY(widget.colorScale()->axis()->label().contains(QStringLiteral("λ₀")));

        // Centred on 0, the old default: all three nearly the same dark red.
        widget.setCentre(HeatmapWidget::Centre());
        QVERIFY(distance(colourOf(0), colourOf(2)) < 40);

        // Each row's mean: a row of 0.30s and one of 0.5/0.7 both show their spread.
        HeatMatrix rows(2, 2);
        rows.at(0, 0) = 0.29;
        rows.at(0, 1) = 0.31;
        rows.at(1, 0) = 0.5;
        rows.at(1, 1) = 0.7;
        HeatmapWidget::Centre rowMean;
        rowMean.kind = HeatmapWidget::Centre::Kind::RowMean;
        widget.setCentre(rowMean);
        widget.setMatrix(rows);
        QCOMPARE(widget.centreOf(0), 0.3);
        QCOMPARE(widget.centreOf(1), 0.6);
        QVERIFY(std::abs(widget.deviationExtent() - 0.1) < 1e-12);

        // A shared extent puts several maps on one scale.
        widget.setSharedExtent(0.5);
        QCOMPARE(widget.colorRange().second, 0.5);
    }

    void divergingRangeIsSymmetric()
    {
        HeatmapWidget widget;
        widget.setMatrix(handMade());
        const auto [lower, upper] = widget.colorRange();
        QCOMPARE(upper, 1.3);
        QCOMPARE(lower, -1.3);
        // (Near) white at 0, blue below, red above.
        QCPColorGradient gradient = widget.colorMap()->gradient();
        const QColor zero = QColor::fromRgb(gradient.color(0.0, QCPRange(lower, upper)));
        QVERIFY2(zero.red() > 0xf0 && zero.green() > 0xf0 && zero.blue() > 0xf0, qPrintable(zero.name()));
        QVERIFY(QColor::fromRgb(gradient.color(-1.0, QCPRange(lower, upper))).blue()
                > QColor::fromRgb(gradient.color(-1.0, QCPRange(lower, upper))).red());
        QVERIFY(QColor::fromRgb(gradient.color(1.0, QCPRange(lower, upper))).red()
                > QColor::fromRgb(gradient.color(1.0, QCPRange(lower, upper))).blue());

        HeatMatrix zeros(2, 2, 0.0);
        widget.setMatrix(zeros);
        QCOMPARE(widget.colorRange().first, -widget.colorRange().second);
        QVERIFY(widget.colorRange().second > 0.0);
    }

    void sequentialRange()
    {
        HeatmapWidget widget;
        HeatMatrix shares(2, 2);
        shares.values = {0.25, 0.5, 0.75, std::numeric_limits<double>::quiet_NaN()};
        widget.setMatrix(shares, HeatmapWidget::Scale::Sequential);
        QCOMPARE(widget.colorRange().first, 0.25);
        QCOMPARE(widget.colorRange().second, 0.75);
        widget.setFixedRange(0.0, 1.0);
        QCOMPARE(widget.colorRange().first, 0.0);
        QCOMPARE(widget.colorRange().second, 1.0);
        QVERIFY(std::isnan(widget.colorMap()->data()->cell(1, 1)));
    }

    void labelsAndHover()
    {
        HeatmapWidget widget;
        widget.resize(700, 500);
        widget.setMatrix(handMade());
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        QCustomPlot *plot = widget.plot();
        plot->replot();

        const auto ticker = plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        QCOMPARE(ticker->ticks().value(1.0), QStringLiteral("svhn"));
        QVERIFY(plot->yAxis->rangeReversed()); // row 0 on top

        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 4; ++c) {
                const QPoint centre(qRound(plot->xAxis->coordToPixel(c)), qRound(plot->yAxis->coordToPixel(r)));
                int row = -1, column = -1;
                QVERIFY(widget.cellAt(centre, &row, &column));
                QCOMPARE(row, r);
                QCOMPARE(column, c);
            }
        }
        const QPoint top(qRound(plot->xAxis->coordToPixel(0)), qRound(plot->yAxis->coordToPixel(0)));
        const QPoint bottom(qRound(plot->xAxis->coordToPixel(0)), qRound(plot->yAxis->coordToPixel(2)));
        QVERIFY(top.y() < bottom.y());
        int row = -1, column = -1;
        QVERIFY(!widget.cellAt(QPoint(1, 1), &row, &column)); // outside the axis rect
        QCOMPARE(widget.cellToolTip(1, 0), QStringLiteral("layer 1, expert mnist: -1.3"));
        QCOMPARE(widget.cellToolTip(1, 3), QStringLiteral("layer 1, expert gtsrb: -0.05"));
    }

    void singleRowAndCell()
    {
        HeatmapWidget widget;
        widget.resize(400, 300);
        HeatMatrix row(1, 3);
        row.values = {0.5, -0.25, 0.0};
        widget.setMatrix(row);
        QCOMPARE(widget.colorMap()->data()->keySize(), 3);
        QCOMPARE(widget.colorMap()->data()->valueSize(), 1);
        QCOMPARE(widget.colorMap()->data()->cell(1, 0), -0.25);
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        widget.plot()->replot();
        int r = -1, c = -1;
        const QPoint centre(qRound(widget.plot()->xAxis->coordToPixel(2)),
                            qRound(widget.plot()->yAxis->coordToPixel(0)));
        QVERIFY(widget.cellAt(centre, &r, &c));
        QCOMPARE(r, 0);
        QCOMPARE(c, 2);

        HeatMatrix cell(1, 1, -2.0);
        widget.setMatrix(cell);
        QCOMPARE(widget.colorMap()->data()->cell(0, 0), -2.0);
        QCOMPARE(widget.colorRange().first, -2.0);
        QCOMPARE(widget.colorRange().second, 2.0);
        widget.plot()->replot();
        // The single cell is drawn, in the darkest blue, across the middle of the plot.
        const QImage image = widget.plot()->grab().toImage();
        const QPoint middle = widget.plot()->axisRect()->center() * image.width() / widget.plot()->width();
        const QColor colour = image.pixelColor(middle);
        QVERIFY2(colour.blue() > colour.red() + 50, qPrintable(colour.name()));
    }

    // Numbers go into the cells only when a cell can hold one; the colours stay either way.
    void valuesOnlyWhereTheyFit()
    {
        HeatmapWidget widget;
        widget.setShowValues(true);
        widget.setMatrix(handMade());
        widget.resize(700, 500); // 4 columns of ~130 px, 3 rows of ~100 px
        widget.show();
        QVERIFY(QTest::qWaitForWindowExposed(&widget));
        widget.plot()->replot();
        QVERIFY(widget.valuesShown());
        QCOMPARE(widget.plot()->itemCount(), 12);

        HeatMatrix many(24, 60); // 60 experts in 300 px: 5 px a column
        many.rowLabels.clear();
        widget.setMatrix(many);
        widget.setMinimumSize(0, 0);
        widget.resize(300, 500);
        QApplication::processEvents();
        widget.plot()->replot();
        QVERIFY(!widget.valuesShown());
    }

    // More rows ask for more height: 24 layers are not squashed into the space of 3.
    void minimumHeightFollowsTheRows()
    {
        HeatmapWidget widget;
        widget.setMatrix(handMade());
        const int three = widget.minimumHeight();
        HeatMatrix deep(24, 4);
        widget.setMatrix(deep);
        const int twentyFour = widget.minimumHeight();
        QVERIFY2(twentyFour >= three + 21 * QFontMetrics(widget.plot()->yAxis->tickLabelFont()).height(),
                 qPrintable(QStringLiteral("%1 vs %2").arg(twentyFour).arg(three)));
    }

    void csv()
    {
        HeatmapWidget widget;
        widget.setMatrix(handMade());
        const QStringList lines = widget.dataCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), QStringLiteral("layer\\expert,mnist,svhn,dtd,gtsrb"));
        QCOMPARE(lines.at(2), QStringLiteral("1,-1.3,0.5,0.25,-0.05"));
    }
};

QTEST_MAIN(TestHeatmap)
#include "test_heatmap.moc"
