// The window on a small laptop screen (1024 x 700) holding the demo's eight
// tasks: every accuracy column is in view, and no plot is squashed below a
// readable height (pages scroll instead).

#include "controllers/evaluation_controller.h"
#include "main_window.h"
#include "models/accuracy_table_model.h"
#include "models/adaptation_curve.h"
#include "models/routing_capture.h"
#include "panels/accuracy_panel.h"
#include "panels/routing_panel.h"
#include "plots/heatmap_widget.h"
#include "plots/loss_curve_plot.h"
#include "plots/qcustomplot_wrapper.h"
#include "window/studio_session.h"

#include <QtCore/QStandardPaths>
#include <QtTest/QtTest>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

const QStringList kTasks{"digits",  "fashion",  "deep_sky",   "biomes",
                         "objects", "textures", "road_signs", "house_numbers"};
constexpr int kLayers = 12;

AccuracyTable demoTable(QHash<QString, QString> *routing)
{
    AccuracyTable table(kTasks);
    const QStringList methods{"pretrained",
                              "individual",
                              "simple_average",
                              "task_arithmetic (λ=0.3)",
                              "ties (λ=0.3, k=20 %)",
                              "dare (λ=0.3, p=0.9)",
                              "adamerging_layer (100 steps)",
                              "WEMoE (100 steps, lr=0.001)"};
    for (int m = 0; m < methods.size(); ++m) {
        QVector<double> accuracy;
        for (int t = 0; t < kTasks.size(); ++t)
            accuracy << 0.5 + 0.05 * ((m + t) % 10); // 0.5 … 0.95: "95.0" is the widest number
        table.setRow(methods.at(m), accuracy);
    }
    routing->insert(methods.last(), QStringLiteral("per sample"));
    return table;
}

RoutingCapture demoCapture()
{
    RoutingCapture capture;
    capture.tasks = kTasks;
    capture.layers = kLayers;
    capture.experts = kTasks.size();
    for (int t = 0; t < kTasks.size(); ++t) {
        for (int image = 0; image < 4; ++image) {
            capture.imageTask << t;
            for (int l = 0; l < kLayers; ++l)
                for (int e = 0; e < kTasks.size(); ++e)
                    capture.weights << float(0.3 + 0.01 * ((t + l + e) % 5));
        }
    }
    return capture;
}

AdaptationCurve demoCurve()
{
    AdaptationCurve curve;
    curve.method = QStringLiteral("WEMoE");
    for (int step = 1; step <= 100; ++step) {
        curve.steps << step;
        curve.loss << 2.0 / step;
    }
    return curve;
}

} // namespace

class TestSmallWindow : public QObject
{
    Q_OBJECT

private:
    MainWindow *m_window = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_small_window"));
        QSettings().clear(); // the first start's layout
        m_window = new MainWindow;
        m_window->setInteractive(false);
        m_window->resize(1024, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window));
        QHash<QString, QString> routing;
        m_window->evaluation()->tableModel()->setTable(demoTable(&routing), routing);
        m_window->routingPanel()->setCapture(demoCapture());
        m_window->routingPanel()->setAdaptationCurve(demoCurve());
        QTest::qWait(200); // the first-show dock sizes and the queued column fitting
    }

    void cleanupTestCase()
    {
        m_window->session()->setAutosaveEnabled(false);
        delete m_window;
    }

    void everyAccuracyColumnIsInView()
    {
        // As a user gets there: the table filled in a large window while another
        // page was in front, the window made small, then the table brought back.
        m_window->resize(1600, 1000);
        m_window->showPage(m_window->accuracyPanel());
        QTest::qWait(100); // the columns at their natural widths
        m_window->showPage(m_window->routingPanel());
        m_window->resize(1024, 700);
        QTest::qWait(100);
        m_window->showPage(m_window->accuracyPanel());
        QTest::qWait(100);
        const QTableView *view = m_window->accuracyPanel()->view();
        const QHeaderView *header = view->horizontalHeader();
        const AccuracyTableModel *model = m_window->evaluation()->tableModel();
        QCOMPARE(model->columnCount(), 2 + kTasks.size() + 2);
        const int width = view->viewport()->width();
        QVERIFY2(width > 300, qPrintable(QString::number(width)));
        const QFontMetrics metrics(view->font());
        QStringList sizes; // for the failure message
        for (int c = 0; c < model->columnCount(); ++c)
            sizes << QStringLiteral("%1=%2").arg(model->columnName(c)).arg(header->sectionSize(c));
        for (int c = 0; c < model->columnCount(); ++c) {
            QVERIFY2(!view->isColumnHidden(c), qPrintable(model->columnName(c)));
            const int right = header->sectionViewportPosition(c) + header->sectionSize(c);
            QVERIFY2(header->sectionViewportPosition(c) >= 0 && right <= width,
                     qPrintable(QStringLiteral("%1 ends at %2 of %3 (%4)")
                                    .arg(model->columnName(c))
                                    .arg(right)
                                    .arg(width)
                                    .arg(sizes.join(QLatin1Char(' ')))));
            if (c >= AccuracyTableModel::FirstTaskColumn) // a number stays readable
                QVERIFY(header->sectionSize(c) >= metrics.horizontalAdvance(QStringLiteral("95.0")));
            // The header's lines fit their column, cut with "…" where they must (not clipped).
            const QString shown = view->model()->headerData(c, Qt::Horizontal).toString();
            const QString whole = model->headerData(c, Qt::Horizontal).toString();
            for (const QString &line : shown.split(QLatin1Char('\n')))
                QVERIFY2(QFontMetrics(header->font()).horizontalAdvance(line) <= header->sectionSize(c),
                         qPrintable(QStringLiteral("%1 in %2 px").arg(line).arg(header->sectionSize(c))));
            QVERIFY(shown == whole || shown.contains(QChar(0x2026)));
            if (c >= model->averageColumn()) // the summary columns keep their names whole
                QCOMPARE(shown, whole);
        }
    }

    // Long labels (the best method's name above the table) do not push the side panels shut.
    void sidePanelsKeepTheirWidth()
    {
        for (const char *name : {"WorkspaceDock", "MethodsDock"}) {
            const auto *dock = m_window->findChild<QDockWidget *>(QLatin1String(name));
            QVERIFY(dock);
            QVERIFY2(dock->width() >= 240,
                     qPrintable(QStringLiteral("%1: %2 px").arg(QLatin1String(name)).arg(dock->width())));
        }
    }

    void plotsKeepAReadableHeight()
    {
        m_window->showPage(m_window->routingPanel());
        QTest::qWait(200);
        RoutingPanel *routing = m_window->routingPanel();
        const int row = QFontMetrics(routing->layerHeatmap()->plot()->yAxis->tickLabelFont()).height();
        // Each layer of the map gets at least a line of text's height.
        const int matrixHeight = routing->layerHeatmap()->plot()->axisRect()->height();
        QVERIFY2(matrixHeight >= kLayers * row,
                 qPrintable(QStringLiteral("%1 px for %2 layers").arg(matrixHeight).arg(kLayers)));
        for (PlotWidget *plot :
             {static_cast<PlotWidget *>(routing->layerHeatmap()), static_cast<PlotWidget *>(routing->firstChoiceMap()),
              static_cast<PlotWidget *>(routing->lossPlot())}) {
            QVERIFY2(plot->height() >= plot->minimumHeight() && plot->height() >= 150,
                     qPrintable(QStringLiteral("%1: %2 px").arg(plot->exportName()).arg(plot->height())));
        }
    }
};

QTEST_MAIN(TestSmallWindow)
#include "test_small_window.moc"
