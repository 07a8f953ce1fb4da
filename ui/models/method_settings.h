#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVector>

namespace wemoe::ui {

// The static methods of the engine's MergeSpec, mirrored without torch so
// widgets and session files can name them.
enum class StaticMethod { Pretrained, Individual, SimpleAverage, TaskArithmetic, Ties, Dare };

// "pretrained", "individual", "simple_average", "task_arithmetic", "ties", "dare"
// (the engine's names).
QString staticMethodKey(StaticMethod method);
StaticMethod parseStaticMethodKey(const QString &key); // throws wemoe::Error

// One static method with its parameters: one row of the accuracy table.
// Defaults are METHOD.md's reference defaults.
struct MethodRequest
{
    StaticMethod method = StaticMethod::TaskArithmetic;
    double lambda = 0.3;    // scaling factor (task arithmetic, TIES, DARE)
    double tiesTopK = 0.2;  // fraction kept by magnitude
    QString tiesMerge = QStringLiteral("sum"); // sum, mean or max
    bool tiesPerTensor = false;
    double dareDropRate = 0.5;
    bool dareRescale = true;
    quint64 dareSeed = 0;
    bool dareThenTies = false;

    // Whether λ changes this method (the methods a sweep can run).
    bool hasScalingFactor() const;
    // Whether the method yields one merged model that can be exported.
    bool isExportable() const { return method != StaticMethod::Individual; }
    QJsonObject toJson() const;
    static MethodRequest fromJson(const QJsonObject &json); // throws wemoe::Error
};

// Everything the methods panel sets: which methods run and with what.
struct MethodSettings
{
    bool pretrained = true;
    bool individual = true;
    bool simpleAverage = true;
    bool taskArithmetic = true;
    bool ties = true;
    bool dare = true;
    MethodRequest parameters; // λ, TIES and DARE parameters shared by the rows

    // Test-time adaptation (AdaptationController): AdaMerging and WEMoE.
    bool adaMergingTaskWise = false;
    bool adaMergingLayerWise = false;
    double adaMergingInitLambda = 0.3;
    int adaMergingSteps = 1000;
    double adaMergingLearningRate = 1e-3;
    bool wemoe = false;
    int routerDepth = 2;
    double wemoeInitLambda = 0.3;
    int wemoeSteps = 1000;
    double wemoeLearningRate = 1e-4;
    double wemoeDiversity = 0.0; // 0: the paper's objective (RouterAdaptationOptions::diversityWeight)
    int adaptationBatchSize = 16;
    QString routingMode = QStringLiteral("per_sample"); // or "batch_reduce"

    bool sweep = true;
    StaticMethod sweepMethod = StaticMethod::TaskArithmetic;
    double sweepFrom = 0.0;
    double sweepTo = 1.0;
    double sweepStep = 0.1;

    bool taskVectorAnalysis = true;

    QString device = QStringLiteral("cpu");
    int threads = 0; // 0: all cores
    int evalBatchSize = 64;

    bool hasAdaptiveMethods() const { return adaMergingTaskWise || adaMergingLayerWise || wemoe; }
    // The checked static methods, in table order, with the shared parameters.
    QVector<MethodRequest> requests() const;
    MethodRequest request(StaticMethod method) const;
    // λ values from..to (inclusive) by step, computed by index so 0.1-steps do
    // not drift. Throws wemoe::Error for a bad range or more than 1000 points.
    QVector<double> sweepPoints() const;

    QJsonObject toJson() const;
    // Missing keys keep their defaults (older session files); wrong types throw wemoe::Error.
    static MethodSettings fromJson(const QJsonObject &json);
};

} // namespace wemoe::ui
