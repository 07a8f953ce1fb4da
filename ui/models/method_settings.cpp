#include "models/method_settings.h"

#include "common/error.h"

#include <QtCore/QJsonValue>

#include <cmath>

namespace wemoe::ui {

namespace {

Error malformed(const QString &problem)
{
    return Error(QStringLiteral("method settings JSON"), problem);
}

// Readers that keep the default when a key is absent and refuse a wrong type.
void readBool(const QJsonObject &json, const char *key, bool &value)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isBool())
        throw malformed(QStringLiteral("'%1' must be true or false").arg(QLatin1String(key)));
    value = v.toBool();
}

void readDouble(const QJsonObject &json, const char *key, double &value)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isDouble())
        throw malformed(QStringLiteral("'%1' must be a number").arg(QLatin1String(key)));
    value = v.toDouble();
}

void readInt(const QJsonObject &json, const char *key, int &value)
{
    double d = value;
    readDouble(json, key, d);
    if (d != std::floor(d))
        throw malformed(QStringLiteral("'%1' must be a whole number").arg(QLatin1String(key)));
    value = static_cast<int>(d);
}

void readString(const QJsonObject &json, const char *key, QString &value)
{
    const QJsonValue v = json.value(QLatin1String(key));
    if (v.isUndefined())
        return;
    if (!v.isString())
        throw malformed(QStringLiteral("'%1' must be a string").arg(QLatin1String(key)));
    value = v.toString();
}

// Seeds above 2^53 do not survive a JSON double: they are written as strings.
QJsonValue seedValue(quint64 seed)
{
    constexpr quint64 kExactInDouble = quint64(1) << 53;
    return seed <= kExactInDouble ? QJsonValue(static_cast<qint64>(seed)) : QJsonValue(QString::number(seed));
}

quint64 readSeed(const QJsonValue &v)
{
    if (v.isString()) {
        bool ok = false;
        const quint64 seed = v.toString().toULongLong(&ok);
        if (ok)
            return seed;
    } else if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() == std::floor(v.toDouble())) {
        return static_cast<quint64>(v.toDouble());
    }
    throw malformed(QStringLiteral("'dare_seed' must be a non-negative whole number"));
}

} // namespace

QString staticMethodKey(StaticMethod method)
{
    switch (method) {
    case StaticMethod::Pretrained:
        return QStringLiteral("pretrained");
    case StaticMethod::Individual:
        return QStringLiteral("individual");
    case StaticMethod::SimpleAverage:
        return QStringLiteral("simple_average");
    case StaticMethod::TaskArithmetic:
        return QStringLiteral("task_arithmetic");
    case StaticMethod::Ties:
        return QStringLiteral("ties");
    case StaticMethod::Dare:
        return QStringLiteral("dare");
    }
    return QString();
}

StaticMethod parseStaticMethodKey(const QString &key)
{
    for (const auto method : {StaticMethod::Pretrained, StaticMethod::Individual, StaticMethod::SimpleAverage,
                              StaticMethod::TaskArithmetic, StaticMethod::Ties, StaticMethod::Dare}) {
        if (staticMethodKey(method) == key)
            return method;
    }
    throw malformed(QStringLiteral("unknown method '%1' (known: pretrained, individual, simple_average, "
                                   "task_arithmetic, ties, dare)")
                        .arg(key));
}

bool MethodRequest::hasScalingFactor() const
{
    return method == StaticMethod::TaskArithmetic || method == StaticMethod::Ties || method == StaticMethod::Dare;
}

QJsonObject MethodRequest::toJson() const
{
    return QJsonObject{{QStringLiteral("method"), staticMethodKey(method)},
                       {QStringLiteral("lambda"), lambda},
                       {QStringLiteral("ties_top_k"), tiesTopK},
                       {QStringLiteral("ties_merge"), tiesMerge},
                       {QStringLiteral("ties_per_tensor"), tiesPerTensor},
                       {QStringLiteral("dare_drop_rate"), dareDropRate},
                       {QStringLiteral("dare_rescale"), dareRescale},
                       {QStringLiteral("dare_seed"), seedValue(dareSeed)},
                       {QStringLiteral("dare_then_ties"), dareThenTies}};
}

MethodRequest MethodRequest::fromJson(const QJsonObject &json)
{
    MethodRequest request;
    QString key = staticMethodKey(request.method);
    readString(json, "method", key);
    request.method = parseStaticMethodKey(key);
    readDouble(json, "lambda", request.lambda);
    readDouble(json, "ties_top_k", request.tiesTopK);
    readString(json, "ties_merge", request.tiesMerge);
    readBool(json, "ties_per_tensor", request.tiesPerTensor);
    readDouble(json, "dare_drop_rate", request.dareDropRate);
    readBool(json, "dare_rescale", request.dareRescale);
    if (json.contains(QStringLiteral("dare_seed")))
        request.dareSeed = readSeed(json.value(QStringLiteral("dare_seed")));
    readBool(json, "dare_then_ties", request.dareThenTies);
    if (request.tiesMerge != QLatin1String("sum") && request.tiesMerge != QLatin1String("mean")
        && request.tiesMerge != QLatin1String("max"))
        throw malformed(QStringLiteral("'ties_merge' is '%1', expected sum, mean or max").arg(request.tiesMerge));
    return request;
}

MethodRequest MethodSettings::request(StaticMethod method) const
{
    MethodRequest r = parameters;
    r.method = method;
    return r;
}

QVector<MethodRequest> MethodSettings::requests() const
{
    QVector<MethodRequest> list;
    const std::pair<bool, StaticMethod> order[] = {
        {pretrained, StaticMethod::Pretrained},         {individual, StaticMethod::Individual},
        {simpleAverage, StaticMethod::SimpleAverage},   {taskArithmetic, StaticMethod::TaskArithmetic},
        {ties, StaticMethod::Ties},                     {dare, StaticMethod::Dare},
    };
    for (const auto &[checked, method] : order) {
        if (checked)
            list << request(method);
    }
    return list;
}

QVector<double> MethodSettings::sweepPoints() const
{
    if (!(sweepStep > 0.0))
        throw Error(QStringLiteral("λ sweep: the step must be positive (got %1)").arg(sweepStep));
    if (sweepTo < sweepFrom)
        throw Error(QStringLiteral("λ sweep: 'to' (%1) is below 'from' (%2)").arg(sweepTo).arg(sweepFrom));
    const int count = static_cast<int>(std::floor((sweepTo - sweepFrom) / sweepStep + 1e-9)) + 1;
    if (count > 1000)
        throw Error(QStringLiteral("λ sweep: %1 points; use a larger step").arg(count));
    QVector<double> points;
    for (int i = 0; i < count; ++i)
        points.append(std::round((sweepFrom + i * sweepStep) * 1e9) / 1e9);
    return points;
}

QJsonObject MethodSettings::toJson() const
{
    return QJsonObject{
        {QStringLiteral("pretrained"), pretrained},
        {QStringLiteral("individual"), individual},
        {QStringLiteral("simple_average"), simpleAverage},
        {QStringLiteral("task_arithmetic"), taskArithmetic},
        {QStringLiteral("ties"), ties},
        {QStringLiteral("dare"), dare},
        {QStringLiteral("parameters"), parameters.toJson()},
        {QStringLiteral("adamerging_task_wise"), adaMergingTaskWise},
        {QStringLiteral("adamerging_layer_wise"), adaMergingLayerWise},
        {QStringLiteral("adamerging_init_lambda"), adaMergingInitLambda},
        {QStringLiteral("adamerging_steps"), adaMergingSteps},
        {QStringLiteral("adamerging_lr"), adaMergingLearningRate},
        {QStringLiteral("wemoe"), wemoe},
        {QStringLiteral("router_depth"), routerDepth},
        {QStringLiteral("wemoe_init_lambda"), wemoeInitLambda},
        {QStringLiteral("wemoe_steps"), wemoeSteps},
        {QStringLiteral("wemoe_lr"), wemoeLearningRate},
        {QStringLiteral("wemoe_diversity"), wemoeDiversity},
        {QStringLiteral("adaptation_batch_size"), adaptationBatchSize},
        {QStringLiteral("routing_mode"), routingMode},
        {QStringLiteral("sweep"), sweep},
        {QStringLiteral("sweep_method"), staticMethodKey(sweepMethod)},
        {QStringLiteral("sweep_from"), sweepFrom},
        {QStringLiteral("sweep_to"), sweepTo},
        {QStringLiteral("sweep_step"), sweepStep},
        {QStringLiteral("task_vector_analysis"), taskVectorAnalysis},
        {QStringLiteral("device"), device},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("eval_batch_size"), evalBatchSize},
    };
}

MethodSettings MethodSettings::fromJson(const QJsonObject &json)
{
    MethodSettings s;
    readBool(json, "pretrained", s.pretrained);
    readBool(json, "individual", s.individual);
    readBool(json, "simple_average", s.simpleAverage);
    readBool(json, "task_arithmetic", s.taskArithmetic);
    readBool(json, "ties", s.ties);
    readBool(json, "dare", s.dare);
    if (json.contains(QStringLiteral("parameters")))
        s.parameters = MethodRequest::fromJson(json.value(QStringLiteral("parameters")).toObject());
    readBool(json, "adamerging_task_wise", s.adaMergingTaskWise);
    readBool(json, "adamerging_layer_wise", s.adaMergingLayerWise);
    readDouble(json, "adamerging_init_lambda", s.adaMergingInitLambda);
    readInt(json, "adamerging_steps", s.adaMergingSteps);
    readDouble(json, "adamerging_lr", s.adaMergingLearningRate);
    readBool(json, "wemoe", s.wemoe);
    readInt(json, "router_depth", s.routerDepth);
    readDouble(json, "wemoe_init_lambda", s.wemoeInitLambda);
    readInt(json, "wemoe_steps", s.wemoeSteps);
    readDouble(json, "wemoe_lr", s.wemoeLearningRate);
    readDouble(json, "wemoe_diversity", s.wemoeDiversity);
    readInt(json, "adaptation_batch_size", s.adaptationBatchSize);
    readString(json, "routing_mode", s.routingMode);
    readBool(json, "sweep", s.sweep);
    QString sweepKey = staticMethodKey(s.sweepMethod);
    readString(json, "sweep_method", sweepKey);
    s.sweepMethod = parseStaticMethodKey(sweepKey);
    readDouble(json, "sweep_from", s.sweepFrom);
    readDouble(json, "sweep_to", s.sweepTo);
    readDouble(json, "sweep_step", s.sweepStep);
    readBool(json, "task_vector_analysis", s.taskVectorAnalysis);
    readString(json, "device", s.device);
    readInt(json, "threads", s.threads);
    readInt(json, "eval_batch_size", s.evalBatchSize);
    if (s.routingMode != QLatin1String("per_sample") && s.routingMode != QLatin1String("batch_reduce"))
        throw malformed(QStringLiteral("'routing_mode' is '%1', expected per_sample or batch_reduce").arg(s.routingMode));
    return s;
}

} // namespace wemoe::ui
