// The adaptive methods driven from the window on a tiny synthetic pool: a
// WEMoE run fills the table (its row names the routing mode) and the routing
// views with the weights the engine captures; a cancel mid-adaptation adds no
// row and the next run works; the WEMoE model exported from the window
// reloads exactly; a saved session shows the heatmaps again without rerunning.

#include "adapt/adamerging_coefficients.h"
#include "common/error.h"
#include "controllers/adaptation_controller.h"
#include "controllers/evaluation_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "io/checkpoint.h"
#include "main_window.h"
#include "methods/adapted_model.h"
#include "models/accuracy_table_model.h"
#include "moe/upscaled_evaluation.h"
#include "moe/upscaled_model_file.h"
#include "panels/export_dialog.h"
#include "panels/image_routing_panel.h"
#include "panels/methods_panel.h"
#include "panels/routing_panel.h"
#include "panels/run_picker.h"
#include "plots/heatmap_widget.h"
#include "plots/loss_curve_plot.h"
#include "pool/loaded_pool.h"
#include "queue/job_queue.h"

#include <QtCore/QJsonArray>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>

#include <torch/torch.h>

#include <cmath>
#include <memory>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 120000;
constexpr int kSteps = 3;
constexpr double kDiversity = 0.5; // through the panel into the adaptation, its row and the exported file

#define WAIT_IDLE(window) QTRY_VERIFY_WITH_TIMEOUT(!(window).jobQueue()->isBusy(), kTimeoutMs)

// Only WEMoE, a few steps, small batches: seconds on the tiny pool.
MethodSettings onlyWemoe(int steps, const QString &routingMode)
{
    MethodSettings s;
    for (MethodSettings::Entry &entry : s.methods)
        entry.enabled = false;
    s.sweep = false;
    s.taskVectorAnalysis = false;
    s.setEnabled(QStringLiteral("wemoe"), true);
    MethodCall wemoe(QStringLiteral("wemoe"));
    wemoe.set(QStringLiteral("steps"), steps);
    wemoe.set(QStringLiteral("lr"), 1e-2); // large, so three steps move the routers visibly
    wemoe.set(QStringLiteral("batch"), 4);
    wemoe.setText(QStringLiteral("routing"), routingMode);
    s.setCall(wemoe);
    s.threads = 2;
    s.evalBatchSize = 16;
    return s;
}

Job *runSettings(MainWindow &window, const MethodSettings &settings)
{
    window.methodsPanel()->setSettings(settings);
    const QList<Job *> jobs = window.runConfigured();
    return jobs.size() == 1 ? jobs.first() : nullptr;
}

void compareMatrix(const HeatMatrix &shown, const torch::Tensor &expected, const char *what)
{
    QCOMPARE(shown.rows, int(expected.size(0)));
    QCOMPARE(shown.columns, int(expected.size(1)));
    const auto values = expected.to(torch::kFloat64).contiguous();
    for (int r = 0; r < shown.rows; ++r) {
        for (int c = 0; c < shown.columns; ++c) {
            const double want = values[r][c].item<double>();
            QVERIFY2(std::abs(shown.at(r, c) - want) < 1e-5,
                     qPrintable(QStringLiteral("%1 (%2,%3): shown %4, captured %5")
                                    .arg(QLatin1String(what))
                                    .arg(r)
                                    .arg(c)
                                    .arg(shown.at(r, c))
                                    .arg(want)));
        }
    }
}

} // namespace

class TestUiAdaptation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;
    std::unique_ptr<MainWindow> m_window;
    QString m_wemoeRow;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("WEMoE-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_ui_adaptation"));
        QVERIFY(m_dir.isValid());
        m_pool = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), SyntheticPoolOptions());
        m_window = std::make_unique<MainWindow>();
        m_window->setInteractive(false);
        m_window->openPool(m_pool);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->workspace()->hasPool(), kTimeoutMs);
        WAIT_IDLE(*m_window);
    }

    void cleanupTestCase() { m_window.reset(); }

    void wemoeRunFillsTableAndRoutingViews()
    {
        MainWindow &window = *m_window;
        QSignalSpy curveSteps(window.adaptation(), &AdaptationController::curveChanged);
        MethodSettings settings = onlyWemoe(kSteps, QStringLiteral("per_sample"));
        MethodCall wemoe = settings.call(QStringLiteral("wemoe"));
        wemoe.set(QStringLiteral("diversity"), kDiversity);
        settings.setCall(wemoe);
        Job *job = runSettings(window, settings);
        QVERIFY(job);
        WAIT_IDLE(window);
        QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));

        // One row, named with its routing mode, with the routing column saying the same.
        const AccuracyTableModel *table = window.evaluation()->tableModel();
        QCOMPARE(table->rowCount(), 1);
        m_wemoeRow = table->table().rows().first().method;
        QVERIFY2(m_wemoeRow.contains(QStringLiteral("per_sample routing")), qPrintable(m_wemoeRow));
        QVERIFY2(m_wemoeRow.contains(QStringLiteral("diversity 0.5")), qPrintable(m_wemoeRow));
        QCOMPARE(table->routingModes().value(m_wemoeRow), QStringLiteral("per_sample"));
        QCOMPARE(table->table().rows().first().accuracy.size(), 3);

        // The live curve got every step (one report per step, then the rename at the end).
        const LossCurvePlot *plot = window.routingPanel()->lossPlot();
        QCOMPARE(plot->curve().steps, (QVector<double>{1, 2, 3}));
        QCOMPARE(plot->curve().method, m_wemoeRow);
        QCOMPARE(plot->curve().taskLoss.size(), 3);
        QVERIFY(curveSteps.count() >= kSteps);
        for (const double loss : plot->curve().loss)
            QVERIFY(std::isfinite(loss) && loss > 0.0);

        // The engine's own capture of the held model, evaluated here again.
        const auto held = window.adaptation()->model(m_wemoeRow);
        QVERIFY(held && held->isWemoe());
        const LoadedPool pool = LoadedPool::load(m_pool);
        const UpscaledEvaluation again = evaluateUpscaled(*held->wemoe, pool, RoutingMode::PerSample, 16, true);
        const torch::Tensor mean = again.capture.meanPerTask();

        RoutingPanel *routing = window.routingPanel();
        for (int task = 0; task < 3; ++task) {
            routing->selectTask(task);
            compareMatrix(routing->layerHeatmap()->matrix(), mean[task], "mean routing");
        }
        QCOMPARE(routing->layerHeatmap()->scale(), HeatmapWidget::Scale::Diverging);
        compareMatrix(routing->firstChoiceMap()->matrix(), again.capture.firstChoice(), "first choice");
        // The routers moved away from their common initial λ: the map is not flat.
        QVERIFY(mean.max().item<double>() - mean.min().item<double>() > 1e-6);

        // One image's own weights, next to its true and predicted labels.
        ImageRoutingPanel *images = window.imageRoutingPanel();
        images->selectTask(1);
        QVERIFY(images->thumbnails()->count() > 1);
        images->thumbnails()->setCurrentRow(1);
        const int image = images->currentImage();
        QCOMPARE(again.capture.imageTask.at(image), 1);
        compareMatrix(images->heatmap()->matrix(), again.capture.weights[image], "image routing");
        const QString text = images->thumbnails()->item(1)->text();
        QVERIFY2(text.contains(pool.heads.at(1).classNames.at(again.capture.trueLabel.at(image))), qPrintable(text));
    }

    void exportedWemoeModelReloadsExactly()
    {
        MainWindow &window = *m_window;
        QVERIFY(!m_wemoeRow.isEmpty());
        const QString file = m_dir.filePath(QStringLiteral("wemoe.safetensors"));
        Job *job = window.exportResult({m_wemoeRow, ExportKind::WemoeModel}, file);
        QVERIFY(job);
        WAIT_IDLE(window);
        QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));

        const auto held = window.adaptation()->model(m_wemoeRow);
        const LoadedUpscaledModel reloaded = loadUpscaledModel(file, torch::kCPU);
        QCOMPARE(reloaded.adaptation.totalSteps(), kSteps);
        QCOMPARE(reloaded.adaptation.runs.size(), 1);
        QCOMPARE(reloaded.adaptation.runs.first().diversityWeight, kDiversity);
        QCOMPARE(reloaded.model.taskNames(), held->wemoe->taskNames());
        const TensorMap heldRouters = held->wemoe->routerState();
        const TensorMap reloadedRouters = reloaded.model.routerState();
        QCOMPARE(reloadedRouters.size(), heldRouters.size());
        for (const auto &[name, tensor] : heldRouters)
            QVERIFY2(torch::equal(reloadedRouters.at(name), tensor), name.c_str());
        QCOMPARE(reloaded.model.mergedDense().size(), held->wemoe->mergedDense().size());
        for (const auto &[name, tensor] : held->wemoe->mergedDense())
            QVERIFY2(torch::equal(reloaded.model.mergedDense().at(name), tensor), name.c_str());

        // An existing file is not replaced without the user's yes.
        Job *refused = window.exportResult({m_wemoeRow, ExportKind::WemoeModel}, file);
        WAIT_IDLE(window);
        QCOMPARE(refused->state(), Job::State::Failed);
        QVERIFY(refused->errorMessage().contains(QStringLiteral("already exists")));

        // Collapsed per task: plain models at the task's mean routing weights.
        const QString folder = m_dir.filePath(QStringLiteral("collapsed"));
        Job *collapsed = window.exportResult({m_wemoeRow, ExportKind::CollapsedModels}, folder);
        WAIT_IDLE(window);
        QVERIFY2(collapsed->state() == Job::State::Finished, qPrintable(collapsed->errorMessage()));
        const QStringList tasks = held->tasks;
        for (int t = 0; t < tasks.size(); ++t) {
            const Checkpoint model = Checkpoint::load(QDir(folder).filePath(tasks.at(t)));
            const TensorMap expected = held->wemoe->collapse(held->meanRouting[t]);
            QCOMPARE(model.vision.size(), expected.size());
            for (const auto &[name, tensor] : expected)
                QVERIFY2(torch::allclose(model.vision.at(name).to(torch::kFloat32), tensor.to(torch::kFloat32)),
                         name.c_str());
        }
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("collapsed.*")}, QDir::AllEntries | QDir::Hidden),
                 QStringList()); // no staging folder left behind
    }

    void sessionRestoresHeatmapsWithoutRecomputing()
    {
        MainWindow &window = *m_window;
        const QString file = m_dir.filePath(QStringLiteral("adapted.wemoe-session.json"));
        window.saveSession(file);
        const HeatMatrix firstChoice = window.routingPanel()->firstChoiceMap()->matrix();
        window.routingPanel()->selectTask(0);
        const HeatMatrix meanOfTask0 = window.routingPanel()->layerHeatmap()->matrix();
        const AdaptationCurve curve = window.routingPanel()->lossPlot()->curve();

        MainWindow reopened;
        reopened.setInteractive(false);
        reopened.openSession(file);
        reopened.routingPanel()->selectTask(0);
        QCOMPARE(reopened.routingPanel()->layerHeatmap()->matrix().values, meanOfTask0.values);
        QCOMPARE(reopened.routingPanel()->firstChoiceMap()->matrix().values, firstChoice.values);
        QCOMPARE(reopened.routingPanel()->lossPlot()->curve().loss, curve.loss);
        QCOMPARE(reopened.routingPanel()->lossPlot()->curve().taskLoss, curve.taskLoss);
        QCOMPARE(reopened.imageRoutingPanel()->thumbnails()->count(),
                 window.imageRoutingPanel()->thumbnails()->count());
        QCOMPARE(reopened.evaluation()->tableModel()->routingModes().value(m_wemoeRow), QStringLiteral("per_sample"));
        // Nothing adapts or evaluates again: the only job is loading the pool.
        WAIT_IDLE(reopened);
        for (Job *job : reopened.jobQueue()->jobs())
            QVERIFY2(job->title().startsWith(QStringLiteral("Load pool")), qPrintable(job->title()));
        // Numbers came back, the model did not: exporting it says so instead of writing.
        QVERIFY(reopened.adaptation()->exportableRows().isEmpty());
        QCOMPARE(reopened.exportResult({m_wemoeRow, ExportKind::WemoeModel}, m_dir.filePath(QStringLiteral("none"))),
                 nullptr);
    }

    void cancelMidAdaptationLeavesTheUiUsable()
    {
        MainWindow &window = *m_window;
        const int rows = window.evaluation()->tableModel()->rowCount();
        const QString captured = window.adaptation()->captureLabel();
        // Cancel from the window as soon as the first step has been reported.
        auto cancelOnce = std::make_shared<bool>(false);
        const auto connection = connect(window.adaptation(), &AdaptationController::curveChanged, &window,
                                        [&window, cancelOnce](const AdaptationCurve &curve) {
                                            if (!*cancelOnce && !curve.steps.isEmpty()) {
                                                *cancelOnce = true;
                                                window.cancel();
                                            }
                                        });
        Job *job = runSettings(window, onlyWemoe(100000, QStringLiteral("batch_reduce")));
        QVERIFY(job);
        WAIT_IDLE(window);
        disconnect(connection);
        QVERIFY(*cancelOnce);
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCOMPARE(window.evaluation()->tableModel()->rowCount(), rows); // no row from a half run
        QCOMPARE(window.adaptation()->captureLabel(), captured);       // the views keep the last good capture
        const AdaptationCurve stopped = window.routingPanel()->lossPlot()->curve();
        QVERIFY(stopped.method.contains(QStringLiteral("stopped")));
        QVERIFY(stopped.steps.size() < 100000);

        // The next run goes through, in the other routing mode, and says so.
        Job *next = runSettings(window, onlyWemoe(2, QStringLiteral("batch_reduce")));
        QVERIFY(next);
        WAIT_IDLE(window);
        QVERIFY2(next->state() == Job::State::Finished, qPrintable(next->errorMessage()));
        QCOMPARE(window.evaluation()->tableModel()->rowCount(), rows + 1);
        const QString row = window.adaptation()->captureLabel();
        QVERIFY2(row.contains(QStringLiteral("batch_reduce routing")), qPrintable(row));
        QCOMPARE(window.evaluation()->tableModel()->routingModes().value(row), QStringLiteral("batch_reduce"));
    }

    void badSettingsQueueNothing()
    {
        MainWindow &window = *m_window;
        // A bad value never reaches a run: the catalogue refuses it where it is set or read.
        MethodSettings bad = onlyWemoe(2, QStringLiteral("per_sample"));
        bad.setEnabled(QStringLiteral("task_arithmetic"), true); // a valid static method must not be queued either
        MethodCall wemoe = bad.call(QStringLiteral("wemoe"));
        QVERIFY_THROWS_EXCEPTION(Error, wemoe.set(QStringLiteral("depth"), QStringLiteral("3")));
        QVERIFY_THROWS_EXCEPTION(Error, wemoe.set(QStringLiteral("batch"), 0));
        QJsonObject json = bad.toJson();
        QJsonArray methods = json.value(QStringLiteral("methods")).toArray();
        for (int i = 0; i < methods.size(); ++i) {
            QJsonObject entry = methods.at(i).toObject();
            if (entry.value(QStringLiteral("method")).toString() != QLatin1String("wemoe"))
                continue;
            QJsonObject parameters = entry.value(QStringLiteral("parameters")).toObject();
            parameters.insert(QStringLiteral("depth"), QStringLiteral("3"));
            entry.insert(QStringLiteral("parameters"), parameters);
            methods.replace(i, entry);
        }
        json.insert(QStringLiteral("methods"), methods);
        QVERIFY_THROWS_EXCEPTION(Error, MethodSettings::fromJson(json));
        // An empty sweep range refuses the whole run before anything is queued.
        bad.sweep = true;
        bad.sweepStep = 0.0;
        QVERIFY_THROWS_EXCEPTION(Error, window.evaluation()->run(bad));
        QVERIFY(!window.jobQueue()->isBusy());
    }

    void adaMergingRowExportsAsAFolder()
    {
        MainWindow &window = *m_window;
        MethodSettings s = onlyWemoe(1, QStringLiteral("per_sample"));
        s.setEnabled(QStringLiteral("wemoe"), false);
        s.setEnabled(QStringLiteral("adamerging_task"), true);
        MethodCall ada = s.call(QStringLiteral("adamerging_task"));
        ada.set(QStringLiteral("steps"), 2);
        ada.set(QStringLiteral("batch"), 4);
        s.setCall(ada);
        Job *job = runSettings(window, s);
        QVERIFY(job);
        WAIT_IDLE(window);
        QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));
        const QString row = window.adaptation()->exportableRows().last();
        QVERIFY2(row.startsWith(QStringLiteral("adamerging (task-wise, 2 steps")), qPrintable(row));
        QVERIFY(!window.evaluation()->tableModel()->routingModes().contains(row)); // one plain model, no routing
        // Its curve is shown alone; the earlier runs' curves stay to pick from.
        QCOMPARE(window.routingPanel()->lossPlot()->curve().method, row);
        QCOMPARE(window.routingPanel()->lossPlot()->curves().size(), 1);
        RunPicker *runs = window.routingPanel()->runPicker();
        QCOMPARE(runs->runNames().size(), window.adaptation()->curves().size());
        QCOMPARE(window.adaptation()->curves().size(), 4); // WEMoE, stopped WEMoE, WEMoE batch_reduce, AdaMerging
        QCOMPARE(runs->checkedRuns(), QVector<int>{3});
        runs->setRunChecked(0, true);
        runs->setRunChecked(3, false);
        QCOMPARE(window.routingPanel()->lossPlot()->curves().size(), 1);
        QCOMPARE(window.routingPanel()->lossPlot()->curve().method, m_wemoeRow);

        const QString folder = m_dir.filePath(QStringLiteral("adamerging"));
        Job *exported = window.exportResult({row, ExportKind::MergedModel}, folder);
        WAIT_IDLE(window);
        QVERIFY2(exported->state() == Job::State::Finished, qPrintable(exported->errorMessage()));
        const Checkpoint reloaded = Checkpoint::load(folder);
        const auto held = window.adaptation()->model(row);
        QCOMPARE(reloaded.vision.size(), held->merged.size());
        for (const auto &[name, tensor] : held->merged)
            QVERIFY2(torch::equal(reloaded.vision.at(name).to(tensor.scalar_type()), tensor), name.c_str());
        // What it learned is beside it, as the CLI writes it: the run's own coefficients.
        QVERIFY(held->coefficients);
        const AdaMergingCoefficients written = readAdaMergingCoefficientsJson(
            QDir(folder).filePath(QLatin1String(kAdaMergingJsonName)));
        QCOMPARE(written.tasks, held->coefficients->tasks);
        QVERIFY(torch::equal(written.values, held->coefficients->values));
        QVERIFY(QFileInfo::exists(QDir(folder).filePath(QLatin1String(kAdaMergingCsvName))));
    }

    void exportDialogOffersWhatEachRowHas()
    {
        MainWindow &window = *m_window;
        const QVector<ExportChoice> choices = window.exportChoices();
        const auto kindsOf = [&choices](const QString &row) {
            QVector<ExportKind> kinds;
            for (const ExportChoice &choice : choices) {
                if (choice.row == row)
                    kinds << choice.kind;
            }
            return kinds;
        };
        QCOMPARE(kindsOf(m_wemoeRow), (QVector<ExportKind>{ExportKind::WemoeModel, ExportKind::CollapsedModels}));
        const QString adaMerging = window.adaptation()->exportableRows().last();
        QCOMPARE(kindsOf(adaMerging), QVector<ExportKind>{ExportKind::MergedModel});

        // The proposed target follows the kind: a .safetensors file for the WEMoE model, folders otherwise.
        ExportDialog dialog(choices, m_wemoeRow, m_dir.filePath(QStringLiteral("exports")));
        QCOMPARE(dialog.choice().row, m_wemoeRow);
        QCOMPARE(dialog.choice().kind, ExportKind::WemoeModel);
        QVERIFY(dialog.folder().endsWith(QStringLiteral("/exports/wemoe-model.safetensors")));
        auto *what = dialog.findChild<QComboBox *>();
        QVERIFY(what);
        what->setCurrentIndex(what->currentIndex() + 1);
        QCOMPARE(dialog.choice().kind, ExportKind::CollapsedModels);
        QVERIFY(dialog.folder().endsWith(QStringLiteral("/exports/wemoe-collapsed")));
        dialog.accept(); // nothing there yet: accepted without asking, nothing to overwrite
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!dialog.overwrite());
    }
};

QTEST_MAIN(TestUiAdaptation)
#include "test_ui_adaptation.moc"
