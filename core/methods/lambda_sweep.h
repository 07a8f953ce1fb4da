#pragma once

#include "methods/method_call.h"
#include "methods/parameter.h"

#include <QtCore/QJsonObject>
#include <QtCore/QVector>

namespace wemoe {

// A static merge evaluated at every scaling factor λ from..to (inclusive) by
// step, its other parameters fixed: the accuracy-against-λ curve. Torch-free;
// runLambdaSweep (method_run.h) measures it.
struct LambdaSweep
{
    MethodCall method{QStringLiteral("task_arithmetic")};
    double from = 0.0;
    double to = 1.0;
    double step = 0.1;

    // from, to and step, described like a method's parameters (defaults,
    // ranges and help for the CLI's options and the studio's controls).
    static const QVector<Parameter> &parameters();
    static constexpr int kMaxPoints = 1000;

    // The λ values, computed by index so that 0.1-steps do not drift
    // (0.30000000000000004). Throws wemoe::Error for a method without λ, a bad
    // range or more than kMaxPoints points.
    QVector<double> points() const;
    // The method at one λ.
    MethodCall at(double lambda) const;
    // The series' name: the method's label without λ, e.g. "ties (k=20%, sum)".
    QString label() const { return method.labelWithoutLambda(); }

    QJsonObject toJson() const;
    static LambdaSweep fromJson(const QJsonObject &json); // throws wemoe::Error
};

} // namespace wemoe
