#include "adaptive_method.h"

#include "cli_support.h"

#include "common/error.h"
#include "wemoe/upscaled_evaluation.h"

#include <QtCore/QTextStream>

namespace wemoe::cli {

RoutingMode parseRoutingMode(const QString &text)
{
    if (text == QLatin1String("sample") || text == QLatin1String("per_sample"))
        return RoutingMode::PerSample;
    if (text == QLatin1String("batch") || text == QLatin1String("batch_reduce"))
        return RoutingMode::BatchReduce;
    throw Error(QStringLiteral("routing '%1': expected sample (per-sample, the paper's method) or batch "
                               "(batch-averaged)")
                    .arg(text));
}

QString AdaptiveMethod::label() const
{
    switch (kind) {
    case Kind::AdaMergingTaskWise:
    case Kind::AdaMergingLayerWise:
        return QStringLiteral("adamerging (%1, %2 steps, lr %3)")
            .arg(adaMergingGranularityName(adaMerging.granularity))
            .arg(adaMerging.steps)
            .arg(adaMerging.learningRate);
    case Kind::Wemoe:
        return upscaledLabel(upscale, evalRouting, AdaptationHistory{}.followedBy(AdaptationRun::of(adaptation)));
    }
    return {};
}

std::optional<AdaptiveMethod> parseAdaptiveMethod(const QString &text)
{
    const int colon = text.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? text : text.left(colon)).trimmed();
    AdaptiveMethod method;
    method.text = text;
    if (name == QLatin1String("adamerging_task") || name == QLatin1String("adamerging")) {
        method.kind = AdaptiveMethod::Kind::AdaMergingTaskWise;
    } else if (name == QLatin1String("adamerging_layer")) {
        method.kind = AdaptiveMethod::Kind::AdaMergingLayerWise;
        method.adaMerging.granularity = AdaMergingGranularity::LayerWise;
    } else if (name == QLatin1String("wemoe")) {
        method.kind = AdaptiveMethod::Kind::Wemoe;
    } else {
        return std::nullopt;
    }
    const bool isWemoe = method.kind == AdaptiveMethod::Kind::Wemoe;
    const auto pairs = colon < 0 ? QStringList() : text.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const int eq = pair.indexOf(QLatin1Char('='));
        if (eq < 0)
            throw Error(QStringLiteral("method '%1': expected KEY=VALUE, got '%2'").arg(text, pair));
        const QString key = pair.left(eq).trimmed().toLower();
        const QString value = pair.mid(eq + 1).trimmed();
        bool ok = true;
        const auto number = [&]() {
            const double v = value.toDouble(&ok);
            if (!ok)
                throw Error(QStringLiteral("method '%1': %2=%3 is not a number").arg(text, key, value));
            return v;
        };
        if (key == QLatin1String("steps")) {
            method.adaMerging.steps = method.adaptation.steps = static_cast<int>(number());
        } else if (key == QLatin1String("lr")) {
            method.adaMerging.learningRate = method.adaptation.learningRate = number();
        } else if (key == QLatin1String("batch")) {
            method.adaMerging.batchSize = method.adaptation.batchSize = static_cast<int>(number());
        } else if (key == QLatin1String("seed")) {
            method.adaMerging.seed = method.adaptation.seed = static_cast<quint64>(number());
            method.upscale.mlp.routerSeed = method.adaMerging.seed;
        } else if (key == QLatin1String("init_lambda")) {
            method.adaMerging.initLambda = method.upscale.mlp.initLambda = number();
        } else if (isWemoe && key == QLatin1String("lambda")) {
            method.upscale.scalingFactor = number();
        } else if (isWemoe && key == QLatin1String("depth")) {
            method.upscale.mlp.routerDepth = static_cast<int>(number());
        } else if (isWemoe && key == QLatin1String("routing")) {
            method.evalRouting = parseRoutingMode(value);
        } else if (isWemoe && key == QLatin1String("diversity")) {
            method.adaptation.diversityWeight = number();
        } else if (isWemoe && key == QLatin1String("adapt_routing")) {
            method.adaptation.routing = parseRoutingMode(value);
        } else if (isWemoe && key == QLatin1String("bf16")) {
            method.upscale.mlp.bf16TaskVectors = value == QLatin1String("true") || value == QLatin1String("1");
        } else {
            throw Error(QStringLiteral("method '%1': unknown parameter '%2'").arg(text, key));
        }
    }
    if (isWemoe && (method.upscale.mlp.routerDepth < 0 || method.upscale.mlp.routerDepth > 2))
        throw Error(QStringLiteral("method '%1': depth must be 0, 1 or 2").arg(text));
    return method;
}

QString adaptiveMethodHelp()
{
    return QStringLiteral(
        "Adaptive methods (learn on the unlabeled test images first):\n"
        "  adamerging_task, adamerging_layer  keys: steps (1000), lr (1e-3), batch (16), seed, init_lambda (0.3)\n"
        "  wemoe  keys: steps (1000), lr (1e-4), batch (16), seed, depth (router depth 0|1|2, 2),\n"
        "         init_lambda (0.3), lambda (task arithmetic outside the MLPs, 0.3),\n"
        "         routing (sample|batch at evaluation, sample), adapt_routing (sample|batch, sample), bf16 (false),\n"
        "         diversity (weight of the batch-prediction entropy subtracted from the loss, 0 = the paper's)");
}

QVector<double> runAdaptiveMethod(const AdaptiveMethod &method, const LoadedPool &pool, const EvalOptions &options,
                                  const JobContext &context, RoutingCapture *capture)
{
    if (method.kind != AdaptiveMethod::Kind::Wemoe) {
        AdaMergingOptions ada = method.adaMerging;
        ada.device = options.device;
        const auto result = adaMerging(pool, ada, {}, context);
        finishProgress();
        const PoolEvaluator evaluator(pool, options);
        return evaluator.evaluateModel(result.merged, context);
    }
    auto model = UpscaledClipModel::upscale(pool.pretrained.config,
                                            MergeInputs{&pool.pretrained.vision, pool.taskWeights()},
                                            pool.taskNames(), method.upscale, options.device, context);
    adaptRouters(model, pool, method.adaptation, {}, context);
    finishProgress();
    auto evaluation = evaluateUpscaled(model, pool, method.evalRouting, options.batchSize, capture != nullptr, context);
    if (capture)
        *capture = std::move(evaluation.capture);
    return evaluation.accuracy;
}

} // namespace wemoe::cli
