#include "methods/engine_options.h"

#include "common/error.h"
#include "moe/upscaled_evaluation.h"

namespace wemoe {

namespace {

void requireKind(const MethodCall &call, std::initializer_list<const char *> names, const char *what)
{
    for (const char *name : names) {
        if (call.method() == QLatin1String(name))
            return;
    }
    throw Error(QStringLiteral("%1 is not %2").arg(call.method(), QLatin1String(what)));
}

RoutingMode routingOf(const MethodCall &call, const QString &key)
{
    return call.choice(key) == QLatin1String("batch") ? RoutingMode::BatchReduce : RoutingMode::PerSample;
}

} // namespace

MergeSpec toMergeSpec(const MethodCall &call)
{
    if (call.description().adapts())
        throw Error(QStringLiteral("%1 learns at test time; it is not a static merge").arg(call.method()));
    MergeSpec spec;
    spec.method = MergeSpec::parseMethod(call.method());
    if (call.has(QStringLiteral("lambda")))
        spec.scalingFactor = call.real(QStringLiteral("lambda"));
    if (call.has(QStringLiteral("k"))) {
        spec.ties.topK = call.real(QStringLiteral("k"));
        spec.ties.mergeFunction = parseTiesMergeFunction(call.choice(QStringLiteral("merge")));
        spec.ties.perTensorTopK = call.flag(QStringLiteral("per_tensor"));
    }
    if (call.has(QStringLiteral("p"))) {
        spec.dare.dropRate = call.real(QStringLiteral("p"));
        spec.dare.rescale = call.flag(QStringLiteral("rescale"));
        spec.dare.seed = call.seed(QStringLiteral("seed"));
        spec.dare.thenTies = call.choice(QStringLiteral("then")) == QLatin1String("ties");
    }
    return spec;
}

AdaMergingOptions toAdaMergingOptions(const MethodCall &call)
{
    requireKind(call, {"adamerging_task", "adamerging_layer"}, "AdaMerging");
    AdaMergingOptions options;
    options.granularity = call.method() == QLatin1String("adamerging_layer") ? AdaMergingGranularity::LayerWise
                                                                             : AdaMergingGranularity::TaskWise;
    options.steps = call.integer(QStringLiteral("steps"));
    options.learningRate = call.real(QStringLiteral("lr"));
    options.batchSize = call.integer(QStringLiteral("batch"));
    options.seed = call.seed(QStringLiteral("seed"));
    options.initLambda = call.real(QStringLiteral("init_lambda"));
    return options;
}

UpscaleOptions toUpscaleOptions(const MethodCall &call)
{
    requireKind(call, {"wemoe"}, "WEMoE");
    UpscaleOptions options;
    options.scalingFactor = call.real(QStringLiteral("lambda"));
    options.mlp.routerDepth = call.choice(QStringLiteral("depth")).toInt();
    options.mlp.initLambda = call.real(QStringLiteral("init_lambda"));
    options.mlp.routerSeed = call.seed(QStringLiteral("seed"));
    options.mlp.bf16TaskVectors = call.flag(QStringLiteral("bf16"));
    return options;
}

RouterAdaptationOptions toRouterAdaptationOptions(const MethodCall &call)
{
    requireKind(call, {"wemoe"}, "WEMoE");
    RouterAdaptationOptions options;
    options.steps = call.integer(QStringLiteral("steps"));
    options.learningRate = call.real(QStringLiteral("lr"));
    options.batchSize = call.integer(QStringLiteral("batch"));
    options.seed = call.seed(QStringLiteral("seed"));
    options.routing = routingOf(call, QStringLiteral("adapt_routing"));
    options.diversityWeight = call.real(QStringLiteral("diversity"));
    return options;
}

RoutingMode evaluationRouting(const MethodCall &call)
{
    requireKind(call, {"wemoe"}, "WEMoE");
    return routingOf(call, QStringLiteral("routing"));
}

RoutingMode parseRoutingMode(const QString &text)
{
    const Parameter *routing = describeMethod(QStringLiteral("wemoe")).parameter(QStringLiteral("routing"));
    const ParameterChoice *choice = routing->findChoice(text.trimmed());
    if (!choice)
        throw Error(QStringLiteral("routing '%1': expected sample (per-sample, the paper's method) or batch "
                                   "(batch-averaged)")
                        .arg(text));
    return choice->value == QLatin1String("batch") ? RoutingMode::BatchReduce : RoutingMode::PerSample;
}

// The labels live here, beside the conversions they are made of.
QString MethodCall::label() const
{
    switch (description().kind) {
    case MethodDescription::Kind::Reference:
    case MethodDescription::Kind::Merge:
        return toMergeSpec(*this).label();
    case MethodDescription::Kind::Adaptive:
        break;
    }
    if (method() == QLatin1String("wemoe"))
        return upscaledLabel(toUpscaleOptions(*this), evaluationRouting(*this),
                             AdaptationHistory{}.followedBy(adaptationRunOf(toRouterAdaptationOptions(*this))));
    return adaMergingLabel(toAdaMergingOptions(*this));
}

QString MethodCall::labelWithoutLambda() const
{
    if (description().adapts())
        return label();
    return toMergeSpec(*this).label(MergeSpec::Lambda::Omitted);
}

} // namespace wemoe
