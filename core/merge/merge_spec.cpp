#include "merge/merge_spec.h"

#include "common/error.h"
#include "merge/merge_support.h"

#include <torch/torch.h>

#include <QtCore/QJsonValue>

namespace wemoe {

namespace {

const std::vector<MergeSpec::Method> &allMethods()
{
    static const std::vector<MergeSpec::Method> methods = {
        MergeSpec::Method::Pretrained,     MergeSpec::Method::Individual, MergeSpec::Method::SimpleAverage,
        MergeSpec::Method::TaskArithmetic, MergeSpec::Method::Ties,       MergeSpec::Method::Dare,
    };
    return methods;
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

// "λ=0.3, k=20%, sum" (plus "per tensor" when mergekit's top-k is used).
QString tiesParameters(const TiesOptions &ties, MergeSpec::Lambda lambda)
{
    const QString shownLambda = lambda == MergeSpec::Lambda::Shown
                                    ? QStringLiteral("λ=%1, ").arg(number(ties.scalingFactor))
                                    : QString();
    return QStringLiteral("%1k=%2%%3, %4")
        .arg(shownLambda, number(ties.topK * 100.0), ties.perTensorTopK ? QStringLiteral(" per tensor") : QString(),
             tiesMergeFunctionName(ties.mergeFunction));
}

void writeTies(QJsonObject &json, const TiesOptions &ties)
{
    json.insert(QStringLiteral("scaling_factor"), ties.scalingFactor);
    json.insert(QStringLiteral("top_k"), ties.topK);
    json.insert(QStringLiteral("merge_function"), tiesMergeFunctionName(ties.mergeFunction));
    json.insert(QStringLiteral("per_tensor_top_k"), ties.perTensorTopK);
}

// JSON numbers are doubles: a seed above 2^53 is written as a decimal string to stay exact.
QJsonValue seedValue(quint64 seed)
{
    constexpr quint64 kExactInDouble = quint64(1) << 53;
    if (seed <= kExactInDouble)
        return QJsonValue(static_cast<qint64>(seed));
    return QJsonValue(QString::number(seed));
}

// The options TIES and DARE run with: λ and the TIES options come from the
// spec's own fields (scalingFactor, ties), so one field means one thing across methods.
TiesOptions effectiveTies(const MergeSpec &spec)
{
    TiesOptions ties = spec.ties;
    ties.scalingFactor = spec.scalingFactor;
    return ties;
}

DareOptions effectiveDare(const MergeSpec &spec)
{
    DareOptions dare = spec.dare;
    dare.scalingFactor = spec.scalingFactor;
    dare.ties = effectiveTies(spec);
    return dare;
}

TensorMap pretrainedCopy(const MergeInputs &inputs, const JobContext &context)
{
    if (!inputs.pretrained)
        throw Error(QStringLiteral("pretrained: no pretrained model"));
    MergeProgress progress(context, static_cast<qint64>(inputs.pretrained->size()));
    const auto copyOne = [&](int, const std::string &name) { return inputs.base(name).clone(); };
    return assembleMergedModel(inputs, copyOne, progress, QStringLiteral("pretrained"));
}

} // namespace

MergeSpec::Method MergeSpec::parseMethod(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const auto method : allMethods()) {
        if (key == methodName(method))
            return method;
    }
    throw Error(
        QStringLiteral("unknown merge method '%1' (known: %2)").arg(name, methodNames().join(QStringLiteral(", "))));
}

QString MergeSpec::methodName(Method method)
{
    switch (method) {
    case Method::Pretrained: return QStringLiteral("pretrained");
    case Method::Individual: return QStringLiteral("individual");
    case Method::SimpleAverage: return QStringLiteral("simple_average");
    case Method::TaskArithmetic: return QStringLiteral("task_arithmetic");
    case Method::Ties: return QStringLiteral("ties");
    case Method::Dare: return QStringLiteral("dare");
    }
    throw Error(QStringLiteral("unknown merge method %1").arg(static_cast<int>(method)));
}

QStringList MergeSpec::methodNames()
{
    QStringList names;
    for (const auto method : allMethods())
        names << methodName(method);
    return names;
}

QString MergeSpec::label(Lambda lambda) const
{
    const bool shown = lambda == Lambda::Shown;
    switch (method) {
    case Method::Pretrained:
    case Method::Individual:
    case Method::SimpleAverage: return methodName(method);
    case Method::TaskArithmetic:
        return shown ? QStringLiteral("task_arithmetic (λ=%1)").arg(number(scalingFactor)) : methodName(method);
    case Method::Ties: return QStringLiteral("ties (%1)").arg(tiesParameters(effectiveTies(*this), lambda));
    case Method::Dare: {
        const auto options = effectiveDare(*this);
        const QString drop = QStringLiteral("p=%1%2").arg(number(options.dropRate),
                                                          options.rescale ? QString() : QStringLiteral(", no rescale"));
        const QString seed = QStringLiteral("seed %1").arg(options.seed);
        if (options.thenTies)
            return QStringLiteral("dare+ties (%1, %2, %3)").arg(drop, tiesParameters(options.ties, lambda), seed);
        if (!shown)
            return QStringLiteral("dare+ta (%1, %2)").arg(drop, seed);
        return QStringLiteral("dare+ta (%1, λ=%2, %3)").arg(drop, number(options.scalingFactor), seed);
    }
    }
    return methodName(method);
}

QJsonObject MergeSpec::toJson() const
{
    QJsonObject json;
    json.insert(QStringLiteral("method"), methodName(method));
    json.insert(QStringLiteral("label"), label());
    switch (method) {
    case Method::Pretrained:
    case Method::Individual:
    case Method::SimpleAverage: break;
    case Method::TaskArithmetic: json.insert(QStringLiteral("scaling_factor"), scalingFactor); break;
    case Method::Ties: writeTies(json, effectiveTies(*this)); break;
    case Method::Dare: {
        const auto options = effectiveDare(*this);
        json.insert(QStringLiteral("drop_rate"), options.dropRate);
        json.insert(QStringLiteral("rescale"), options.rescale);
        json.insert(QStringLiteral("seed"), seedValue(options.seed));
        json.insert(QStringLiteral("then"),
                    options.thenTies ? QStringLiteral("ties") : QStringLiteral("task_arithmetic"));
        if (options.thenTies)
            writeTies(json, options.ties);
        else
            json.insert(QStringLiteral("scaling_factor"), options.scalingFactor);
        break;
    }
    }
    return json;
}

TensorMap MergeSpec::merge(const MergeInputs &inputs, const JobContext &context) const
{
    switch (method) {
    case Method::Pretrained: return pretrainedCopy(inputs, context);
    case Method::Individual:
        throw Error(QStringLiteral("individual: each task is evaluated with its own fine-tuned weights, "
                                   "so there is no single merged model to build"));
    case Method::SimpleAverage: return simpleAverage(inputs, context);
    case Method::TaskArithmetic: return taskArithmetic(inputs, scalingFactor, context);
    case Method::Ties: return tiesMerging(inputs, effectiveTies(*this), context);
    case Method::Dare: return dareMerging(inputs, effectiveDare(*this), context);
    }
    throw Error(QStringLiteral("unknown merge method %1").arg(static_cast<int>(method)));
}

} // namespace wemoe
