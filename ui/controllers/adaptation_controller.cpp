#include "controllers/adaptation_controller.h"

#include "adapt/adamerging_coefficients.h"
#include "common/device.h"
#include "common/error.h"
#include "controllers/coefficient_table_conversion.h"
#include "controllers/evaluation_controller.h"
#include "controllers/routing_capture_conversion.h"
#include "controllers/workspace_controller.h"
#include "methods/adapted_model.h"
#include "methods/learned_coefficients.h"
#include "methods/method_run.h"
#include "models/session_data.h"
#include "pool/loaded_pool.h"
#include "queue/job_channel.h"
#include "queue/job_queue.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace wemoe::ui {

// What a finished job hands to the GUI thread.
struct AdaptationController::Outcome
{
    QString label;
    QString routingMode; // empty for AdaMerging: one plain model, no routing
    QVector<double> accuracy;
    QStringList tasks;
    QString poolPath;
    std::shared_ptr<AdaptedModel> model;
    RoutingCapture capture;        // WEMoE only
    CoefficientTable coefficients; // AdaMerging only: the λ it learned
    QStringList collapseWarnings;  // tasks whose predictions went to one class while adapting
};

AdaptationController::AdaptationController(JobQueue *queue, WorkspaceController *workspace,
                                           EvaluationController *evaluation, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_workspace(workspace)
    , m_evaluation(evaluation)
{
    connect(m_evaluation, &EvaluationController::resultsCleared, this, &AdaptationController::clearResults);
}

AdaptationController::~AdaptationController() = default;

QList<Job *> AdaptationController::run(const MethodSettings &settings)
{
    QList<Job *> jobs;
    for (const MethodCall &call : settings.adaptiveCalls())
        jobs << adapt(call, settings);
    return jobs;
}

Job *AdaptationController::adapt(const MethodCall &call, const MethodSettings &compute)
{
    if (!call.description().adapts())
        throw Error(tr("%1 does not adapt at test time").arg(call.method()));
    const int steps = call.integer(QStringLiteral("steps"));
    const QString title =
        tr("Adapt and evaluate %1 (%n step(s))", nullptr, steps).arg(catalogueText(call.description().title));
    auto outcome = std::make_shared<Outcome>();
    const WorkspaceController *workspace = m_workspace;
    const JobChannel<AdaptationStep> completed; // every completed step, at once (the live curve)

    Job *job = m_queue->enqueue(title, [=](const JobContext &context) {
        const auto pool = LoadedPool::withTestImageLimit(workspace->pool(), compute.maxTestImagesPerTask);
        if (!pool)
            throw Error(QStringLiteral("no model pool is open: open a pool first"));
        // Thread settings are per thread under OpenMP: apply them on the worker.
        configureThreads(compute.threads);
        MethodRunOptions options;
        options.eval.device = parseDevice(compute.device);
        options.eval.batchSize = compute.evalBatchSize;
        options.captureRouting = true;
        options.keepModel = true;
        options.onStep = [completed](const AdaptationStep &step) { completed.send(step); };
        MethodOutcome result = runMethod(call, *pool, options, context);

        auto model = std::make_shared<AdaptedModel>();
        model->poolPath = QFileInfo(pool->pool.path).absoluteFilePath();
        model->tasks = pool->taskNames();
        model->label = result.label;
        if (result.wemoe) {
            outcome->capture = toUiCapture(result.capture, *pool);
            if (call.has(QStringLiteral("init_lambda")))
                outcome->capture.initLambda = call.real(QStringLiteral("init_lambda"));
            model->meanRouting = result.capture.meanPerTask();
            model->adaptation = result.adaptation;
            model->routingMode = result.routingMode;
            model->wemoe = std::move(result.wemoe);
        } else {
            model->coefficients = learnedCoefficients(result, pool->taskNames());
            if (model->coefficients) {
                outcome->coefficients = toCoefficientTable(*model->coefficients);
                if (call.has(QStringLiteral("init_lambda")))
                    outcome->coefficients.initLambda = call.real(QStringLiteral("init_lambda"));
            }
            model->merged = std::move(result.merged);
        }
        outcome->label = result.label;
        outcome->routingMode = result.routingMode;
        outcome->accuracy = result.accuracy;
        outcome->collapseWarnings = result.collapseWarnings;
        outcome->tasks = pool->taskNames();
        outcome->poolPath = pool->pool.path;
        outcome->model = std::move(model);
    });
    completed.connect(job, this, [this, job, title](const AdaptationStep &step) {
        appendStep(job->id(), title, step.step, step.loss, step.taskEntropy);
    });
    connect(job, &Job::finished, this, [this, job, outcome] { finish(job, outcome); });
    return job;
}

void AdaptationController::appendStep(int jobId, const QString &title, int step, double loss,
                                      const QVector<double> &taskEntropy)
{
    auto it = m_curveByJob.find(jobId);
    if (it == m_curveByJob.end()) {
        AdaptationCurve curve;
        curve.method = title; // renamed to the row's label when the run finishes
        curve.tasks = m_workspace->taskNames();
        curve.taskLoss.resize(taskEntropy.size());
        m_curves.append(curve);
        it = m_curveByJob.insert(jobId, m_curves.size() - 1);
    }
    AdaptationCurve &curve = m_curves[*it];
    curve.steps.append(step);
    curve.loss.append(loss);
    for (int t = 0; t < curve.taskLoss.size() && t < taskEntropy.size(); ++t)
        curve.taskLoss[t].append(taskEntropy.at(t));
    Q_EMIT curveChanged(curve);
}

void AdaptationController::finish(Job *job, const std::shared_ptr<Outcome> &outcome)
{
    const auto curveIt = m_curveByJob.find(job->id());
    const int curveIndex = curveIt == m_curveByJob.end() ? -1 : *curveIt;
    if (curveIt != m_curveByJob.end())
        m_curveByJob.erase(curveIt);
    if (job->state() != Job::State::Finished) {
        // The steps that completed stay on the plot, marked; no row, no capture.
        if (curveIndex >= 0) {
            AdaptationCurve &curve = m_curves[curveIndex];
            curve.method = tr("%1 (stopped at step %2)")
                               .arg(curve.method)
                               .arg(curve.steps.isEmpty() ? 0 : int(curve.steps.last()));
            Q_EMIT curveChanged(curve);
        }
        return;
    }
    if (!m_evaluation->addMeasuredRow(outcome->label, outcome->accuracy, outcome->routingMode, outcome->tasks,
                                      outcome->poolPath))
        return;
    for (const QString &line : outcome->collapseWarnings)
        Q_EMIT warning(tr("%1: %2").arg(outcome->label, line));
    if (curveIndex >= 0) {
        // A rerun of the same method replaces its earlier complete curve.
        m_curves[curveIndex].method = outcome->label;
        const AdaptationCurve finished = m_curves.at(curveIndex);
        QVector<AdaptationCurve> kept;
        for (int i = 0; i < m_curves.size(); ++i) {
            if (i == curveIndex || m_curves.at(i).method != outcome->label)
                kept.append(m_curves.at(i));
        }
        m_curves = kept;
        m_curveByJob.clear(); // one job runs at a time; no other curve is growing
        Q_EMIT curveChanged(finished);
    }
    m_models.insert(outcome->label, outcome->model);
    m_modelOrder.removeAll(outcome->label);
    m_modelOrder.append(outcome->label);
    if (outcome->model->isWemoe()) {
        m_capture = outcome->capture;
        m_captureLabel = outcome->label;
        Q_EMIT captureChanged(m_capture);
    }
    if (!outcome->coefficients.isEmpty())
        addCoefficients(outcome->coefficients);
    Q_EMIT rowFinished(outcome->label);
}

void AdaptationController::addCoefficients(const CoefficientTable &table)
{
    QVector<CoefficientTable> kept;
    for (const CoefficientTable &held : m_coefficients) {
        if (held.method != table.method || held.source != table.source)
            kept << held;
    }
    kept << table;
    m_coefficients = kept;
    Q_EMIT coefficientsChanged();
}

void AdaptationController::openCoefficients(const QString &file)
{
    addCoefficients(readCoefficientTable(file)); // a few kilobytes: read here, no job
}

bool AdaptationController::openExportedCoefficients(const QString &modelFolder)
{
    const QString file = QDir(modelFolder).filePath(QLatin1String(kAdaMergingJsonName));
    if (!QFileInfo::exists(file))
        return false;
    openCoefficients(file);
    return true;
}

QStringList AdaptationController::exportableRows() const
{
    return m_modelOrder;
}

QStringList AdaptationController::wemoeRows() const
{
    QStringList rows;
    for (const QString &row : m_modelOrder) {
        if (m_models.value(row)->isWemoe())
            rows << row;
    }
    return rows;
}

std::shared_ptr<const AdaptedModel> AdaptationController::model(const QString &row) const
{
    return m_models.value(row);
}

void AdaptationController::clearResults()
{
    m_curves.clear();
    m_curveByJob.clear();
    m_models.clear();
    m_modelOrder.clear();
    m_capture = RoutingCapture();
    m_captureLabel.clear();
    m_coefficients.clear();
    Q_EMIT curveChanged(AdaptationCurve());
    Q_EMIT captureChanged(m_capture);
    Q_EMIT coefficientsChanged();
}

void AdaptationController::restore(const SessionData &session)
{
    m_curves = session.adaptationCurves;
    m_curveByJob.clear();
    m_models.clear(); // a restored session holds numbers, not models
    m_modelOrder.clear();
    m_capture = session.routing;
    m_captureLabel = session.routingLabel;
    m_coefficients = session.coefficients;
    Q_EMIT curveChanged(m_curves.isEmpty() ? AdaptationCurve() : m_curves.last());
    Q_EMIT captureChanged(m_capture);
    Q_EMIT coefficientsChanged();
}

void AdaptationController::store(SessionData &session) const
{
    // A curve still growing is saved as far as it got.
    session.adaptationCurves = m_curves;
    session.routing = m_capture;
    session.routingLabel = m_captureLabel;
    session.coefficients = m_coefficients;
}

} // namespace wemoe::ui
