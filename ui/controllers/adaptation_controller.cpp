#include "controllers/adaptation_controller.h"

#include "common/device.h"
#include "common/error.h"
#include "controllers/adapted_model.h"
#include "controllers/evaluation_controller.h"
#include "controllers/job_queue.h"
#include "controllers/routing_capture_conversion.h"
#include "controllers/workspace_controller.h"
#include "eval/evaluator.h"
#include "io/loaded_pool.h"
#include "models/session_data.h"
#include "wemoe/adamerging.h"
#include "wemoe/prediction_collapse.h"
#include "wemoe/router_adaptation.h"
#include "wemoe/upscaled_evaluation.h"

#include <QtCore/QFileInfo>
#include <QtCore/QPointer>

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
    RoutingCapture capture; // WEMoE only
    QStringList collapseWarnings; // tasks whose predictions went to one class while adapting
};

namespace {

AdaMergingGranularity granularityOf(AdaptationController::Method method)
{
    return method == AdaptationController::Method::AdaMergingLayerWise ? AdaMergingGranularity::LayerWise
                                                                       : AdaMergingGranularity::TaskWise;
}

// The command line's label, so a row reads the same wherever it was measured.
QString adaMergingLabel(const AdaMergingOptions &options)
{
    return QStringLiteral("adamerging (%1, %2 steps, lr %3)")
        .arg(adaMergingGranularityName(options.granularity))
        .arg(options.steps)
        .arg(options.learningRate);
}

RoutingMode routingModeOf(const QString &key)
{
    return key == QLatin1String("batch_reduce") ? RoutingMode::BatchReduce : RoutingMode::PerSample;
}

} // namespace

QString adaptiveMethodTitle(AdaptationController::Method method)
{
    switch (method) {
    case AdaptationController::Method::AdaMergingTaskWise:
        return AdaptationController::tr("AdaMerging, task-wise");
    case AdaptationController::Method::AdaMergingLayerWise:
        return AdaptationController::tr("AdaMerging, layer-wise");
    case AdaptationController::Method::Wemoe:
        return AdaptationController::tr("WEMoE");
    }
    return QString();
}

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

void AdaptationController::validate(const MethodSettings &settings)
{
    if (!settings.hasAdaptiveMethods())
        return;
    if (settings.adaptationBatchSize <= 0)
        throw Error(tr("adaptation: the batch per task must be positive"));
    if ((settings.adaMergingTaskWise || settings.adaMergingLayerWise) && settings.adaMergingSteps <= 0)
        throw Error(tr("adaptation: the number of steps must be positive"));
    if (settings.wemoe && settings.wemoeSteps <= 0)
        throw Error(tr("adaptation: the number of steps must be positive"));
    if (settings.wemoe && (settings.routerDepth < 0 || settings.routerDepth > 2))
        throw Error(tr("WEMoE: the router depth must be 0, 1 or 2"));
    if (settings.wemoe && !(settings.wemoeDiversity >= 0.0))
        throw Error(tr("WEMoE: the diversity weight must be 0 (the paper's objective) or positive"));
}

QList<Job *> AdaptationController::run(const MethodSettings &settings)
{
    validate(settings); // before anything is queued
    QList<Job *> jobs;
    if (settings.adaMergingTaskWise)
        jobs << adapt(Method::AdaMergingTaskWise, settings);
    if (settings.adaMergingLayerWise)
        jobs << adapt(Method::AdaMergingLayerWise, settings);
    if (settings.wemoe)
        jobs << adapt(Method::Wemoe, settings);
    return jobs;
}

Job *AdaptationController::adapt(Method method, const MethodSettings &settings)
{
    MethodSettings only = settings; // the checks of this method alone
    only.adaMergingTaskWise = method == Method::AdaMergingTaskWise;
    only.adaMergingLayerWise = method == Method::AdaMergingLayerWise;
    only.wemoe = method == Method::Wemoe;
    validate(only);
    const int steps = method == Method::Wemoe ? settings.wemoeSteps : settings.adaMergingSteps;

    const QString title = tr("Adapt and evaluate %1 (%n step(s))", nullptr, steps).arg(adaptiveMethodTitle(method));
    auto outcome = std::make_shared<Outcome>();
    auto jobId = std::make_shared<int>(0);
    const WorkspaceController *workspace = m_workspace;
    QPointer<AdaptationController> self(this);

    Job *job = m_queue->enqueue(title, [=](const JobContext &context) {
        const auto pool = workspace->pool();
        if (!pool)
            throw Error(QStringLiteral("no model pool is open: open a pool first"));
        // Thread settings are per thread under OpenMP: apply them on the worker.
        configureThreads(settings.threads);
        EvalOptions evalOptions;
        evalOptions.device = parseDevice(settings.device);
        evalOptions.batchSize = settings.evalBatchSize;

        // Every completed step goes to the GUI thread at once (the live curve).
        const int id = *jobId;
        auto collapse = std::make_shared<PredictionCollapseMonitor>();
        const AdaptationStepCallback onStep = [self, id, title, collapse](const AdaptationStep &step) {
            collapse->add(step); // on the worker, before the step goes to the GUI thread
            QMetaObject::invokeMethod(
                self.data(),
                [self, id, title, step] {
                    if (self)
                        self->appendStep(id, title, step.step, step.loss, step.taskEntropy);
                },
                Qt::QueuedConnection);
        };

        auto model = std::make_shared<AdaptedModel>();
        model->poolPath = QFileInfo(pool->pool.path).absoluteFilePath();
        model->tasks = pool->taskNames();
        if (method == Method::Wemoe) {
            UpscaleOptions upscale; // λ 0.3 outside the MLPs, as in the paper
            upscale.mlp.routerDepth = settings.routerDepth;
            upscale.mlp.initLambda = settings.wemoeInitLambda;
            RouterAdaptationOptions adaptation; // adapts with per-sample routing, the paper's method
            adaptation.steps = settings.wemoeSteps;
            adaptation.learningRate = settings.wemoeLearningRate;
            adaptation.diversityWeight = settings.wemoeDiversity;
            adaptation.batchSize = settings.adaptationBatchSize;
            const RoutingMode mode = routingModeOf(settings.routingMode);

            auto upscaled = std::make_shared<UpscaledClipModel>(UpscaledClipModel::upscale(
                pool->pretrained.config, MergeInputs{&pool->pretrained.vision, pool->taskWeights()},
                pool->taskNames(), upscale, evalOptions.device, context));
            adaptRouters(*upscaled, *pool, adaptation, onStep, context);
            auto evaluation = evaluateUpscaled(*upscaled, *pool, mode, evalOptions.batchSize, true, context);
            const AdaptationHistory history = AdaptationHistory{}.followedBy(AdaptationRun::of(adaptation));
            outcome->label = upscaledLabel(upscaled->options(), mode, history);
            outcome->routingMode = routingModeName(mode);
            outcome->accuracy = evaluation.accuracy;
            outcome->capture = toUiCapture(evaluation.capture, *pool);
            model->meanRouting = evaluation.capture.meanPerTask();
            model->adaptation = history;
            model->routingMode = outcome->routingMode;
            model->wemoe = std::move(upscaled);
        } else {
            AdaMergingOptions options;
            options.granularity = granularityOf(method);
            options.initLambda = settings.adaMergingInitLambda;
            options.steps = settings.adaMergingSteps;
            options.learningRate = settings.adaMergingLearningRate;
            options.batchSize = settings.adaptationBatchSize;
            options.device = evalOptions.device;
            AdaMergingResult result = adaMerging(*pool, options, onStep, context);
            const PoolEvaluator evaluator(*pool, evalOptions);
            outcome->accuracy = evaluator.evaluateModel(result.merged, context);
            outcome->label = adaMergingLabel(options);
            model->merged = std::move(result.merged);
        }
        model->label = outcome->label;
        outcome->collapseWarnings = collapse->warnings(pool->taskNames());
        outcome->tasks = pool->taskNames();
        outcome->poolPath = pool->pool.path;
        outcome->model = std::move(model);
    });
    *jobId = job->id();
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
            curve.method = tr("%1 (stopped at step %2)").arg(curve.method).arg(curve.steps.isEmpty() ? 0 : int(curve.steps.last()));
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
    Q_EMIT rowFinished(outcome->label);
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
    Q_EMIT curveChanged(AdaptationCurve());
    Q_EMIT captureChanged(m_capture);
}

void AdaptationController::restore(const SessionData &session)
{
    m_curves = session.adaptationCurves;
    m_curveByJob.clear();
    m_models.clear(); // a restored session holds numbers, not models
    m_modelOrder.clear();
    m_capture = session.routing;
    m_captureLabel = session.routingLabel;
    Q_EMIT curveChanged(m_curves.isEmpty() ? AdaptationCurve() : m_curves.last());
    Q_EMIT captureChanged(m_capture);
}

void AdaptationController::store(SessionData &session) const
{
    // A curve still growing is saved as far as it got.
    session.adaptationCurves = m_curves;
    session.routing = m_capture;
    session.routingLabel = m_captureLabel;
}

} // namespace wemoe::ui
