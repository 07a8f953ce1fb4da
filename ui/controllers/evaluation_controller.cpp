#include "controllers/evaluation_controller.h"

#include "common/device.h"
#include "common/error.h"
#include "controllers/workspace_controller.h"
#include "eval/evaluator.h"
#include "merge/task_vector_similarity.h"
#include "methods/method_run.h"
#include "models/accuracy_table_model.h"
#include "models/session_data.h"
#include "pool/loaded_pool.h"
#include "queue/job_channel.h"
#include "queue/job_queue.h"

#include <QtCore/QFileInfo>

namespace wemoe::ui {

namespace {

// What every evaluating job needs when it starts: the pool of that moment and
// the compute settings applied to this worker thread.
struct PreparedRun
{
    std::shared_ptr<const LoadedPool> pool;
    EvalOptions options;
};

PreparedRun prepare(const WorkspaceController *workspace, const MethodSettings &compute)
{
    PreparedRun run;
    run.pool = LoadedPool::withTestImageLimit(workspace->pool(), compute.maxTestImagesPerTask);
    if (!run.pool)
        throw Error(QStringLiteral("no model pool is open: open a pool first"));
    // Thread settings are per thread under OpenMP: apply them on the worker.
    configureThreads(compute.threads);
    run.options.device = parseDevice(compute.device);
    run.options.batchSize = compute.evalBatchSize;
    return run;
}

QString absolutePath(const QString &path)
{
    return path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
}

} // namespace

EvaluationController::EvaluationController(JobQueue *queue, WorkspaceController *workspace, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_workspace(workspace)
    , m_table(new AccuracyTableModel(this))
{
    connect(m_workspace, &WorkspaceController::poolChanged, this, &EvaluationController::onPoolChanged);
}

void EvaluationController::onPoolChanged()
{
    const QString path = absolutePath(m_workspace->poolPath());
    const QStringList tasks = m_workspace->taskNames();
    if (path == m_resultsPool && tasks == m_table->table().tasks())
        return; // the same pool again: its results still hold
    clearResults();
    m_resultsPool = path;
    m_table->clear(tasks);
}

bool EvaluationController::matchesTable(const QStringList &tasks, const QString &poolPath)
{
    if (m_table->rowCount() == 0 && m_table->table().tasks() != tasks) {
        m_table->clear(tasks);
        m_resultsPool = absolutePath(poolPath);
    }
    if (m_table->table().tasks() == tasks && absolutePath(poolPath) == m_resultsPool)
        return true;
    Q_EMIT warning(tr("A result measured on another pool was dropped (the pool changed while it ran)."));
    return false;
}

QList<Job *> EvaluationController::run(const MethodSettings &settings)
{
    // Validate everything before queuing anything.
    const QVector<MethodCall> calls = settings.staticCalls();
    if (settings.sweep)
        settings.lambdaSweep().points(); // throws for a bad range
    if (calls.isEmpty() && !settings.sweep && !settings.taskVectorAnalysis && !settings.hasAdaptiveMethods())
        throw Error(tr("nothing to run: check at least one method, the λ sweep or the task-vector analysis"));

    QList<Job *> jobs;
    if (settings.taskVectorAnalysis)
        jobs << analyseTaskVectors(settings);
    for (const MethodCall &call : calls)
        jobs << evaluate(call, settings);
    if (settings.sweep)
        jobs << sweep(settings);
    return jobs;
}

Job *EvaluationController::evaluate(const MethodCall &call, const MethodSettings &compute)
{
    const QString label = call.label();
    struct Result
    {
        QVector<double> accuracy;
        QStringList tasks;
        QString poolPath;
    };
    auto result = std::make_shared<Result>();
    const WorkspaceController *workspace = m_workspace;
    Job *job = m_queue->enqueue(tr("Evaluate %1").arg(label), [=](const JobContext &context) {
        const PreparedRun run = prepare(workspace, compute);
        MethodRunOptions options;
        options.eval = run.options;
        result->accuracy = runMethod(call, *run.pool, options, context).accuracy;
        result->tasks = run.pool->taskNames();
        result->poolPath = run.pool->pool.path;
    });
    connect(job, &Job::finished, this, [this, job, result, label, call] {
        if (job->state() != Job::State::Finished || !matchesTable(result->tasks, result->poolPath))
            return;
        m_table->setRow(label, result->accuracy);
        m_calls.insert(label, call);
        Q_EMIT rowFinished(label);
    });
    return job;
}

Job *EvaluationController::sweep(const MethodSettings &settings)
{
    const LambdaSweep lambdaSweep = settings.lambdaSweep();
    const QVector<double> points = lambdaSweep.points();
    const QString label = lambdaSweep.label();
    const WorkspaceController *workspace = m_workspace;
    // Every measured point goes to the plot at once: a cancel keeps them.
    struct Point
    {
        SweepSeries shape; // the series the point belongs to (its tasks)
        double lambda = 0.0;
        QVector<double> accuracy;
    };
    const JobChannel<Point> measured;

    Job *job = m_queue->enqueue(tr("λ sweep of %1 (%2 points)").arg(label).arg(points.size()),
                                [=](const JobContext &context) {
                                    const PreparedRun run = prepare(workspace, settings);
                                    SweepSeries shape;
                                    shape.method = lambdaSweep.method.method();
                                    shape.label = label;
                                    shape.tasks = run.pool->taskNames();
                                    runLambdaSweep(
                                        lambdaSweep, *run.pool, run.options,
                                        [&](double lambda, const QString &, const QVector<double> &accuracy) {
                                            measured.send({shape, lambda, accuracy});
                                        },
                                        context);
                                });
    measured.connect(job, this, [this, job](const Point &point) {
        addSweepPoint(job->id(), point.shape, point.lambda, point.accuracy);
    });
    connect(job, &Job::finished, this, [this, job, label] { finishSweep(job, label); });
    return job;
}

void EvaluationController::addSweepPoint(int jobId, const SweepSeries &shape, double lambda,
                                         const QVector<double> &accuracy)
{
    auto it = m_sweepIndexByJob.find(jobId);
    if (it == m_sweepIndexByJob.end()) {
        if (shape.tasks != m_table->table().tasks() && m_table->rowCount() > 0) {
            Q_EMIT warning(tr("A sweep point measured on another pool was dropped."));
            return;
        }
        m_sweeps.append(shape);
        it = m_sweepIndexByJob.insert(jobId, m_sweeps.size() - 1);
    }
    m_sweeps[*it].appendPoint(lambda, accuracy);
    Q_EMIT sweepsChanged();
}

void EvaluationController::finishSweep(Job *job, const QString &label)
{
    const auto it = m_sweepIndexByJob.find(job->id());
    if (it == m_sweepIndexByJob.end())
        return; // nothing measured
    const int index = *it;
    m_sweepIndexByJob.erase(it);
    if (job->state() == Job::State::Finished) {
        // A complete run replaces the earlier runs of the same sweep, partial or complete.
        QVector<SweepSeries> kept;
        for (int i = 0; i < m_sweeps.size(); ++i) {
            if (i == index || m_sweeps.at(i).label != label)
                kept.append(m_sweeps.at(i));
        }
        m_sweeps = kept;
        m_sweepIndexByJob.clear(); // one sweep runs at a time; indices are rebuilt from scratch
    } else {
        // An interrupted run keeps its points beside the last complete one.
        m_sweeps[index].partial = true;
    }
    Q_EMIT sweepsChanged();
}

Job *EvaluationController::analyseTaskVectors(const MethodSettings &compute)
{
    auto result = std::make_shared<HeatMatrix>();
    auto poolPath = std::make_shared<QString>();
    const WorkspaceController *workspace = m_workspace;
    Job *job = m_queue->enqueue(tr("Task-vector similarity"), [=](const JobContext &context) {
        const auto pool = workspace->pool();
        if (!pool)
            throw Error(QStringLiteral("no model pool is open: open a pool first"));
        configureThreads(compute.threads);
        const torch::Tensor similarity = taskVectorSimilarity(
            MergeInputs{&pool->pretrained.vision, pool->taskWeights()}, context);
        const int tasks = pool->taskCount();
        *result = HeatMatrix(tasks, tasks);
        const auto s = similarity.accessor<double, 2>();
        for (int a = 0; a < tasks; ++a)
            for (int b = 0; b < tasks; ++b)
                result->at(a, b) = s[a][b];
        result->rowLabels = pool->taskNames();
        result->columnLabels = pool->taskNames();
        result->rowTitle = tr("task");
        result->columnTitle = result->rowTitle;
        result->valueTitle = tr("cosine similarity of task vectors");
        *poolPath = pool->pool.path;
    });
    connect(job, &Job::finished, this, [this, job, result, poolPath] {
        if (job->state() != Job::State::Finished || !matchesTable(result->rowLabels, *poolPath))
            return;
        m_similarity = *result;
        Q_EMIT taskSimilarityChanged();
    });
    return job;
}

QStringList EvaluationController::exportableRows() const
{
    QStringList rows;
    for (const AccuracyTable::Row &row : m_table->table().rows()) {
        const auto it = m_calls.find(row.method);
        if (it != m_calls.end() && it->description().buildsOneModel)
            rows << row.method;
    }
    return rows;
}

std::optional<MethodCall> EvaluationController::callForRow(const QString &label) const
{
    const auto it = m_calls.find(label);
    if (it == m_calls.end())
        return std::nullopt;
    return *it;
}

bool EvaluationController::addMeasuredRow(const QString &label, const QVector<double> &accuracy,
                                          const QString &routingMode, const QStringList &tasks, const QString &poolPath)
{
    if (!matchesTable(tasks, poolPath))
        return false;
    m_table->setRow(label, accuracy, routingMode);
    m_calls.remove(label); // not a static merge: its model is not rebuilt from a request
    Q_EMIT rowFinished(label);
    return true;
}

void EvaluationController::clearResults()
{
    m_table->clear(m_table->table().tasks());
    m_calls.clear();
    m_sweeps.clear();
    m_sweepIndexByJob.clear();
    m_similarity = HeatMatrix();
    Q_EMIT sweepsChanged();
    Q_EMIT taskSimilarityChanged();
    Q_EMIT resultsCleared();
}

void EvaluationController::restore(const SessionData &session)
{
    m_table->setTable(session.table, session.routingModes);
    m_calls = session.rowCalls;
    m_sweeps = session.sweeps;
    m_sweepIndexByJob.clear();
    m_similarity = session.taskSimilarity;
    m_resultsPool = absolutePath(session.poolPath);
    Q_EMIT sweepsChanged();
    Q_EMIT taskSimilarityChanged();
}

void EvaluationController::store(SessionData &session) const
{
    session.table = m_table->table();
    session.routingModes = m_table->routingModes();
    session.rowCalls.clear();
    for (const AccuracyTable::Row &row : session.table.rows()) {
        const auto it = m_calls.find(row.method);
        if (it != m_calls.end())
            session.rowCalls.insert(row.method, *it);
    }
    session.sweeps = m_sweeps;
    session.taskSimilarity = m_similarity;
}

} // namespace wemoe::ui
