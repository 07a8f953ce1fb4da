#pragma once

#include "methods/lambda_sweep.h"
#include "methods/method_call.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe::ui {

// Everything the methods panel sets: every method of the engine's catalogue
// with its parameter values and whether it runs, the λ sweep, the task-vector
// analysis and the compute settings. Methods, parameters and defaults come
// from the catalogue (core/methods); nothing here repeats them.
struct MethodSettings
{
    struct Entry
    {
        MethodCall call;
        bool enabled = false;
    };

    MethodSettings(); // the catalogue's defaults: its default run checked

    // One entry per catalogue method, in catalogue order.
    QVector<Entry> methods;

    bool sweep = true;
    QString sweepMethod = QStringLiteral("task_arithmetic"); // its other parameters: its entry's
    double sweepFrom = 0.0;
    double sweepTo = 1.0;
    double sweepStep = 0.1;

    bool taskVectorAnalysis = true;

    QString device = QStringLiteral("cpu");
    int threads;                  // 0: all cores (threadsParameter's default)
    int evalBatchSize;            // evalBatchParameter's default
    int maxTestImagesPerTask = 0; // maxTestImagesParameter: a seeded subset for quick runs; 0: all

    const MethodCall &call(const QString &method) const; // throws wemoe::Error for an unknown name
    void setCall(const MethodCall &call);
    bool isEnabled(const QString &method) const;
    void setEnabled(const QString &method, bool enabled);

    // The checked methods, in table order: static (reference and merges) or adaptive.
    QVector<MethodCall> staticCalls() const;
    QVector<MethodCall> adaptiveCalls() const;
    bool hasAdaptiveMethods() const { return !adaptiveCalls().isEmpty(); }
    // The sweep as the engine runs it: the swept method's entry and the range.
    LambdaSweep lambdaSweep() const;

    QJsonObject toJson() const;
    // Missing keys keep their defaults; wrong types or values throw wemoe::Error.
    // Reads the settings of version-1 sessions too (shared merge parameters).
    static MethodSettings fromJson(const QJsonObject &json);
};

} // namespace wemoe::ui
