#include "method_option.h"

#include "common/error.h"

namespace wemoe::cli {

namespace {

double toNumber(const QString &key, const QString &value, const QString &method)
{
    bool ok = false;
    const double number = value.toDouble(&ok);
    if (!ok)
        throw Error(QStringLiteral("method '%1': %2=%3 is not a number").arg(method, key, value));
    return number;
}

bool toBool(const QString &key, const QString &value, const QString &method)
{
    const QString v = value.toLower();
    if (v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes") || v == QLatin1String("on"))
        return true;
    if (v == QLatin1String("false") || v == QLatin1String("0") || v == QLatin1String("no") || v == QLatin1String("off"))
        return false;
    throw Error(QStringLiteral("method '%1': %2=%3 is not true or false").arg(method, key, value));
}

} // namespace

MergeSpec parseMethodOption(const QString &text)
{
    const int colon = text.indexOf(QLatin1Char(':'));
    const QString name = (colon < 0 ? text : text.left(colon)).trimmed();
    MergeSpec spec;
    spec.method = MergeSpec::parseMethod(name);
    if (colon < 0)
        return spec;
    const auto pairs = text.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &pair : pairs) {
        const int eq = pair.indexOf(QLatin1Char('='));
        if (eq < 0)
            throw Error(QStringLiteral("method '%1': expected KEY=VALUE, got '%2'").arg(text, pair));
        const QString key = pair.left(eq).trimmed().toLower();
        const QString value = pair.mid(eq + 1).trimmed();
        if (key == QLatin1String("lambda")) {
            const double lambda = toNumber(key, value, text);
            spec.scalingFactor = lambda;
            spec.ties.scalingFactor = lambda;
            spec.dare.scalingFactor = lambda;
            spec.dare.ties.scalingFactor = lambda;
        } else if (key == QLatin1String("k")) {
            double k = toNumber(key, value, text);
            if (k > 1.0) // accept percentages, as FusionBench does
                k /= 100.0;
            spec.ties.topK = k;
            spec.dare.ties.topK = k;
        } else if (key == QLatin1String("merge")) {
            spec.ties.mergeFunction = parseTiesMergeFunction(value);
            spec.dare.ties.mergeFunction = spec.ties.mergeFunction;
        } else if (key == QLatin1String("per_tensor")) {
            spec.ties.perTensorTopK = toBool(key, value, text);
            spec.dare.ties.perTensorTopK = spec.ties.perTensorTopK;
        } else if (key == QLatin1String("p")) {
            spec.dare.dropRate = toNumber(key, value, text);
        } else if (key == QLatin1String("rescale")) {
            spec.dare.rescale = toBool(key, value, text);
        } else if (key == QLatin1String("seed")) {
            spec.dare.seed = static_cast<quint64>(toNumber(key, value, text));
        } else if (key == QLatin1String("then")) {
            if (value == QLatin1String("ta") || value == QLatin1String("task_arithmetic"))
                spec.dare.thenTies = false;
            else if (value == QLatin1String("ties"))
                spec.dare.thenTies = true;
            else
                throw Error(QStringLiteral("method '%1': then=%2, expected ta or ties").arg(text, value));
        } else {
            throw Error(QStringLiteral("method '%1': unknown parameter '%2' "
                                       "(known: lambda, k, merge, per_tensor, p, rescale, seed, then)")
                            .arg(text, key));
        }
    }
    return spec;
}

QString methodOptionHelp()
{
    return QStringLiteral(
        "Methods: %1.\n"
        "Write a method as NAME[:KEY=VALUE,...], e.g. task_arithmetic:lambda=0.4,\n"
        "ties:k=0.2,merge=mean,lambda=0.3, dare:p=0.5,then=ties,seed=1.\n"
        "Keys (METHOD.md defaults): lambda (0.3), k (TIES top-k fraction, 0.2), merge (sum|mean|max, sum),\n"
        "per_tensor (false), p (DARE drop rate, 0.5), rescale (true), seed (0), then (ta|ties, ta).")
        .arg(MergeSpec::methodNames().join(QStringLiteral(", ")));
}

} // namespace wemoe::cli
