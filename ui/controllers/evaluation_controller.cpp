#include "controllers/evaluation_controller.h"

#include "common/device.h"
#include "common/error.h"
#include "controllers/engine_conversions.h"
#include "controllers/job_queue.h"
#include "controllers/task_vector_similarity.h"
#include "controllers/workspace_controller.h"
#include "eval/evaluator.h"
#include "io/loaded_pool.h"
#include "merge/merge_spec.h"
#include "models/accuracy_table_model.h"
#include "models/session_data.h"

#include <QtCore/QFileInfo>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>

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
    run.pool = workspace->pool();
    if (!run.pool)
        throw Error(QStringLiteral("no model pool is open: open a pool first"));
    // Thread settings are per thread under OpenMP: apply them on the worker.
    configureThreads(compute.threads);
    run.options.device = parseDevice(compute.device);
    run.options.batchSize = compute.evalBatchSize;
    return run;
}

MergeInputs mergeInputs(const LoadedPool &pool)
{
    MergeInputs inputs;
    inputs.pretrained = &pool.pretrained.vision;
    inputs.finetuned = pool.taskWeights();
    return inputs;
}

bool needsMerge(StaticMethod method)
{
    return method != StaticMethod::Pretrained && method != StaticMethod::Individual;
}

// "ties (k=20%, sum)": a sweep's name, the method label without λ.
QString sweepLabel(const MethodRequest &request)
{
    QString label = methodLabel(request);
    static const QRegularExpression lambda(QStringLiteral("λ=[^,)]*(, )?"));
    label.replace(lambda, QString());
    label.replace(QStringLiteral(" ()"), QString());
    label.replace(QStringLiteral(", )"), QStringLiteral(")"));
    return label;
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
    const QVector<MethodRequest> requests = settings.requests();
    if (settings.sweep) {
        settings.sweepPoints();
        if (!settings.request(settings.sweepMethod).hasScalingFactor())
            throw Error(tr("λ sweep: %1 has no scaling factor; choose task arithmetic, TIES or DARE")
                            .arg(staticMethodKey(settings.sweepMethod)));
    }
    for (const MethodRequest &request : requests)
        toMergeSpec(request); // throws for a bad TIES merge function
    if (requests.isEmpty() && !settings.sweep && !settings.taskVectorAnalysis && !settings.hasAdaptiveMethods())
        throw Error(tr("nothing to run: check at least one method, the λ sweep or the task-vector analysis"));

    QList<Job *> jobs;
    if (settings.taskVectorAnalysis)
        jobs << analyseTaskVectors(settings);
    for (const MethodRequest &request : requests)
        jobs << evaluate(request, settings);
    if (settings.sweep)
        jobs << sweep(settings);
    return jobs;
}

Job *EvaluationController::evaluate(const MethodRequest &request, const MethodSettings &compute)
{
    const QString label = methodLabel(request);
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
        const PoolEvaluator evaluator(*run.pool, run.options);
        const MergeSpec spec = toMergeSpec(request);
        if (needsMerge(request.method)) {
            const TensorMap merged = spec.merge(mergeInputs(*run.pool), context);
            result->accuracy = evaluator.evaluateModel(merged, context);
        } else {
            result->accuracy = evaluator.evaluateMethod(spec, context);
        }
        result->tasks = run.pool->taskNames();
        result->poolPath = run.pool->pool.path;
    });
    connect(job, &Job::finished, this, [this, job, result, label, request] {
        if (job->state() != Job::State::Finished || !matchesTable(result->tasks, result->poolPath))
            return;
        m_table->setRow(label, result->accuracy);
        m_requests.insert(label, request);
        Q_EMIT rowFinished(label);
    });
    return job;
}

Job *EvaluationController::sweep(const MethodSettings &settings)
{
    const QVector<double> points = settings.sweepPoints();
    const MethodRequest base = settings.request(settings.sweepMethod);
    if (!base.hasScalingFactor())
        throw Error(tr("λ sweep: %1 has no scaling factor").arg(staticMethodKey(base.method)));
    const QString label = sweepLabel(base);
    const WorkspaceController *workspace = m_workspace;
    QPointer<EvaluationController> self(this);
    auto jobId = std::make_shared<int>(0);

    Job *job = m_queue->enqueue(tr("λ sweep of %1 (%2 points)").arg(label).arg(points.size()), [=](const JobContext &context) {
        const PreparedRun run = prepare(workspace, settings);
        const PoolEvaluator evaluator(*run.pool, run.options);
        const MergeInputs inputs = mergeInputs(*run.pool);
        SweepSeries shape;
        shape.method = staticMethodKey(base.method);
        shape.label = label;
        shape.tasks = run.pool->taskNames();
        const qint64 perPoint = evaluator.totalImages();
        const qint64 total = perPoint * points.size();
        for (int p = 0; p < points.size(); ++p) {
            context.throwIfCancelled();
            MethodRequest request = base;
            request.lambda = points[p];
            // Merging reports no progress here: the sweep counts images over all points.
            JobContext mergeContext;
            mergeContext.cancelFlag = context.cancelFlag;
            mergeContext.onWarning = context.onWarning;
            const TensorMap merged = toMergeSpec(request).merge(inputs, mergeContext);
            JobContext pointContext = context;
            const QString what = QStringLiteral("λ=%1").arg(points[p]);
            pointContext.onProgress = [&context, p, perPoint, total, what](qint64 done, qint64, const QString &) {
                context.progress(p * perPoint + done, total, what);
            };
            const QVector<double> accuracy = evaluator.evaluateModel(merged, pointContext);
            // Every measured point goes to the plot at once: a cancel keeps them.
            const double lambda = points[p];
            const int id = *jobId;
            QMetaObject::invokeMethod(
                self.data(),
                [self, id, shape, lambda, accuracy] {
                    if (self)
                        self->addSweepPoint(id, shape, lambda, accuracy);
                },
                Qt::QueuedConnection);
        }
    });
    *jobId = job->id();
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
        *result = taskVectorSimilarity(*pool, context);
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
        const auto it = m_requests.find(row.method);
        if (it != m_requests.end() && it->isExportable())
            rows << row.method;
    }
    return rows;
}

std::optional<MethodRequest> EvaluationController::requestForRow(const QString &label) const
{
    const auto it = m_requests.find(label);
    if (it == m_requests.end())
        return std::nullopt;
    return *it;
}

bool EvaluationController::addMeasuredRow(const QString &label, const QVector<double> &accuracy,
                                          const QString &routingMode, const QStringList &tasks, const QString &poolPath)
{
    if (!matchesTable(tasks, poolPath))
        return false;
    m_table->setRow(label, accuracy, routingMode);
    m_requests.remove(label); // not a static merge: its model is not rebuilt from a request
    Q_EMIT rowFinished(label);
    return true;
}

void EvaluationController::clearResults()
{
    m_table->clear(m_table->table().tasks());
    m_requests.clear();
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
    m_requests = session.rowRequests;
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
    session.rowRequests.clear();
    for (const AccuracyTable::Row &row : session.table.rows()) {
        if (m_requests.contains(row.method))
            session.rowRequests.insert(row.method, m_requests.value(row.method));
    }
    session.sweeps = m_sweeps;
    session.taskSimilarity = m_similarity;
}

} // namespace wemoe::ui
