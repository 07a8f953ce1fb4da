// Every plot exports its picture (PNG, PDF, SVG) and its numbers (CSV).

#include "common/error.h"
#include "plots/heatmap_widget.h"
#include "plots/line_plot_widget.h"
#include "plots/loss_curve_plot.h"
#include "plots/qcustomplot_wrapper.h"
#include "plots/sweep_plot.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtTest/QtTest>
#include <QtWidgets/QToolButton>

#include <cmath>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

// Two tasks at λ = 0, 0.5, 1. Averages: 0.55, 0.75, 0.5 -> best at λ = 0.5.
SweepSeries handMadeSweep()
{
    SweepSeries sweep;
    sweep.method = QStringLiteral("task_arithmetic");
    sweep.label = QStringLiteral("task_arithmetic");
    sweep.tasks = QStringList{QStringLiteral("mnist"), QStringLiteral("dtd")};
    sweep.appendPoint(0.0, {0.6, 0.5});
    sweep.appendPoint(0.5, {0.9, 0.6});
    sweep.appendPoint(1.0, {0.7, 0.3});
    return sweep;
}

QByteArray read(const QString &file)
{
    QFile in(file);
    return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
}

void checkImages(PlotWidget &plot, const QDir &dir, const QString &base)
{
    const QString png = dir.filePath(base + QStringLiteral(".png"));
    const QString pdf = dir.filePath(base + QStringLiteral(".pdf"));
    const QString svg = dir.filePath(base + QStringLiteral(".svg"));
    plot.exportImage(png, 400, 300);
    plot.exportImage(pdf, 400, 300);
    plot.exportImage(svg, 400, 300);
    const QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(800, 600)); // written at twice the size, for sharp prints
    QVERIFY(read(pdf).startsWith("%PDF"));
    const QByteArray svgText = read(svg);
    QVERIFY(svgText.contains("<svg"));
    QVERIFY(svgText.size() > 1000);
}

} // namespace

class TestPlotExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sweepPlot()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SweepPlot plot;
        plot.setSweep(handMadeSweep());
        QCOMPARE(plot.series().size(), 3); // two tasks + average
        const QVector<double> average{55.0, 75.0, 50.0};
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(plot.series().last().y.at(i) - average[i]) < 1e-9);
        checkImages(plot, QDir(dir.path()), QStringLiteral("sweep"));
        const QString csv = QDir(dir.path()).filePath(QStringLiteral("sweep.csv"));
        plot.exportData(csv);
        QCOMPARE(QString::fromUtf8(read(csv)), QStringLiteral("lambda,mnist,dtd,average\n"
                                                              "0,60.00,50.00,55.00\n"
                                                              "0.5,90.00,60.00,75.00\n"
                                                              "1,70.00,30.00,50.00\n"));
        QCOMPARE(handMadeSweep().bestPoint(), 1);
    }

    void heatmap()
    {
        QTemporaryDir dir;
        HeatmapWidget plot;
        HeatMatrix m(2, 3);
        m.values = {-0.5, 0.0, 0.25, 1.0, -1.0, 0.5};
        m.columnLabels = QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
        m.rowLabels = QStringList{QStringLiteral("x"), QStringLiteral("y")};
        plot.setMatrix(m);
        checkImages(plot, QDir(dir.path()), QStringLiteral("heatmap"));
        const QString csv = QDir(dir.path()).filePath(QStringLiteral("heatmap.csv"));
        plot.exportData(csv);
        QCOMPARE(QString::fromUtf8(read(csv)), QStringLiteral(",a,b,c\nx,-0.5,0,0.25\ny,1,-1,0.5\n"));
    }

    void lossCurve()
    {
        QTemporaryDir dir;
        LossCurvePlot plot;
        AdaptationCurve curve;
        curve.steps = {0, 1, 2};
        curve.loss = {2.0, 1.5, 1.25};
        curve.tasks = QStringList{QStringLiteral("a")};
        curve.taskLoss = {{2.0, 1.5, 1.25}};
        plot.setCurve(curve);
        checkImages(plot, QDir(dir.path()), QStringLiteral("loss"));
        const QString csv = QDir(dir.path()).filePath(QStringLiteral("loss.csv"));
        plot.exportData(csv);
        QCOMPARE(QString::fromUtf8(read(csv)), QStringLiteral("step,loss,a\n0,2,2\n1,1.5,1.5\n2,1.25,1.25\n"));
    }

    // A plot to interrogate: a legend click hides a series and another shows
    // it again, log-y, integer steps, a read-out of the nearest point, and a
    // double-click back to all the data after zooming.
    void linePlotsCanBeInterrogated()
    {
        LossCurvePlot plot;
        AdaptationCurve curve;
        curve.steps = {0, 1, 2, 3};
        curve.loss = {100.0, 10.0, 1.0, 0.1};
        curve.tasks = QStringList{QStringLiteral("mnist"), QStringLiteral("deep_sky")};
        curve.taskLoss = {{60.0, 6.0, 0.6, 0.06}, {40.0, 4.0, 0.4, 0.04}};
        plot.setCurve(curve);
        plot.resize(800, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCustomPlot *p = plot.plot();
        p->replot();

        // Clicking the legend entry of "deep_sky" hides it; clicking again shows it.
        QCPAbstractLegendItem *entry = nullptr;
        for (int i = 0; i < p->legend->itemCount(); ++i) {
            auto *item = qobject_cast<QCPPlottableLegendItem *>(p->legend->item(i));
            if (item && item->plottable()->name() == QLatin1String("deep_sky"))
                entry = item;
        }
        QVERIFY(entry);
        const QPoint centre = entry->outerRect().center();
        QTest::mouseClick(p, Qt::LeftButton, Qt::NoModifier, centre);
        QVERIFY(!plot.isSeriesVisible(QStringLiteral("deep_sky")));
        QCPGraph *deepSky = nullptr;
        for (int g = 0; g < p->graphCount(); ++g) {
            if (p->graph(g)->name() == QLatin1String("deep_sky"))
                deepSky = p->graph(g);
        }
        QVERIFY(deepSky && !deepSky->visible());
        p->replot();
        QTest::mouseClick(p, Qt::LeftButton, Qt::NoModifier, centre);
        QVERIFY(plot.isSeriesVisible(QStringLiteral("deep_sky")));

        // Log y: the axis type changes and the range covers 0.04 .. 100.
        plot.setLogY(true);
        QCOMPARE(p->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(p->yAxis->range().lower > 0 && p->yAxis->range().lower < 0.04);
        QVERIFY(p->yAxis->range().upper > 100);

        // Steps are whole numbers: no tick at 1.5.
        p->replot();
        const QVector<double> ticks = p->xAxis->tickVector();
        QVERIFY(!ticks.isEmpty());
        for (const double tick : ticks)
            QCOMPARE(tick, std::round(tick));

        // The point under the mouse, by name and value.
        const QPoint onTotal(int(p->xAxis->coordToPixel(2.0)), int(p->yAxis->coordToPixel(1.0)));
        QVERIFY2(plot.readoutAt(onTotal).startsWith(QStringLiteral("total loss — step 2: 1")),
                 qPrintable(plot.readoutAt(onTotal)));

        // Zoomed in, a double-click shows all the data again.
        const QCPRange whole = p->xAxis->range();
        p->xAxis->setRange(1.0, 1.5);
        QTest::mouseDClick(p, Qt::LeftButton, Qt::NoModifier, p->axisRect()->center());
        QCOMPARE(p->xAxis->range().lower, whole.lower);
        QCOMPARE(p->xAxis->range().upper, whole.upper);
    }

    // The moving average, against values worked out by hand, and a raw export.
    // The marker's label reads away from the nearer edge of what is visible, also after a pan.
    void markerLabelStaysInView()
    {
        LinePlotWidget plot;
        LineSeries series;
        series.name = QStringLiteral("average");
        series.x = {0.0, 0.5, 1.0};
        series.y = {1.0, 2.0, 1.5};
        plot.setSeries({series}, QStringLiteral("λ"), QStringLiteral("accuracy"));
        plot.setMarker(0.9, QStringLiteral("best: 0.9"));
        const auto label = [&plot]() -> QCPItemText * {
            for (int i = 0; i < plot.plot()->itemCount(); ++i) {
                if (auto *text = qobject_cast<QCPItemText *>(plot.plot()->item(i)))
                    return text;
            }
            return nullptr;
        };
        QVERIFY(label());
        QVERIFY(label()->positionAlignment() & Qt::AlignRight); // near the right edge: reads leftwards
        plot.plot()->xAxis->setRange(0.8, 2.0);                 // panned: now near the left edge
        QVERIFY(label()->positionAlignment() & Qt::AlignLeft);
    }

    void lossCurvesSmooth()
    {
        QCOMPARE(LossCurvePlot::smoothed({4.0, 2.0, 1.0}, 0.0), (QVector<double>{4.0, 2.0, 1.0}));
        // weight 0.5: averages 2, 2, 1.5 over debias 0.5, 0.75, 0.875 -> 4, 8/3, 12/7.
        const QVector<double> s = LossCurvePlot::smoothed({4.0, 2.0, 1.0}, 0.5);
        QCOMPARE(s.size(), 3);
        QVERIFY(std::abs(s[0] - 4.0) < 1e-12);
        QVERIFY(std::abs(s[1] - 8.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(s[2] - 12.0 / 7.0) < 1e-12);

        LossCurvePlot plot;
        AdaptationCurve curve;
        curve.steps = {0, 1, 2};
        curve.loss = {4.0, 2.0, 1.0};
        curve.tasks = QStringList{QStringLiteral("a")};
        curve.taskLoss = {{4.0, 2.0, 1.0}};
        plot.setCurve(curve);
        plot.setSmoothing(0.5);
        QCOMPARE(plot.series().last().y, s);
        QCOMPARE(plot.dataCsv(), QStringLiteral("step,loss,a\n0,4,4\n1,2,2\n2,1,1\n")); // raw
    }

    // Beside a narrow plot the export buttons are icons (their words in the tooltip).
    void exportButtonsFitANarrowPlot()
    {
        QWidget panel;
        auto *plot = new SweepPlot(&panel);
        QWidget *buttons = plot->createExportButtons(&panel);
        const QList<QToolButton *> tools = buttons->findChildren<QToolButton *>();
        QCOMPARE(tools.size(), 2);
        panel.resize(1000, 900);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        plot->resize(900, 400);
        for (const QToolButton *tool : tools)
            QCOMPARE(tool->toolButtonStyle(), Qt::ToolButtonTextBesideIcon);
        plot->resize(300, 400);
        for (const QToolButton *tool : tools) {
            QCOMPARE(tool->toolButtonStyle(), Qt::ToolButtonIconOnly);
            QVERIFY(tool->toolTip().startsWith(tool->text()));
        }
    }

    void badExports()
    {
        QTemporaryDir dir;
        SweepPlot empty;
        QVERIFY_THROWS_EXCEPTION(Error, empty.exportImage(QDir(dir.path()).filePath(QStringLiteral("e.png"))));
        QVERIFY_THROWS_EXCEPTION(Error, empty.exportData(QDir(dir.path()).filePath(QStringLiteral("e.csv"))));
        SweepPlot plot;
        plot.setSweep(handMadeSweep());
        QVERIFY_THROWS_EXCEPTION(Error, plot.exportImage(QDir(dir.path()).filePath(QStringLiteral("plot.bmpx"))));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 plot.exportImage(QDir(dir.path()).filePath(QStringLiteral("missing/dir/plot.png"))));
        QVERIFY(!QFileInfo::exists(QDir(dir.path()).filePath(QStringLiteral("e.png"))));
    }
};

QTEST_MAIN(TestPlotExport)
#include "test_plot_export.moc"
