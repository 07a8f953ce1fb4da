// Plots to compare: several adaptation runs overlaid on one loss plot and
// several λ sweeps on one axis, picked in the panels' run pickers; the picks
// survive new runs arriving; the CSV of an overlay holds every shown run's rows.
// Every expected number below is written out by hand from the small curves.

#include "models/run_selection.h"
#include "panels/routing_panel.h"
#include "panels/run_picker.h"
#include "panels/sweep_panel.h"
#include "plots/loss_curve_plot.h"
#include "plots/qcustomplot_wrapper.h"
#include "plots/sweep_plot.h"

#include <QtTest/QtTest>
#include <QtWidgets/QMenu>

using namespace wemoe::ui;

namespace {

// Three steps, two tasks.
AdaptationCurve wemoeRun()
{
    AdaptationCurve curve;
    curve.method = QStringLiteral("WEMoE");
    curve.steps = {1, 2, 3};
    curve.loss = {3.0, 2.0, 1.5};
    curve.tasks = QStringList{QStringLiteral("mnist"), QStringLiteral("dtd")};
    curve.taskLoss = {{1.0, 0.5, 0.25}, {2.0, 1.5, 1.25}};
    return curve;
}

// Two steps, no per-task losses.
AdaptationCurve adaMergingRun()
{
    AdaptationCurve curve;
    curve.method = QStringLiteral("AdaMerging");
    curve.steps = {1, 2};
    curve.loss = {4.0, 2.5};
    return curve;
}

// Averages 55, 75, 50 (%).
SweepSeries taskArithmeticSweep()
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

// Averages 60, 80 (%).
SweepSeries tiesSweep()
{
    SweepSeries sweep;
    sweep.method = QStringLiteral("ties");
    sweep.label = QStringLiteral("ties (k=20%, sum)");
    sweep.tasks = QStringList{QStringLiteral("mnist"), QStringLiteral("dtd")};
    sweep.appendPoint(0.2, {0.8, 0.4});
    sweep.appendPoint(0.6, {0.9, 0.7});
    return sweep;
}

QStringList graphNames(const QCustomPlot *plot)
{
    QStringList names;
    for (int g = 0; g < plot->graphCount(); ++g)
        names << plot->graph(g)->name();
    return names;
}

QStringList legendNames(const QCustomPlot *plot)
{
    QStringList names;
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            names << item->plottable()->name();
    }
    return names;
}

QVector<double> keys(const QCPGraph *graph)
{
    QVector<double> values;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        values << it->key;
    return values;
}

QVector<double> values(const QCPGraph *graph)
{
    QVector<double> out;
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        out << it->value;
    return out;
}

} // namespace

class TestPlotOverlay : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void overlayingTwoRunsShowsBoth()
    {
        LossCurvePlot plot;
        plot.setCurves({wemoeRun(), adaMergingRun()});
        const QCustomPlot *p = plot.plot();
        // One line per run, its total loss; no per-task lines.
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging")}));
        QCOMPARE(keys(p->graph(0)), (QVector<double>{1, 2, 3}));
        QCOMPARE(values(p->graph(0)), (QVector<double>{3.0, 2.0, 1.5}));
        QCOMPARE(keys(p->graph(1)), (QVector<double>{1, 2}));
        QCOMPARE(values(p->graph(1)), (QVector<double>{4.0, 2.5}));
        QVERIFY(p->legend->visible());
        QCOMPARE(legendNames(p), (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging")}));
        QVERIFY(p->graph(0)->pen().color() != p->graph(1)->pen().color());

        // The smoothing applies to every run: weight 0.5 on 4, 2.5 -> 2/0.5 = 4, 2.25/0.75 = 3.
        plot.setSmoothing(0.5);
        QCOMPARE(plot.series().at(1).y, (QVector<double>{4.0, 3.0}));

        // One run is the detailed view: each task thin, the total thick.
        plot.setCurves({wemoeRun()});
        QCOMPARE(graphNames(p),
                 (QStringList{QStringLiteral("mnist"), QStringLiteral("dtd"), QStringLiteral("total loss")}));
    }

    void runsKeepTheirColoursAndNamesApart()
    {
        LossCurvePlot plot;
        plot.setCurves({wemoeRun(), wemoeRun()}, {2, 5});
        const QCustomPlot *p = plot.plot();
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("WEMoE"), QStringLiteral("WEMoE (2)")}));
        QCOMPARE(p->graph(0)->pen().color(), LinePlotWidget::seriesColor(2));
        QCOMPARE(p->graph(1)->pen().color(), LinePlotWidget::seriesColor(5));
        QCOMPARE(
            distinctRunNames({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("a")}),
            (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("a (2)"), QStringLiteral("a (3)")}));
    }

    // A legend click hides a run and the read-out names the run under the mouse.
    void overlaidRunsCanBeInterrogated()
    {
        LossCurvePlot plot;
        plot.setCurves({wemoeRun(), adaMergingRun()});
        plot.resize(800, 500);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCustomPlot *p = plot.plot();
        p->replot();
        QCPAbstractLegendItem *entry = nullptr;
        for (int i = 0; i < p->legend->itemCount(); ++i) {
            auto *item = qobject_cast<QCPPlottableLegendItem *>(p->legend->item(i));
            if (item && item->plottable()->name() == QLatin1String("AdaMerging"))
                entry = item;
        }
        QVERIFY(entry);
        const QPoint centre = entry->outerRect().center();
        QTest::mouseClick(p, Qt::LeftButton, Qt::NoModifier, centre);
        QVERIFY(!plot.isSeriesVisible(QStringLiteral("AdaMerging")));
        QVERIFY(!p->graph(1)->visible());
        p->replot();
        QTest::mouseClick(p, Qt::LeftButton, Qt::NoModifier, centre);
        QVERIFY(p->graph(1)->visible());

        const QPoint onWemoe(int(p->xAxis->coordToPixel(3.0)), int(p->yAxis->coordToPixel(1.5)));
        QCOMPARE(plot.readoutAt(onWemoe), QStringLiteral("WEMoE — step 3: 1.5"));
    }

    // Long ("tidy") CSV: one row per run and step, raw values, per-task columns
    // left empty for a run that has none.
    void csvOfTwoRunsHoldsBoth()
    {
        LossCurvePlot plot;
        plot.setCurves({wemoeRun(), adaMergingRun()});
        plot.setSmoothing(0.9); // the export stays raw
        QCOMPARE(plot.dataCsv(), QStringLiteral("run,step,loss,mnist,dtd\n"
                                                "WEMoE,1,3,1,2\n"
                                                "WEMoE,2,2,0.5,1.5\n"
                                                "WEMoE,3,1.5,0.25,1.25\n"
                                                "AdaMerging,1,4,,\n"
                                                "AdaMerging,2,2.5,,\n"));
        // One run keeps its own CSV.
        plot.setCurves({wemoeRun()});
        QCOMPARE(plot.dataCsv(), QStringLiteral("step,loss,mnist,dtd\n1,3,1,2\n2,2,0.5,1.5\n3,1.5,0.25,1.25\n"));
    }

    // The picker: the newest run alone and followed; the user's checks change
    // the plot and stay while runs grow and new ones arrive.
    void pickingRunsInTheRoutingPanel()
    {
        RoutingPanel panel;
        RunPicker *runs = panel.runPicker();
        const QCustomPlot *p = panel.lossPlot()->plot();
        panel.setAdaptationCurves({wemoeRun()});
        QCOMPARE(runs->runNames(), QStringList{QStringLiteral("WEMoE")});
        QCOMPARE(runs->checkedRuns(), QVector<int>{0});
        QCOMPARE(p->graphCount(), 3); // two tasks + total

        panel.setAdaptationCurves({wemoeRun(), adaMergingRun()});
        QCOMPARE(runs->checkedRuns(), QVector<int>{1}); // the newest, followed
        QCOMPARE(panel.lossPlot()->curve().method, QStringLiteral("AdaMerging"));
        QCOMPARE(runs->text(), QStringLiteral("Runs (1 of 2)"));

        runs->setRunChecked(0, true);
        QCOMPARE(runs->checkedRuns(), (QVector<int>{0, 1}));
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging")}));
        QCOMPARE(values(p->graph(0)), (QVector<double>{3.0, 2.0, 1.5}));
        QCOMPARE(values(p->graph(1)), (QVector<double>{4.0, 2.5}));
        QCOMPARE(runs->text(), QStringLiteral("Runs (2 of 2)"));

        // The newest grows: both stay, its line gets the new step.
        AdaptationCurve grown = adaMergingRun();
        grown.steps << 3;
        grown.loss << 2.0;
        panel.setAdaptationCurves({wemoeRun(), grown});
        QCOMPARE(runs->checkedRuns(), (QVector<int>{0, 1}));
        QCOMPARE(values(p->graph(1)), (QVector<double>{4.0, 2.5, 2.0}));

        // A new run starts: the newest was checked, so the new one joins.
        AdaptationCurve third = wemoeRun();
        third.loss = {2.5, 1.0, 0.5};
        panel.setAdaptationCurves({wemoeRun(), grown, third});
        QCOMPARE(runs->checkedRuns(), (QVector<int>{0, 1, 2}));
        QCOMPARE(runs->runNames(),
                 (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging"), QStringLiteral("WEMoE (2)")}));
        QCOMPARE(graphNames(p),
                 (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging"), QStringLiteral("WEMoE (2)")}));
        QCOMPARE(values(p->graph(2)), (QVector<double>{2.5, 1.0, 0.5}));
        QCOMPARE(p->graph(2)->pen().color(), LinePlotWidget::seriesColor(2));

        // Unchecked from the menu (as a click does): it leaves the plot, and the
        // next new run is not added (the newest is no longer followed).
        QList<QAction *> actions = runs->runMenu()->actions();
        QVERIFY(actions.at(2)->isCheckable() && actions.at(2)->isChecked());
        actions.at(2)->trigger();
        QCOMPARE(runs->checkedRuns(), (QVector<int>{0, 1}));
        QCOMPARE(p->graphCount(), 2);
        panel.setAdaptationCurves({wemoeRun(), grown, third, adaMergingRun()});
        QCOMPARE(runs->checkedRuns(), (QVector<int>{0, 1}));
        QCOMPARE(runs->text(), QStringLiteral("Runs (2 of 4)"));
        actions = runs->runMenu()->actions();
        QCOMPARE(actions.at(3)->text(), QStringLiteral("AdaMerging (2)"));
        QVERIFY(!actions.at(3)->isChecked());
        actions.at(3)->trigger();
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("WEMoE"), QStringLiteral("AdaMerging"),
                                             QStringLiteral("AdaMerging (2)")}));

        // Results cleared: back to nothing, then the newest alone again.
        panel.setAdaptationCurves({});
        QVERIFY(runs->checkedRuns().isEmpty());
        QVERIFY(!panel.lossPlot()->hasData());
        panel.setAdaptationCurves({adaMergingRun(), wemoeRun()});
        QCOMPARE(runs->checkedRuns(), QVector<int>{1});
    }

    // How the checks follow the controllers' updates (see RunSelection).
    void checksFollowRenamesAndReplacements()
    {
        RunSelection runs;
        runs.setRuns({QStringLiteral("A"), QStringLiteral("B")});
        runs.setChecked(0, true);
        runs.setChecked(1, false);
        QCOMPARE(runs.checked(), QVector<int>{0});
        // A new run "W" starts: not followed, the newest was unchecked.
        runs.setRuns({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("W")});
        QCOMPARE(runs.checked(), QVector<int>{0});
        // W finishes as "B" and replaces the earlier B: A stays checked at 0.
        runs.setRuns({QStringLiteral("A"), QStringLiteral("B")});
        QCOMPARE(runs.checked(), QVector<int>{0});

        // A replaced run hands its check to the run replacing it.
        runs.setChecked(0, true);
        runs.setChecked(1, false);
        runs.setRuns({QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("W")});
        runs.setRuns({QStringLiteral("B"), QStringLiteral("A")}); // W finished as "A"
        QCOMPARE(runs.checked(), QVector<int>{1});

        // Several earlier partial runs of one sweep replaced at once.
        RunSelection sweeps;
        sweeps.setRuns({QStringLiteral("P"), QStringLiteral("Q"), QStringLiteral("P"), QStringLiteral("P")});
        sweeps.setChecked(1, true); // Q and the growing P
        sweeps.setRuns({QStringLiteral("Q"), QStringLiteral("P")});
        QCOMPARE(sweeps.checked(), (QVector<int>{0, 1}));

        // A stopped run is renamed in place: its check stays.
        sweeps.setRuns({QStringLiteral("Q"), QStringLiteral("P (stopped at step 3)")});
        QCOMPARE(sweeps.checked(), (QVector<int>{0, 1}));

        // Another session: the newest alone, followed again.
        sweeps.setRuns({QStringLiteral("X"), QStringLiteral("Y")});
        QCOMPARE(sweeps.checked(), QVector<int>{1});
        sweeps.setRuns({QStringLiteral("X"), QStringLiteral("Y"), QStringLiteral("Z")});
        QCOMPARE(sweeps.checked(), QVector<int>{2});
        sweeps.checkAll();
        QCOMPARE(sweeps.checked(), (QVector<int>{0, 1, 2}));
        sweeps.checkNewestOnly();
        QCOMPARE(sweeps.checked(), QVector<int>{2});
    }

    void twoSweepsOnOneAxis()
    {
        SweepPlot plot;
        plot.setSweeps({taskArithmeticSweep(), tiesSweep()});
        const QCustomPlot *p = plot.plot();
        // Each sweep's average, named by its label.
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("task_arithmetic"), QStringLiteral("ties (k=20%, sum)")}));
        QCOMPARE(legendNames(p), graphNames(p));
        QCOMPARE(keys(p->graph(0)), (QVector<double>{0.0, 0.5, 1.0}));
        const QVector<double> average0 = values(p->graph(0));
        const QVector<double> expected0{55.0, 75.0, 50.0};
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::abs(average0.at(i) - expected0.at(i)) < 1e-9);
        QCOMPARE(keys(p->graph(1)), (QVector<double>{0.2, 0.6}));
        const QVector<double> average1 = values(p->graph(1));
        QVERIFY(std::abs(average1.at(0) - 60.0) < 1e-9 && std::abs(average1.at(1) - 80.0) < 1e-9);
        QVERIFY(p->graph(0)->pen().color() != p->graph(1)->pen().color());
        QCOMPARE(p->itemCount(), 0); // no single "best λ" marker

        QCOMPARE(plot.dataCsv(), QStringLiteral("sweep,lambda,mnist,dtd,average\n"
                                                "task_arithmetic,0,60.00,50.00,55.00\n"
                                                "task_arithmetic,0.5,90.00,60.00,75.00\n"
                                                "task_arithmetic,1,70.00,30.00,50.00\n"
                                                "\"ties (k=20%, sum)\",0.2,80.00,40.00,60.00\n"
                                                "\"ties (k=20%, sum)\",0.6,90.00,70.00,80.00\n"));

        // One sweep: each task, the average and the marker, as before.
        plot.setSweeps({tiesSweep()});
        QCOMPARE(p->graphCount(), 3);
        QVERIFY(p->itemCount() > 0);
    }

    void pickingSweepsInTheSweepPanel()
    {
        SweepPanel panel;
        RunPicker *picker = panel.sweepPicker();
        const QCustomPlot *p = panel.plot()->plot();
        panel.setSweeps({taskArithmeticSweep()});
        QCOMPARE(p->graphCount(), 3);
        SweepSeries growing = tiesSweep();
        growing.lambdas.removeLast();
        growing.accuracy.removeLast();
        panel.setSweeps({taskArithmeticSweep(), growing});
        QCOMPARE(picker->checkedRuns(), QVector<int>{1}); // the newest, while it is measured
        picker->setRunChecked(0, true);
        QCOMPARE(graphNames(p), (QStringList{QStringLiteral("task_arithmetic"), QStringLiteral("ties (k=20%, sum)")}));
        QCOMPARE(keys(p->graph(1)), QVector<double>{0.2});
        // Its next point: both still shown, the second with two points.
        panel.setSweeps({taskArithmeticSweep(), tiesSweep()});
        QCOMPARE(picker->checkedRuns(), (QVector<int>{0, 1}));
        QCOMPARE(keys(p->graph(1)), (QVector<double>{0.2, 0.6}));
        QVERIFY(panel.plot()->dataCsv().startsWith(QStringLiteral("sweep,lambda,")));
        picker->setRunChecked(1, false);
        QCOMPARE(p->graphCount(), 3); // task_arithmetic alone, in detail
        QCOMPARE(panel.plot()->sweep().label, QStringLiteral("task_arithmetic"));
    }

    // The picker is one short button: the panels' bars fit a 1024-px window.
    void pickersStayCompact()
    {
        RoutingPanel panel;
        AdaptationCurve longName = wemoeRun();
        longName.method = QStringLiteral("WEMoE (per_sample routing, 200 steps, lr 0.0001, diversity 0.5, batch 16)");
        panel.setAdaptationCurves({longName, adaMergingRun(), longName});
        QVERIFY2(panel.runPicker()->sizeHint().width() < 200,
                 qPrintable(QString::number(panel.runPicker()->sizeHint().width())));
        QVERIFY2(panel.minimumSizeHint().width() <= 1000, qPrintable(QString::number(panel.minimumSizeHint().width())));
        // A long run name is cut in the legend (the plot keeps its width), whole in the data.
        panel.runPicker()->setRunChecked(0, true);
        const QString legendName = panel.lossPlot()->plot()->graph(0)->name();
        QVERIFY2(legendName.size() < longName.method.size(), qPrintable(legendName));
        QCOMPARE(panel.lossPlot()->series().at(0).name, longName.method);
        QVERIFY(panel.lossPlot()->dataCsv().contains(longName.method));
        // WEMOE_OVERLAY_SHOT=prefix saves pictures of both panels to look at.
        if (qEnvironmentVariableIsSet("WEMOE_OVERLAY_SHOT")) {
            const QString prefix = qEnvironmentVariable("WEMOE_OVERLAY_SHOT");
            panel.runPicker()->setRunChecked(1, true);
            panel.resize(1000, 600);
            panel.show();
            QVERIFY(QTest::qWaitForWindowExposed(&panel));
            panel.grab().save(prefix + QStringLiteral("-routing.png"));
            panel.runPicker()->setRunChecked(2, false);
            QMenu *menu = panel.runPicker()->runMenu();
            menu->popup(panel.runPicker()->mapToGlobal(QPoint(0, panel.runPicker()->height())));
            QVERIFY(QTest::qWaitForWindowExposed(menu));
            menu->grab().save(prefix + QStringLiteral("-menu.png"));
            menu->hide();
            SweepPanel sweeps;
            sweeps.setSweeps({taskArithmeticSweep(), tiesSweep()});
            sweeps.sweepPicker()->setRunChecked(0, true);
            sweeps.resize(1000, 500);
            sweeps.show();
            QVERIFY(QTest::qWaitForWindowExposed(&sweeps));
            sweeps.grab().save(prefix + QStringLiteral("-sweeps.png"));
        }
    }
};

QTEST_MAIN(TestPlotOverlay)
#include "test_plot_overlay.moc"
