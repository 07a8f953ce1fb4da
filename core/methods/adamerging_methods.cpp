// AdaMerging, task-wise and layer-wise: their descriptions and how a call
// becomes the engine's AdaMergingOptions. The test-time optimisation settings
// (steps, lr, batch, seed) are shared with WEMoE (adaptationParameters).

#include "methods/catalogue_entries.h"
#include "methods/engine_options.h"

#include "common/error.h"

namespace wemoe {

namespace catalogue {

namespace {

QVector<Parameter> adaMergingParameters()
{
    QVector<Parameter> parameters = adaptationParameters(1e-3);
    parameters << real("init_lambda", 0.3, -5.0, 5.0, 3, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Initial λ"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "The λ every coefficient starts from."));
    return parameters;
}

} // namespace

QVector<MethodDescription> adaMergingMethods()
{
    using Kind = MethodDescription::Kind;
    MethodDescription taskWise = method(
        "adamerging_task", Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "AdaMerging, task-wise"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "θ = θ0 + Σt λt τt with one λ per task, learned by minimising the prediction entropy "
                          "on unlabeled test images."),
        false, adaMergingParameters());
    taskWise.aliases = QStringList{QStringLiteral("adamerging")};
    return {
        taskWise,
        method("adamerging_layer", Kind::Adaptive,
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "AdaMerging, layer-wise"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "One λ per task and tensor, learned the same way; the stronger variant."),
               false, adaMergingParameters()),
    };
}

} // namespace catalogue

AdaMergingOptions toAdaMergingOptions(const MethodCall &call)
{
    if (call.method() != QLatin1String("adamerging_task") && call.method() != QLatin1String("adamerging_layer"))
        throw Error(QStringLiteral("%1 is not AdaMerging").arg(call.method()));
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

} // namespace wemoe
