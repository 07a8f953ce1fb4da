// WEMoE and E-WEMoE: their descriptions and how a call becomes the engine's
// options (the upscaled model, its test-time adaptation, the routing it is
// evaluated with).

#include "methods/catalogue_entries.h"
#include "methods/engine_options.h"

#include "common/error.h"

namespace wemoe {

namespace catalogue {

namespace {

QVector<ParameterChoice> routingChoices()
{
    return {{QStringLiteral("sample"),
             {QStringLiteral("per_sample")},
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "per sample")},
            {QStringLiteral("batch"),
             {QStringLiteral("batch_reduce")},
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "batch-reduced")}};
}

QVector<Parameter> wemoeParameters()
{
    QVector<Parameter> parameters = adaptationParameters(1e-4);
    parameters
        << choice("depth", "2",
                  {{QStringLiteral("2"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "2: Linear → ReLU → Linear")},
                   {QStringLiteral("1"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "1: Linear")},
                   {QStringLiteral("0"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "0: a learned bias")}},
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Router depth"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                    "2: Linear(D,D) → ReLU → Linear(D,T); 1: Linear(D,T); 0: one learned "
                                    "weight per task."))
        << real("init_lambda", 0.3, -5.0, 5.0, 3, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Router initial λ"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                  "The routers' last bias: at step 0 the model is close to task "
                                  "arithmetic with this λ (equal to it for depth 0)."))
        << real("lambda", 0.3, -5.0, 5.0, 3, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "λ outside the MLPs"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Task arithmetic's λ for every tensor but the MLPs."))
        << choice("routing", "sample", routingChoices(), QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Routing mode"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                    "Routing when the model is evaluated. Per sample: every image gets its "
                                    "own merged MLPs (the paper's). Batch-reduced: the weights averaged over "
                                    "the batch, cheaper but no longer per image."))
        << choice("adapt_routing", "sample", routingChoices(),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Routing while adapting"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                    "Routing during the test-time adaptation (per sample is the paper's)."))
        << flag("bf16", false, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "bfloat16 task vectors"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                  "Keep the MLP task vectors in bfloat16: half the memory, rounded weights."))
        << real("diversity", 0.0, 0.0, 100.0, 2, 0.5, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Diversity weight"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                  "0: the paper's objective. Above 0, each task's loss also rewards spreading "
                                  "its batch over its classes by this weight, so adaptation cannot pay off by "
                                  "predicting one class for a whole task; it assumes the classes are roughly "
                                  "balanced. 1 or 2 is a good start."));
    return parameters;
}

// E-WEMoE's own keys, with FusionBench's sparse_we_moe defaults
// (config/method/wemoe/sparse_weight_ensembling_moe.yaml: tv_prune_ratio 0.9,
// shared_gate true; its router depth 2 and init λ 0.3 are WEMoE's here too).
QVector<Parameter> ewemoeParameters()
{
    QVector<Parameter> parameters = wemoeParameters();
    Parameter keep = real("keep", 0.1, 0.001, 1.0, 1, 5.0,
                          QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Task-vector keep ratio"),
                          QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                            "Share of each MLP task-vector tensor kept, by magnitude; the rest is "
                                            "pruned and the kept entries stored sparse (keep=10 and keep=0.1 both "
                                            "mean 10 %, the reference's prune ratio 0.9)."));
    keep.percent = true;
    parameters
        << keep
        << choice("router", "shared",
                  {{QStringLiteral("shared"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "shared by all blocks")},
                   {QStringLiteral("per_block"),
                    {QStringLiteral("per-block")},
                    QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "one per block")}},
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Routers"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                    "Shared: one router serves every block, each block feeding it its own "
                                    "MLP input (the reference's). Per block: one router per block, as WEMoE."));
    return parameters;
}

} // namespace

MethodDescription ewemoeMethod()
{
    MethodDescription ewemoe = method(
        "ewemoe", MethodDescription::Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "E-WEMoE"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Efficient WEMoE: WEMoE with every MLP task vector pruned by magnitude and stored "
                          "sparse, and one router shared by all blocks; far less memory, routing and "
                          "adaptation as WEMoE."),
        false, ewemoeParameters());
    ewemoe.upscales = true;
    return ewemoe;
}

MethodDescription wemoeMethod()
{
    MethodDescription wemoe = method(
        "wemoe", MethodDescription::Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "WEMoE"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Weight-ensembling mixture of experts: every block's MLP becomes θ0's MLP plus the "
                          "task vectors' MLPs weighted per image by a router trained at test time on "
                          "unlabeled images; everything else is task arithmetic. Its routing weights fill "
                          "the routing views."),
        false, wemoeParameters());
    wemoe.upscales = true;
    return wemoe;
}

} // namespace catalogue

namespace {

void requireWemoe(const MethodCall &call)
{
    if (!call.description().upscales)
        throw Error(QStringLiteral("%1 is not WEMoE").arg(call.method()));
}

RoutingMode routingOf(const MethodCall &call, const QString &key)
{
    return call.choice(key) == QLatin1String("batch") ? RoutingMode::BatchReduce : RoutingMode::PerSample;
}

} // namespace

UpscaleOptions toUpscaleOptions(const MethodCall &call)
{
    requireWemoe(call);
    UpscaleOptions options;
    options.scalingFactor = call.real(QStringLiteral("lambda"));
    options.mlp.routerDepth = call.choice(QStringLiteral("depth")).toInt();
    options.mlp.initLambda = call.real(QStringLiteral("init_lambda"));
    options.mlp.routerSeed = call.seed(QStringLiteral("seed"));
    options.mlp.bf16TaskVectors = call.flag(QStringLiteral("bf16"));
    // E-WEMoE's keys; WEMoE has neither and stays dense with a router per block.
    if (call.has(QStringLiteral("keep")))
        options.mlp.keepRatio = call.real(QStringLiteral("keep"));
    if (call.has(QStringLiteral("router")) && call.choice(QStringLiteral("router")) == QLatin1String("shared"))
        options.routers = RouterSharing::Shared;
    return options;
}

RouterAdaptationOptions toRouterAdaptationOptions(const MethodCall &call)
{
    requireWemoe(call);
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
    requireWemoe(call);
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

} // namespace wemoe
