#include "methods/method_catalogue.h"

#include "common/error.h"

#include <QtCore/QtGlobal>

#include <limits>

namespace wemoe {

namespace {

using Kind = MethodDescription::Kind;
using Type = Parameter::Type;

Parameter real(const char *key, double value, double minimum, double maximum, int decimals, double step,
               const char *title, const char *help)
{
    Parameter p;
    p.key = QString::fromLatin1(key);
    p.type = Type::Real;
    p.defaultValue = value;
    p.minimum = minimum;
    p.maximum = maximum;
    p.decimals = decimals;
    p.step = step;
    p.title = title;
    p.help = help;
    return p;
}

Parameter integer(const char *key, int value, int minimum, int maximum, const char *title, const char *help)
{
    Parameter p = real(key, 0.0, minimum, maximum, 0, 1.0, title, help);
    p.type = Type::Integer;
    p.defaultValue = value;
    return p;
}

Parameter flag(const char *key, bool value, const char *title, const char *help)
{
    Parameter p = real(key, 0.0, 0.0, 0.0, 0, 0.0, title, help);
    p.type = Type::Flag;
    p.defaultValue = value;
    return p;
}

Parameter choice(const char *key, const char *value, QVector<ParameterChoice> choices, const char *title,
                 const char *help)
{
    Parameter p = real(key, 0.0, 0.0, 0.0, 0, 0.0, title, help);
    p.type = Type::Choice;
    p.defaultValue = QString::fromLatin1(value);
    p.choices = std::move(choices);
    return p;
}

Parameter seed(const char *help)
{
    Parameter p = real("seed", 0.0, 0.0, 0.0, 0, 1.0, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Seed"), help);
    p.type = Type::Seed;
    p.defaultValue = QVariant::fromValue(quint64(0));
    return p;
}

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
               {{QStringLiteral("ta"), {QStringLiteral("task_arithmetic")},
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

// The settings AdaMerging and WEMoE share: the test-time optimisation.
QVector<Parameter> adaptationParameters(double learningRate)
{
    return {
        integer("steps", 1000, 0, 1000000, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Steps"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Adam steps of the entropy minimisation.")),
        real("lr", learningRate, 1e-8, 1.0, 6, learningRate / 10.0,
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Learning rate"),
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Adam's learning rate.")),
        integer("batch", 16, 1, 4096, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Batch per task"),
                QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Unlabeled test images per task in each step.")),
        seed(QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Seed of the batch order (and of WEMoE's router init).")),
    };
}

QVector<Parameter> adaMergingParameters()
{
    QVector<Parameter> parameters = adaptationParameters(1e-3);
    parameters << real("init_lambda", 0.3, -5.0, 5.0, 3, 0.05,
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Initial λ"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "The λ every coefficient starts from."));
    return parameters;
}

QVector<ParameterChoice> routingChoices()
{
    return {{QStringLiteral("sample"), {QStringLiteral("per_sample")},
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "per sample")},
            {QStringLiteral("batch"), {QStringLiteral("batch_reduce")},
             QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "batch-reduced")}};
}

QVector<Parameter> wemoeParameters()
{
    QVector<Parameter> parameters = adaptationParameters(1e-4);
    parameters << choice("depth", "2",
                         {{QStringLiteral("2"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "2: Linear → ReLU → Linear")},
                          {QStringLiteral("1"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "1: Linear")},
                          {QStringLiteral("0"), {}, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "0: a learned bias")}},
                         QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Router depth"),
                         QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                           "2: Linear(D,D) → ReLU → Linear(D,T); 1: Linear(D,T); 0: one learned "
                                           "weight per task."))
               << real("init_lambda", 0.3, -5.0, 5.0, 3, 0.05,
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Router initial λ"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                         "The routers' last bias: at step 0 the model is close to task "
                                         "arithmetic with this λ (equal to it for depth 0)."))
               << real("lambda", 0.3, -5.0, 5.0, 3, 0.05,
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "λ outside the MLPs"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                         "Task arithmetic's λ for every tensor but the MLPs."))
               << choice("routing", "sample", routingChoices(),
                         QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Routing mode"),
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
               << real("diversity", 0.0, 0.0, 100.0, 2, 0.5,
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Diversity weight"),
                       QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                                         "0: the paper's objective. Above 0, each task's loss also rewards spreading "
                                         "its batch over its classes by this weight, so adaptation cannot pay off by "
                                         "predicting one class for a whole task; it assumes the classes are roughly "
                                         "balanced. 1 or 2 is a good start."));
    return parameters;
}

QVector<MethodDescription> buildCatalogue()
{
    QVector<MethodDescription> methods;
    const auto add = [&methods](const char *name, Kind kind, const char *title, const char *summary, bool inDefaultRun,
                                QVector<Parameter> parameters) -> MethodDescription & {
        MethodDescription method;
        method.name = QString::fromLatin1(name);
        method.kind = kind;
        method.title = title;
        method.summary = summary;
        method.inDefaultRun = inDefaultRun;
        method.parameters = std::move(parameters);
        methods.append(method);
        return methods.last();
    };
    add("pretrained", Kind::Reference, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Pretrained (zero-shot)"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "The pretrained model θ0 alone on every task: the lower bound a merge should beat."),
        true, {});
    add("individual", Kind::Reference, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Individual fine-tuned"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Each task's own fine-tuned model on its own task: the upper bound, and the reference of "
                          "the normalized column. Not one model, so it cannot be exported."),
        true, {})
        .buildsOneModel = false;
    add("simple_average", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Simple average"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "θ = mean of the fine-tuned models θ1..θT. No parameters."), true,
        {});
    add("task_arithmetic", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Task arithmetic"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "θ = θ0 + λ Σt τt with task vectors τt = θt − θ0."), true,
        {lambda()});
    add("ties", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "TIES merging"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Trim every task vector to its top-k entries by magnitude, elect a sign per entry, merge "
                          "the entries that agree with it, then θ = θ0 + λ·merged."),
        true, tiesParameters());
    add("dare", Kind::Merge, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "DARE"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Drop each task-vector entry with probability p, rescale the survivors by 1/(1−p), then "
                          "task arithmetic or TIES."),
        true, dareParameters());
    add("adamerging_task", Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "AdaMerging, task-wise"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "θ = θ0 + Σt λt τt with one λ per task, learned by minimising the prediction entropy on "
                          "unlabeled test images."),
        false, adaMergingParameters())
        .aliases = QStringList{QStringLiteral("adamerging")};
    add("adamerging_layer", Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "AdaMerging, layer-wise"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "One λ per task and tensor, learned the same way; the stronger variant."),
        false, adaMergingParameters());
    add("wemoe", Kind::Adaptive, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "WEMoE"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Weight-ensembling mixture of experts: every block's MLP becomes θ0's MLP plus the task "
                          "vectors' MLPs weighted per image by a router trained at test time on unlabeled images; "
                          "everything else is task arithmetic. Its routing weights fill the routing views."),
        false, wemoeParameters());
    return methods;
}

// Words wrapped at `width` columns, continuation lines indented by `indent`.
QString wrapped(const QString &text, int indent, int width)
{
    QString out;
    int column = indent;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (column > indent && column + 1 + word.size() > width) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            column = indent;
        } else if (column > indent) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += word;
        column += int(word.size());
    }
    return out;
}

} // namespace

const Parameter *MethodDescription::parameter(const QString &key) const
{
    for (const Parameter &p : parameters) {
        if (p.key == key)
            return &p;
    }
    return nullptr;
}

const QVector<MethodDescription> &methodCatalogue()
{
    static const QVector<MethodDescription> catalogue = buildCatalogue();
    return catalogue;
}

const MethodDescription *findMethod(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.name == key || method.aliases.contains(key))
            return &method;
    }
    return nullptr;
}

const MethodDescription &describeMethod(const QString &name)
{
    if (const MethodDescription *method = findMethod(name))
        return *method;
    throw Error(QStringLiteral("unknown method '%1' (known: %2)").arg(name, methodNames().join(QStringLiteral(", "))));
}

QStringList methodNames()
{
    QStringList names;
    for (const MethodDescription &method : methodCatalogue())
        names << method.name;
    return names;
}

QStringList methodNames(MethodDescription::Kind kind)
{
    QStringList names;
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.kind == kind)
            names << method.name;
    }
    return names;
}

QString methodSyntaxHelp(const QVector<MethodDescription::Kind> &kinds)
{
    constexpr int kWidth = 100;
    QString help = QStringLiteral("Write a method as NAME[:KEY=VALUE,...], e.g. ties:k=0.1,merge=mean or "
                                  "wemoe:steps=200,diversity=2. Methods and their keys (default; range):\n");
    for (const MethodDescription &method : methodCatalogue()) {
        if (!kinds.contains(method.kind))
            continue;
        help += QStringLiteral("  ") + method.name;
        if (!method.aliases.isEmpty())
            help += QStringLiteral(" (or %1)").arg(method.aliases.join(QStringLiteral(", ")));
        help += QStringLiteral("\n      ") + wrapped(catalogueText(method.summary), 6, kWidth) + QLatin1Char('\n');
        // Keys in a column, their help wrapped beside it.
        constexpr int kKeyColumn = 6, kHelpColumn = 22;
        for (const Parameter &p : method.parameters) {
            const QString text = QStringLiteral("%1 (%2; %3)")
                                     .arg(catalogueText(p.help), p.describeDefault(), p.describeRange());
            help += QString(kKeyColumn, QLatin1Char(' ')) + p.key.leftJustified(kHelpColumn - kKeyColumn - 1)
                    + QLatin1Char(' ') + wrapped(text, kHelpColumn, kWidth) + QLatin1Char('\n');
        }
    }
    return help;
}

} // namespace wemoe
