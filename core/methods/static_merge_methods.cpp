// The references (pretrained, individual) and the static merges (simple
// average, task arithmetic, TIES, DARE): their descriptions and how a call
// becomes the engine's MergeSpec.

#include "methods/catalogue_entries.h"
#include "methods/engine_options.h"

#include "common/error.h"

namespace wemoe {

namespace catalogue {

namespace {

// λ of task arithmetic, TIES and DARE. Negative λ subtracts the tasks (task negation).
Parameter lambda()
{
    return real("lambda", 0.3, -10.0, 10.0, 3, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Scaling factor λ"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "How much of the merged task vectors is added to θ0."));
}

QVector<Parameter> tiesParameters()
{
    Parameter k = real("k", 0.2, 0.001, 1.0, 1, 5.0, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "TIES top-k"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                         "Share of each task vector's entries TIES keeps, by magnitude (k=20 and "
                                         "k=0.2 both mean 20 %)."));
    k.percent = true;
    return {
        lambda(),
        k,
        choice("merge", "sum",
               {{QStringLiteral("sum"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "sum")},
                {QStringLiteral("mean"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "mean")},
                {QStringLiteral("max"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "max")}},
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "TIES merge"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "How TIES combines the entries that agree with the elected sign: sum "
                                 "(FusionBench), mean (the TIES paper) or the largest magnitude.")),
        flag("per_tensor", false, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Top-k per tensor"),
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                               "Count the top-k within each tensor (mergekit's way) instead of over the whole "
                               "task vector (the TIES paper and FusionBench).")),
    };
}

QVector<Parameter> dareParameters()
{
    QVector<Parameter> parameters{
        real("p", 0.5, 0.0, 0.99, 2, 0.05, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Drop rate p"),
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Probability that DARE drops each task-vector entry.")),
        flag("rescale", true, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Rescale survivors by 1/(1−p)"),
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Keeps each task vector's expected value after dropping.")),
        seed(QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                               "Seed of DARE's random drop mask; a seed gives the same model on every machine.")),
        choice("then", "ta",
               {{QStringLiteral("ta"),
                 {QStringLiteral("task_arithmetic")},
                 QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "task arithmetic")},
                {QStringLiteral("ties"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "TIES")}},
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Then"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "What merges the sparsified task vectors: task arithmetic or TIES (with the TIES "
                                 "parameters below).")),
    };
    parameters += tiesParameters();
    return parameters;
}

} // namespace

QVector<MethodDescription> staticMergeMethods()
{
    using Kind = MethodDescription::Kind;
    MethodDescription individual = method(
        "individual", Kind::Reference, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Individual fine-tuned"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Each task's own fine-tuned model on its own task: the upper bound, and the reference "
                          "of the normalized column. Not one model, so it cannot be exported."),
        true, {});
    individual.buildsOneModel = false;
    return {
        method("pretrained", Kind::Reference, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Pretrained (zero-shot)"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "The pretrained model θ0 alone on every task: the lower bound a merge should beat."),
               true, {}),
        individual,
        method("simple_average", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Simple average"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "θ = mean of the fine-tuned models θ1..θT. No parameters."),
               true, {}),
        method("task_arithmetic", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Task arithmetic"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "θ = θ0 + λ Σt τt with task vectors τt = θt − θ0."), true,
               {lambda()}),
        method("ties", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "TIES merging"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "Trim every task vector to its top-k entries by magnitude, elect a sign per entry, "
                                 "merge the entries that agree with it, then θ = θ0 + λ·merged."),
               true, tiesParameters()),
        method("dare", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "DARE"),
               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                 "Drop each task-vector entry with probability p, rescale the survivors by 1/(1−p), "
                                 "then task arithmetic or TIES."),
               true, dareParameters()),
    };
}

} // namespace catalogue

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

} // namespace wemoe
