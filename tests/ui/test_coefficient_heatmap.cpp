// AdaMerging's learned λ on the "Learned λ" page, run from the window on a
// tiny synthetic pool: the heatmap's cells are the run's own coefficients
// (each tensor, and the block means), a task-wise run is one row "all", the
// exported CSV reads back to the same float32s, and the
// adamerging-coefficients.json an export writes opens into the same map (as
// a file, as its model folder, and again from a saved session).

#include "adapt/adamerging_coefficients.h"
#include "controllers/adaptation_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "main_window.h"
#include "methods/adapted_model.h"
#include "models/coefficient_table.h"
#include "panels/coefficient_panel.h"
#include "panels/methods_panel.h"
#include "plots/heatmap_widget.h"
#include "queue/job_queue.h"
#include "window/dropped_file.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QTabWidget>

#include <torch/torch.h>

#include <cmath>
#include <memory>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 120000;

#define WAIT_IDLE(window) QTRY_VERIFY_WITH_TIMEOUT(!(window).jobQueue()->isBusy(), kTimeoutMs)

// One AdaMerging, two steps, small batches: seconds on the tiny pool.
MethodSettings onlyAdaMerging(const QString &method)
{
    MethodSettings s;
    for (MethodSettings::Entry &entry : s.methods)
        entry.enabled = false;
    s.sweep = false;
    s.taskVectorAnalysis = false;
    s.setEnabled(method, true);
    MethodCall call = s.call(method);
    call.set(QStringLiteral("steps"), 2);
    call.set(QStringLiteral("batch"), 4);
    call.set(QStringLiteral("lr"), 1e-2); // two steps move λ visibly off its start
    s.setCall(call);
    s.threads = 2;
    s.evalBatchSize = 16;
    return s;
}

// The row the run added, once it finished.
QString runAdaMerging(MainWindow &window, const QString &method)
{
    window.methodsPanel()->setSettings(onlyAdaMerging(method));
    const QList<Job *> jobs = window.runConfigured();
    if (jobs.size() != 1)
        return {};
    if (!QTest::qWaitFor([&window] { return !window.jobQueue()->isBusy(); }, kTimeoutMs))
        return {};
    if (jobs.first()->state() != Job::State::Finished) {
        qWarning() << jobs.first()->errorMessage();
        return {};
    }
    return window.adaptation()->exportableRows().last();
}

// λ of (group, task) as the engine holds it.
float engineValue(const AdaMergingCoefficients &coefficients, int group, int task)
{
    return coefficients.values[group][task].item<float>();
}

// Every cell of a tensor-per-row map is the engine's value of the tensor its row names, exactly.
void compareTensorRows(const HeatMatrix &shown, const AdaMergingCoefficients &learned)
{
    QCOMPARE(shown.rows, int(learned.groups.size()));
    QCOMPARE(shown.columns, int(learned.tasks.size()));
    QCOMPARE(shown.columnLabels, learned.tasks);
    QStringList named = shown.rowNames;
    named.sort();
    QStringList groups = learned.groups;
    groups.sort();
    QCOMPARE(named, groups); // every tensor once
    for (int r = 0; r < shown.rows; ++r) {
        const int group = learned.groups.indexOf(shown.rowNames.at(r));
        for (int t = 0; t < shown.columns; ++t) {
            // Exactly (QCOMPARE of doubles would allow a relative 1e-12).
            QVERIFY2(shown.at(r, t) == double(engineValue(learned, group, t)),
                     qPrintable(QStringLiteral("%1, task %2: shown %3, learned %4")
                                    .arg(shown.rowNames.at(r))
                                    .arg(t)
                                    .arg(shown.at(r, t), 0, 'g', 17)
                                    .arg(double(engineValue(learned, group, t)), 0, 'g', 17)));
        }
    }
}

} // namespace

class TestCoefficientHeatmap : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;
    std::unique_ptr<MainWindow> m_window;
    QString m_layerRow;
    HeatMatrix m_layerMap; // each tensor, as the run showed it

    CoefficientPanel *panel() const { return m_window->coefficientPanel(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_coefficient_heatmap"));
        QVERIFY(m_dir.isValid());
        m_pool = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), SyntheticPoolOptions());
        m_window = std::make_unique<MainWindow>();
        m_window->setInteractive(false);
        m_window->openPool(m_pool);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->workspace()->hasPool(), kTimeoutMs);
        WAIT_IDLE(*m_window);
    }

    void cleanupTestCase() { m_window.reset(); }

    void emptyUntilARunFinishes()
    {
        QVERIFY(panel()->tables().isEmpty());
        QVERIFY(!panel()->heatmap()->hasData());
        QVERIFY(!panel()->runChoice()->isEnabled());
    }

    void layerWiseRunShowsItsCoefficients()
    {
        m_layerRow = runAdaMerging(*m_window, QStringLiteral("adamerging_layer"));
        QVERIFY(!m_layerRow.isEmpty());
        const auto held = m_window->adaptation()->model(m_layerRow);
        QVERIFY(held && held->coefficients);
        const AdaMergingCoefficients &learned = *held->coefficients;
        QVERIFY(learned.groups.size() > 1);

        QCOMPARE(panel()->tables().size(), 1);
        QCOMPARE(panel()->runChoice()->currentText(), m_layerRow);
        // Coloured by how far λ moved from where the run started it.
        QCOMPARE(panel()->tables().first().initLambda, 0.3);
        QCOMPARE(panel()->heatmap()->scale(), HeatmapWidget::Scale::Diverging);
        QCOMPARE(panel()->heatmap()->centre().kind, HeatmapWidget::Centre::Kind::Value);
        QCOMPARE(panel()->heatmap()->centre().value, 0.3);
        panel()->setRows(CoefficientRows::EachTensor);
        const HeatMatrix shown = panel()->heatmap()->matrix();
        compareTensorRows(shown, learned);
        m_layerMap = shown;
        // Two steps at lr 0.01 moved λ: the map is not flat.
        QVERIFY(shown.maxValue() - shown.minValue() > 1e-6);

        // Rows in the model's order (block 2 before block 10), labelled short, named in full.
        int lastLayer = -1;
        for (int r = 0; r < shown.rows; ++r) {
            const QString &name = shown.rowNames.at(r);
            if (!name.startsWith(QLatin1String("encoder.layers.")))
                continue;
            const int layer = name.section(QLatin1Char('.'), 2, 2).toInt();
            QVERIFY2(layer >= lastLayer, qPrintable(name));
            lastLayer = layer;
            QCOMPARE(shown.rowLabels.at(r), shortTensorLabel(name));
            QVERIFY(shown.rowLabels.at(r).startsWith(QStringLiteral("L%1 ").arg(layer)));
        }
        QVERIFY(lastLayer >= 0);
        // The tooltip reads the full name and the value.
        const QString tip = panel()->heatmap()->cellToolTip(0, 1);
        QVERIFY2(tip.contains(shown.rowNames.at(0)) && tip.contains(learned.tasks.at(1)), qPrintable(tip));
        QVERIFY2(tip.contains(QString::number(shown.at(0, 1), 'g', 4)), qPrintable(tip));
    }

    void blockMeansAverageEachBlocksTensors()
    {
        const AdaMergingCoefficients &learned = *m_window->adaptation()->model(m_layerRow)->coefficients;
        panel()->setRows(CoefficientRows::BlockMean);
        const HeatMatrix blocks = panel()->heatmap()->matrix();
        QStringList expectedBlocks;
        for (const QString &group : learned.groups) {
            if (!expectedBlocks.contains(tensorBlock(group)))
                expectedBlocks << tensorBlock(group);
        }
        QCOMPARE(blocks.rows, int(expectedBlocks.size()));
        QVERIFY(blocks.rows < learned.groups.size());
        QVERIFY(blocks.rowLabels.contains(QStringLiteral("layer 0")));
        for (int r = 0; r < blocks.rows; ++r) {
            for (int t = 0; t < blocks.columns; ++t) {
                double sum = 0.0;
                int count = 0;
                for (int g = 0; g < learned.groups.size(); ++g) {
                    if (tensorBlock(learned.groups.at(g)) == blocks.rowLabels.at(r)) {
                        sum += engineValue(learned, g, t);
                        ++count;
                    }
                }
                QVERIFY(count > 0);
                QVERIFY(std::abs(blocks.at(r, t) - sum / count) < 1e-12);
            }
        }
        panel()->setRows(CoefficientRows::EachTensor);
    }

    void csvExportReadsBackTheSameNumbers()
    {
        const AdaMergingCoefficients &learned = *m_window->adaptation()->model(m_layerRow)->coefficients;
        const QString file = m_dir.filePath(QStringLiteral("lambda.csv"));
        panel()->heatmap()->exportData(file);
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), learned.groups.size() + 1);
        QCOMPARE(lines.first().split(QLatin1Char(',')).mid(1), learned.tasks);
        for (int line = 1; line < lines.size(); ++line) {
            const QStringList cells = lines.at(line).split(QLatin1Char(','));
            QCOMPARE(cells.size(), learned.tasks.size() + 1);
            const int group = learned.groups.indexOf(cells.first());
            QVERIFY2(group >= 0, qPrintable(cells.first())); // the full tensor name, not the short label
            for (int t = 0; t < learned.tasks.size(); ++t)
                QVERIFY2(cells.at(t + 1).toFloat() == engineValue(learned, group, t), // bit for bit
                         qPrintable(lines.at(line)));
        }
        // The picture too, in the formats the other plots offer.
        for (const char *suffix : {"png", "svg"}) {
            const QString picture = m_dir.filePath(QStringLiteral("lambda.%1").arg(QLatin1String(suffix)));
            panel()->heatmap()->exportImage(picture, 700, 500);
            QVERIFY(QFileInfo(picture).size() > 0);
        }
    }

    void taskWiseRunIsOneRow()
    {
        const QString row = runAdaMerging(*m_window, QStringLiteral("adamerging_task"));
        QVERIFY(!row.isEmpty());
        const AdaMergingCoefficients &learned = *m_window->adaptation()->model(row)->coefficients;
        QCOMPARE(panel()->tables().size(), 2);
        QCOMPARE(panel()->runChoice()->currentText(), row); // the newest is followed
        const HeatMatrix shown = panel()->heatmap()->matrix();
        QCOMPARE(shown.rows, 1);
        QCOMPARE(shown.rowLabels, QStringList{QStringLiteral("all")});
        compareTensorRows(shown, learned);
        QVERIFY(!panel()->rowsChoice()->isEnabled()); // nothing to average

        // The earlier run is one pick away, and stays picked while others come.
        panel()->runChoice()->setCurrentIndex(0);
        Q_EMIT panel()->runChoice()->activated(0);
        compareTensorRows(panel()->heatmap()->matrix(), *m_window->adaptation()->model(m_layerRow)->coefficients);
    }

    void savedJsonOpensIntoTheSameHeatmap()
    {
        MainWindow &window = *m_window;
        const QString folder = m_dir.filePath(QStringLiteral("exported"));
        Job *exported = window.exportResult({m_layerRow, ExportKind::MergedModel}, folder);
        QVERIFY(exported);
        WAIT_IDLE(window);
        QVERIFY2(exported->state() == Job::State::Finished, qPrintable(exported->errorMessage()));
        const QString json = QDir(folder).filePath(QLatin1String(kAdaMergingJsonName));
        QCOMPARE(DroppedFile::classify(json).kind, DroppedFile::Kind::Coefficients);

        window.openPath(json); // as File ▸ Open and a drop do
        QCOMPARE(panel()->tables().size(), 3);
        QCOMPARE(panel()->tables().last().source, QFileInfo(json).absoluteFilePath());
        QCOMPARE(panel()->currentTable()->source, QFileInfo(json).absoluteFilePath()); // opened: shown
        const HeatMatrix reopened = panel()->heatmap()->matrix();
        QCOMPARE(reopened.rowNames, m_layerMap.rowNames);
        QCOMPARE(reopened.rowLabels, m_layerMap.rowLabels);
        QCOMPARE(reopened.columnLabels, m_layerMap.columnLabels);
        QCOMPARE(reopened.values, m_layerMap.values);
        // The file does not record λ₀: λ on its own range.
        QVERIFY(!panel()->currentTable()->knowsInitLambda());
        QCOMPARE(panel()->heatmap()->scale(), HeatmapWidget::Scale::Sequential);
        QCOMPARE(window.tabs()->currentIndex(), window.tabs()->count() - 1); // the λ page came to the front

        // The model folder itself: its λ again, replacing the copy of the same file.
        window.openPath(folder);
        QCOMPARE(panel()->tables().size(), 3);

        // A broken file changes nothing (the window says why).
        const QString broken = m_dir.filePath(QStringLiteral("broken/adamerging-coefficients.json"));
        QDir().mkpath(QFileInfo(broken).path());
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"method": "m", "tasks": ["a", "b"], "groups": ["all"], "coefficients": [[0.3]]})");
        file.close();
        window.openPath(broken);
        QCOMPARE(panel()->tables().size(), 3);
    }

    void sessionKeepsTheCoefficients()
    {
        const QString file = m_dir.filePath(QStringLiteral("lambda.wemoe-session.json"));
        m_window->saveSession(file);
        MainWindow reopened;
        reopened.setInteractive(false);
        reopened.openSession(file);
        const QVector<CoefficientTable> &tables = reopened.coefficientPanel()->tables();
        QCOMPARE(tables.size(), panel()->tables().size());
        for (int i = 0; i < tables.size(); ++i) {
            QCOMPARE(tables.at(i).displayName(), panel()->tables().at(i).displayName());
            QCOMPARE(tables.at(i).values, panel()->tables().at(i).values); // bit for bit
            QCOMPARE(tables.at(i).knowsInitLambda(), panel()->tables().at(i).knowsInitLambda());
        }
        WAIT_IDLE(reopened);
    }
};

QTEST_MAIN(TestCoefficientHeatmap)
#include "test_coefficient_heatmap.moc"
