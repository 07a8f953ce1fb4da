// The controllers end to end on a tiny synthetic pool: jobs run on the worker
// and fill the table; a cancel keeps what was measured and the next job runs;
// an export writes a folder Checkpoint::load reads back with the merged weights.

#include "clip_hub_fixture.h"
#include "common/error.h"
#include "controllers/evaluation_controller.h"
#include "controllers/export_controller.h"
#include "controllers/workspace_controller.h"
#include "demo/synthetic_pool.h"
#include "eval/evaluator.h"
#include "io/checkpoint.h"
#include "merge/merge_spec.h"
#include "methods/engine_options.h"
#include "models/accuracy_table_model.h"
#include "pool/loaded_pool.h"
#include "queue/job_queue.h"

#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <cmath>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr int kTimeoutMs = 120000;

MethodSettings onlyStatic(bool individual, bool taskArithmetic)
{
    MethodSettings s;
    for (MethodSettings::Entry &entry : s.methods)
        entry.enabled = false;
    s.setEnabled(QStringLiteral("individual"), individual);
    s.setEnabled(QStringLiteral("task_arithmetic"), taskArithmetic);
    s.sweep = false;
    s.taskVectorAnalysis = false;
    s.threads = 2;
    s.evalBatchSize = 16;
    return s;
}

// Everything a test needs: the queue and the controllers over one pool.
struct Studio
{
    JobQueue queue;
    WorkspaceController workspace{&queue};
    EvaluationController evaluation{&queue, &workspace};
    ExportController exporter{&queue, &workspace};
};

// Waits (processing events) until every queued job is done.
#define WAIT_IDLE(queue) QTRY_VERIFY_WITH_TIMEOUT(!(queue).isBusy(), kTimeoutMs)

} // namespace

class TestUiJobs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;

    void openPool(Studio &studio)
    {
        studio.workspace.openPool(m_pool);
        QTRY_VERIFY_WITH_TIMEOUT(studio.workspace.hasPool(), kTimeoutMs);
        WAIT_IDLE(studio.queue);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pool = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), SyntheticPoolOptions());
    }

    void loadShowsThePool()
    {
        Studio studio;
        QSignalSpy changed(&studio.workspace, &WorkspaceController::poolChanged);
        openPool(studio);
        QCOMPARE(changed.count(), 1);
        const WorkspaceInfo &info = studio.workspace.info();
        QCOMPARE(info.tasks.size(), 3);
        QCOMPARE(studio.workspace.taskNames(), (QStringList{"alpha", "beta", "gamma"}));
        QVERIFY(info.pretrained.parameters > 0);
        QVERIFY(info.pretrained.bytes > 0);
        for (const TaskInfo &task : info.tasks) {
            QCOMPARE(task.classes, 4);
            QVERIFY(task.testOk);
            QVERIFY(task.testImages > 0);
        }
        // A failing load keeps the last good pool.
        QSignalSpy failed(&studio.workspace, &WorkspaceController::poolLoadFailed);
        studio.workspace.openPool(m_dir.filePath(QStringLiteral("nowhere/pool.json")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("nowhere")));
        QVERIFY(studio.workspace.hasPool());
        QCOMPARE(studio.workspace.info().tasks.size(), 3);
    }

    // A researcher's pool: hub names, pytorch_model.bin, zero-shot heads built
    // by the loading job (with progress), then evaluated like any other.
    void loadsAHubPoolWithZeroShotHeadsAndParquetData()
    {
        const wemoe::test::ClipHubFixture fixture = wemoe::test::writeClipHubFixture(
            m_dir.filePath(QStringLiteral("hub-pool")));
        qputenv("HF_HUB_CACHE", fixture.cacheFolder.toUtf8());
        Studio studio;
        studio.workspace.openPool(fixture.poolFile);
        QTRY_VERIFY_WITH_TIMEOUT(studio.workspace.hasPool(), kTimeoutMs);
        WAIT_IDLE(studio.queue);
        const WorkspaceInfo &info = studio.workspace.info();
        QCOMPARE(studio.workspace.taskNames(), fixture.taskNames);
        for (const TaskInfo &task : info.tasks) {
            QCOMPARE(task.headType, QStringLiteral("zero-shot"));
            QVERIFY2(QFileInfo(task.headPath).isFile(), qPrintable(task.headPath)); // the cached head
            QCOMPARE(task.classes, 3);
            QVERIFY(task.testOk);
        }
        studio.evaluation.run(onlyStatic(true, true));
        WAIT_IDLE(studio.queue);
        QCOMPARE(studio.evaluation.tableModel()->table().rows().size(), 2);
        const AccuracyTable fromFolders = studio.evaluation.tableModel()->table();

        // The same pool with its test images in hub datasets' Parquet shards:
        // the workspace says where they are and what they are labelled with,
        // and the same methods measure the same accuracy.
        Studio parquet;
        parquet.workspace.openPool(fixture.parquetPoolFile);
        QTRY_VERIFY_WITH_TIMEOUT(parquet.workspace.hasPool(), kTimeoutMs);
        WAIT_IDLE(parquet.queue);
        for (int t = 0; t < parquet.workspace.info().tasks.size(); ++t) {
            const TaskInfo &task = parquet.workspace.info().tasks[t];
            QVERIFY2(task.testOk, qPrintable(task.testStatus));
            QVERIFY(task.testParquet);
            QCOMPARE(task.testFiles, 2);
            QCOMPARE(task.testImages, 12);
            QCOMPARE(task.testData, fixture.datasetNames[t] + QStringLiteral(":test"));
            QCOMPARE(task.testClasses, (QStringList{"class0", "class1", "class2"}));
        }
        parquet.evaluation.run(onlyStatic(true, true));
        WAIT_IDLE(parquet.queue);
        const AccuracyTable &fromParquet = parquet.evaluation.tableModel()->table();
        QCOMPARE(fromParquet.rows().size(), fromFolders.rows().size());
        for (int i = 0; i < fromFolders.rows().size(); ++i)
            QCOMPARE(fromParquet.rows()[i].accuracy, fromFolders.rows()[i].accuracy);
        qunsetenv("HF_HUB_CACHE");
    }

    void jobFillsTheTable()
    {
        Studio studio;
        openPool(studio);
        MethodSettings settings = onlyStatic(true, true);
        settings.taskVectorAnalysis = true;
        const QList<Job *> jobs = studio.evaluation.run(settings);
        QCOMPARE(jobs.size(), 3);
        WAIT_IDLE(studio.queue);
        for (Job *job : jobs)
            QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));

        const AccuracyTable &table = studio.evaluation.tableModel()->table();
        QCOMPARE(table.tasks(), (QStringList{"alpha", "beta", "gamma"}));
        QCOMPARE(table.rows().size(), 2);
        // The synthetic pool labels task t's images with task t's own model: 100 % by construction.
        const AccuracyTable::Row *individual = table.row(QStringLiteral("individual"));
        QVERIFY(individual);
        QCOMPARE(individual->accuracy, (QVector<double>{1.0, 1.0, 1.0}));

        // The table holds what the engine measures for the same method, under the engine's label.
        const MethodCall ta(QStringLiteral("task_arithmetic"));
        const QString label = ta.label();
        QCOMPARE(label, QStringLiteral("task_arithmetic (λ=0.3)"));
        const AccuracyTable::Row *row = table.row(label);
        QVERIFY(row);
        const LoadedPool pool = LoadedPool::load(m_pool);
        EvalOptions options;
        options.batchSize = 16;
        const PoolEvaluator evaluator(pool, options);
        QCOMPARE(row->accuracy, evaluator.evaluateMethod(toMergeSpec(ta)));
        QCOMPARE(studio.evaluation.exportableRows(), QStringList{label});

        // Task-vector similarity against a direct computation over all tensors at
        // once (τ is formed in float32 by the engine, hence the tolerance).
        const HeatMatrix &similarity = studio.evaluation.taskSimilarity();
        QCOMPARE(similarity.rows, 3);
        std::vector<torch::Tensor> flat;
        for (int t = 0; t < 3; ++t) {
            std::vector<torch::Tensor> parts;
            for (const auto &[name, weight] : pool.pretrained.vision) {
                if (weight.is_floating_point())
                    parts.push_back(
                        (pool.tasks[t].vision.at(name).to(torch::kFloat64) - weight.to(torch::kFloat64)).flatten());
            }
            flat.push_back(torch::cat(parts));
        }
        for (int a = 0; a < 3; ++a) {
            for (int b = 0; b < 3; ++b) {
                const double expected = (flat[a].dot(flat[b]) / (flat[a].norm() * flat[b].norm())).item<double>();
                QVERIFY2(std::abs(similarity.at(a, b) - expected) < 1e-6,
                         qPrintable(
                             QStringLiteral("(%1,%2): %3 vs %4").arg(a).arg(b).arg(similarity.at(a, b)).arg(expected)));
            }
        }
    }

    // The studio's "Test images per task" is the CLI's --max-per-task: the same seeded subset.
    void aTestImageLimitEvaluatesTheCliSubset()
    {
        Studio studio;
        openPool(studio);
        MethodSettings settings = onlyStatic(false, true);
        settings.maxTestImagesPerTask = 3;
        const QList<Job *> jobs = studio.evaluation.run(settings);
        WAIT_IDLE(studio.queue);
        for (Job *job : jobs)
            QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));
        const AccuracyTable::Row *row = studio.evaluation.tableModel()->table().row(
            MethodCall(QStringLiteral("task_arithmetic")).label());
        QVERIFY(row);
        // What `wemoe eval --max-per-task 3` measures: the pool loaded with that limit.
        LoadedPool pool = LoadedPool::load(m_pool);
        pool.maxTestImagesPerTask = 3;
        EvalOptions options;
        options.batchSize = 16;
        const QVector<double> expected =
            PoolEvaluator(pool, options).evaluateMethod(toMergeSpec(MethodCall(QStringLiteral("task_arithmetic"))));
        QCOMPARE(row->accuracy, expected);
        for (const double accuracy : row->accuracy) // three images: thirds
            QVERIFY(std::abs(accuracy * 3.0 - std::round(accuracy * 3.0)) < 1e-12);
        // The open pool keeps all its images for the next run.
        QCOMPARE(studio.workspace.pool()->maxTestImagesPerTask, 0);
    }

    void cancelKeepsResultsAndTheNextJobRuns()
    {
        Studio studio;
        openPool(studio);
        studio.evaluation.run(onlyStatic(true, false));
        WAIT_IDLE(studio.queue);
        QCOMPARE(studio.evaluation.tableModel()->rowCount(), 1);

        // A sweep cancelled while it measures its second point (from the
        // worker's first progress report of that point) keeps the first point.
        MethodSettings sweep = onlyStatic(false, false);
        sweep.sweep = true;
        sweep.sweepFrom = 0.0;
        sweep.sweepTo = 1.0;
        sweep.sweepStep = 0.5;
        Job *job = studio.evaluation.sweep(sweep);
        connect(
            job, &Job::progressReported, job,
            [job](qint64, qint64, const QString &what) {
                if (what == QStringLiteral("λ=0.5"))
                    job->requestCancel();
            },
            Qt::DirectConnection);
        WAIT_IDLE(studio.queue);
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCOMPARE(studio.evaluation.sweeps().size(), 1);
        const SweepSeries &partial = studio.evaluation.sweeps().first();
        QCOMPARE(partial.lambdas, QVector<double>{0.0});
        QVERIFY(partial.partial);
        QCOMPARE(studio.evaluation.tableModel()->rowCount(), 1); // the last good state is intact

        // The UI stays usable: the next job runs to the end.
        const QList<Job *> next = studio.evaluation.run(onlyStatic(false, true));
        WAIT_IDLE(studio.queue);
        QCOMPARE(next.first()->state(), Job::State::Finished);
        QCOMPARE(studio.evaluation.tableModel()->rowCount(), 2);

        // A complete sweep replaces the earlier runs of the same sweep, partial or not.
        studio.evaluation.sweep(sweep);
        WAIT_IDLE(studio.queue);
        QCOMPARE(studio.evaluation.sweeps().size(), 1);
        QCOMPARE(studio.evaluation.sweeps().first().lambdas, (QVector<double>{0.0, 0.5, 1.0}));
    }

    void queueCancelsRunningAndQueuedJobs()
    {
        JobQueue queue;
        std::atomic<bool> queuedRan{false};
        Job *spinning = queue.enqueue(QStringLiteral("spin"), [](const JobContext &context) {
            for (qint64 i = 0;; ++i) {
                context.throwIfCancelled();
                context.progress(i % 100, 100, QStringLiteral("spinning"));
                QThread::yieldCurrentThread();
            }
        });
        Job *queued = queue.enqueue(QStringLiteral("queued"), [&queuedRan](const JobContext &) { queuedRan = true; });
        QTRY_COMPARE_WITH_TIMEOUT(spinning->state(), Job::State::Running, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(spinning->fraction() >= 0.0, kTimeoutMs); // progress arrives on the GUI thread
        queue.cancel(queued);
        QCOMPARE(queued->state(), Job::State::Cancelled);
        QSignalSpy idle(&queue, &JobQueue::idle);
        queue.cancelCurrent();
        QTRY_COMPARE_WITH_TIMEOUT(spinning->state(), Job::State::Cancelled, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, kTimeoutMs);
        QVERIFY(!queuedRan);

        Job *failing = queue.enqueue(QStringLiteral("fail"), [](const JobContext &) {
            throw Error(QStringLiteral("some.file"), QStringLiteral("broken on purpose"));
        });
        Job *after = queue.enqueue(QStringLiteral("after"),
                                   [](const JobContext &context) { context.progress(1, 1, {}); });
        QTRY_VERIFY_WITH_TIMEOUT(after->isDone(), kTimeoutMs);
        QCOMPARE(failing->state(), Job::State::Failed);
        QCOMPARE(failing->errorMessage(), QStringLiteral("some.file: broken on purpose"));
        QCOMPARE(after->state(), Job::State::Finished);
    }

    void exportWritesALoadableFolder()
    {
        Studio studio;
        openPool(studio);
        MethodCall ta(QStringLiteral("task_arithmetic"));
        ta.set(QStringLiteral("lambda"), 0.4);
        ExportRequest request;
        request.method = ta;
        request.folder = m_dir.filePath(QStringLiteral("exported"));
        QSignalSpy exported(&studio.exporter, &ExportController::exported);
        Job *job = studio.exporter.exportModel(request);
        WAIT_IDLE(studio.queue);
        QVERIFY2(job->state() == Job::State::Finished, qPrintable(job->errorMessage()));
        QCOMPARE(exported.count(), 1);

        // θ0 + 0.4 Σ τt, computed here tensor by tensor.
        const Checkpoint reloaded = Checkpoint::load(request.folder);
        const LoadedPool pool = LoadedPool::load(m_pool);
        QCOMPARE(reloaded.vision.size(), pool.pretrained.vision.size());
        for (const auto &[name, base] : pool.pretrained.vision) {
            torch::Tensor expected = base.to(torch::kFloat32).clone();
            for (const Checkpoint &task : pool.tasks)
                expected += 0.4f * (task.vision.at(name).to(torch::kFloat32) - base.to(torch::kFloat32));
            QVERIFY2(torch::allclose(reloaded.vision.at(name).to(torch::kFloat32), expected, 1e-5, 1e-6), name.c_str());
        }

        // The folder exists now: refused without overwrite (with its reason, for a dialog), replaced with it.
        QSignalSpy failed(&studio.exporter, &ExportController::exportFailed);
        Job *again = studio.exporter.exportModel(request);
        WAIT_IDLE(studio.queue);
        QCOMPARE(again->state(), Job::State::Failed);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.at(0).at(0).toString(), request.folder);
        QCOMPARE(failed.at(0).at(2).toString(), again->errorMessage());
        QVERIFY2(again->errorMessage().contains(QStringLiteral("exists")), qPrintable(again->errorMessage()));
        request.overwrite = true;
        request.method.set(QStringLiteral("lambda"), 0.0); // θ0 itself
        Job *replaced = studio.exporter.exportModel(request);
        WAIT_IDLE(studio.queue);
        QVERIFY2(replaced->state() == Job::State::Finished, qPrintable(replaced->errorMessage()));
        const Checkpoint zero = Checkpoint::load(request.folder);
        const auto &name = zero.vision.begin()->first;
        QVERIFY(torch::allclose(zero.vision.at(name).to(torch::kFloat32),
                                pool.pretrained.vision.at(name).to(torch::kFloat32)));

        ExportRequest individual = request;
        individual.method = MethodCall(QStringLiteral("individual"));
        QVERIFY_THROWS_EXCEPTION(Error, studio.exporter.exportModel(individual));
    }
};

QTEST_MAIN(TestUiJobs)
#include "test_ui_jobs.moc"
