#include "methods/method_run.h"

#include "adapt/adamerging.h"
#include "adapt/prediction_collapse.h"
#include "adapt/router_adaptation.h"
#include "common/error.h"
#include "merge/merge_spec.h"
#include "methods/engine_options.h"
#include "moe/upscaled_evaluation.h"

namespace wemoe {

namespace {

MergeInputs mergeInputsOf(const LoadedPool &pool)
{
    return MergeInputs{&pool.pretrained.vision, pool.taskWeights()};
}

// Merging is quick next to evaluation: it reports no progress of its own when both run.
JobContext withoutProgress(const JobContext &context)
{
    JobContext quiet;
    quiet.cancelFlag = context.cancelFlag;
    quiet.onWarning = context.onWarning;
    return quiet;
}

MethodOutcome runStatic(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                        const JobContext &context)
{
    MethodOutcome outcome;
    outcome.label = call.label();
    const MergeSpec spec = toMergeSpec(call);
    const bool merges = spec.method != MergeSpec::Method::Individual
                        && (options.keepModel || spec.method != MergeSpec::Method::Pretrained);
    if (options.keepModel && !call.description().buildsOneModel)
        throw Error(QStringLiteral("%1: each task keeps its own model, so there is no single model to keep")
                        .arg(call.method()));
    if (merges && (options.keepModel || options.evaluate))
        outcome.merged = spec.merge(mergeInputsOf(pool), options.evaluate ? withoutProgress(context) : context);
    if (options.evaluate) {
        const PoolEvaluator evaluator(pool, options.eval);
        outcome.accuracy = merges ? evaluator.evaluateModel(outcome.merged, context)
                                  : evaluator.evaluateMethod(spec, context);
    }
    if (!options.keepModel)
        outcome.merged.clear();
    return outcome;
}

// RegMean, RegMean++, Fisher: statistics of a few images per task, then one
// merge in closed form. Both phases report their own progress (the first in
// images read, the second in images evaluated), as AdaMerging's do.
MethodOutcome runDataMerge(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                           const JobContext &context)
{
    MethodOutcome outcome;
    outcome.label = call.label();
    const CalibrationOptions calibration = toCalibrationOptions(call);
    const CalibrationData data = CalibrationData::open(pool, calibration);
    if (const QStringList onTest = data.tasksUsingTestImages();
        calibration.images == CalibrationImages::TrainOrTest && !onTest.isEmpty())
        context.warn(QStringLiteral("%1: no train_data for %2, so their test images were used")
                         .arg(call.method(), onTest.join(QStringLiteral(", "))));
    TensorMap merged;
    if (call.method() == QLatin1String("fisher")) {
        FisherMergingOptions fisher = toFisherMergingOptions(call);
        fisher.device = options.eval.device;
        merged = fisherMerging(pool, data, fisher, context).merged;
    } else {
        RegMeanOptions regMeanOptions = toRegMeanOptions(call);
        regMeanOptions.device = options.eval.device;
        merged = regMean(pool, data, regMeanOptions, context).merged;
    }
    if (options.evaluate)
        outcome.accuracy = PoolEvaluator(pool, options.eval).evaluateModel(merged, context);
    if (options.keepModel)
        outcome.merged = std::move(merged);
    return outcome;
}

MethodOutcome runAdaMerging(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                            const JobContext &context, const AdaptationStepCallback &onStep)
{
    AdaMergingOptions ada = toAdaMergingOptions(call);
    ada.device = options.eval.device;
    AdaMergingResult result = adaMerging(pool, ada, onStep, context);
    MethodOutcome outcome;
    outcome.label = adaMergingLabel(ada);
    if (options.evaluate) {
        const PoolEvaluator evaluator(pool, options.eval);
        outcome.accuracy = evaluator.evaluateModel(result.merged, context);
    }
    outcome.coefficients = result.coefficients;
    outcome.coefficientGroups = result.groups;
    if (options.keepModel)
        outcome.merged = std::move(result.merged);
    return outcome;
}

MethodOutcome runWemoe(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                       const JobContext &context, const AdaptationStepCallback &onStep)
{
    std::shared_ptr<UpscaledClipModel> model = options.startFrom;
    if (!model)
        model = std::make_shared<UpscaledClipModel>(
            UpscaledClipModel::upscale(pool.pretrained.config, mergeInputsOf(pool), pool.taskNames(),
                                       toUpscaleOptions(call), options.eval.device, context));
    RouterAdaptationOptions adaptation = toRouterAdaptationOptions(call);
    adaptation.checkpointEvery = options.checkpointEvery;
    adaptation.checkpointFile = options.checkpointFile;
    adaptRouters(*model, pool, adaptation, onStep, context);

    MethodOutcome outcome;
    const RoutingMode mode = evaluationRouting(call);
    outcome.adaptation = options.startHistory.followedBy(adaptationRunOf(adaptation));
    outcome.label = upscaledLabel(model->options(), mode, outcome.adaptation);
    outcome.routingMode = routingModeName(mode);
    if (options.evaluate) {
        auto evaluation = evaluateUpscaled(*model, pool, mode, options.eval.batchSize, options.captureRouting, context);
        outcome.accuracy = std::move(evaluation.accuracy);
        outcome.capture = std::move(evaluation.capture);
    }
    if (options.keepModel)
        outcome.wemoe = std::move(model);
    return outcome;
}

} // namespace

MethodOutcome runMethod(const MethodCall &call, const LoadedPool &pool, const MethodRunOptions &options,
                        const JobContext &context)
{
    if (call.description().kind == MethodDescription::Kind::DataMerge)
        return runDataMerge(call, pool, options, context);
    if (!call.description().adapts())
        return runStatic(call, pool, options, context);
    // Every step is watched for a collapse onto one class before it goes on.
    PredictionCollapseMonitor collapse;
    const AdaptationStepCallback onStep = [&collapse, &options](const AdaptationStep &step) {
        collapse.add(step);
        if (options.onStep)
            options.onStep(step);
    };
    MethodOutcome outcome = call.description().upscales ? runWemoe(call, pool, options, context, onStep)
                                                        : runAdaMerging(call, pool, options, context, onStep);
    outcome.collapseWarnings = collapse.warnings(pool.taskNames());
    return outcome;
}

void runLambdaSweep(const LambdaSweep &sweep, const LoadedPool &pool, const EvalOptions &options,
                    const SweepPointCallback &onPoint, const JobContext &context)
{
    const QVector<double> lambdas = sweep.points();
    const PoolEvaluator evaluator(pool, options);
    const MergeInputs inputs = mergeInputsOf(pool);
    const qint64 perPoint = evaluator.totalImages();
    const qint64 total = perPoint * lambdas.size();
    for (int p = 0; p < lambdas.size(); ++p) {
        context.throwIfCancelled();
        const MethodCall call = sweep.at(lambdas.at(p));
        const QString label = call.label();
        const TensorMap merged = toMergeSpec(call).merge(inputs, withoutProgress(context));
        JobContext pointContext = context;
        const QString what = QStringLiteral("λ=%1").arg(lambdas.at(p));
        pointContext.onProgress = [&context, p, perPoint, total, what](qint64 done, qint64, const QString &) {
            context.progress(p * perPoint + done, total, what);
        };
        onPoint(lambdas.at(p), label, evaluator.evaluateModel(merged, pointContext));
    }
}

} // namespace wemoe
