#include "methods/lambda_sweep.h"

#include "common/error.h"

#include <cmath>

namespace wemoe {

namespace {

Parameter bound(const char *key, double value, const char *title, const char *help)
{
    Parameter p;
    p.key = QString::fromLatin1(key);
    p.type = Parameter::Type::Real;
    p.defaultValue = value;
    p.minimum = -10.0; // the range of λ itself
    p.maximum = 10.0;
    p.decimals = 3;
    p.step = 0.05;
    p.title = title;
    p.help = help;
    return p;
}

} // namespace

const QVector<Parameter> &LambdaSweep::parameters()
{
    static const QVector<Parameter> parameters = [] {
        Parameter step = bound("step", 0.1, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Step"),
                               QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Distance between two λ of the sweep."));
        step.minimum = 0.001;
        return QVector<Parameter>{
            bound("from", 0.0, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "From"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "First λ of the sweep.")),
            bound("to", 1.0, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "To"),
                  QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Last λ of the sweep (included).")),
            step,
        };
    }();
    return parameters;
}

QVector<double> LambdaSweep::points() const
{
    if (!method.description().sweepable())
        throw Error(QStringLiteral("λ sweep: %1 has no scaling factor; use %2")
                        .arg(method.method(), sweepableMethodNames().join(QStringLiteral(", "))));
    if (!(step > 0.0))
        throw Error(QStringLiteral("λ sweep: the step must be positive (got %1)").arg(step));
    if (to < from)
        throw Error(QStringLiteral("λ sweep: 'to' (%1) is below 'from' (%2)").arg(to).arg(from));
    const double span = std::floor((to - from) / step + 1e-9) + 1.0;
    if (!(span <= kMaxPoints))
        throw Error(QStringLiteral("λ sweep: %1 points; use a larger step").arg(span));
    const int count = static_cast<int>(span);
    QVector<double> lambdas;
    for (int i = 0; i < count; ++i)
        lambdas.append(std::round((from + i * step) * 1e9) / 1e9);
    return lambdas;
}

MethodCall LambdaSweep::at(double lambda) const
{
    MethodCall call = method;
    call.set(QStringLiteral("lambda"), lambda);
    return call;
}

QJsonObject LambdaSweep::toJson() const
{
    return QJsonObject{{QStringLiteral("method"), method.toJson()},
                       {QStringLiteral("from"), from},
                       {QStringLiteral("to"), to},
                       {QStringLiteral("step"), step}};
}

LambdaSweep LambdaSweep::fromJson(const QJsonObject &json)
{
    LambdaSweep sweep;
    if (json.contains(QStringLiteral("method")))
        sweep.method = MethodCall::fromJson(json.value(QStringLiteral("method")).toObject());
    double *fields[] = {&sweep.from, &sweep.to, &sweep.step};
    for (int i = 0; i < 3; ++i) {
        const Parameter &p = parameters().at(i);
        if (json.contains(p.key))
            *fields[i] = p.fromJson(json.value(p.key)).toDouble();
    }
    return sweep;
}

} // namespace wemoe
