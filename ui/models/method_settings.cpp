#include "models/method_settings.h"

#include "common/error.h"
#include "methods/compute_parameters.h"

#include <QtCore/QJsonArray>
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

// Version-1 sessions kept one set of merge parameters for every static method
// and named each setting with its own key; each old key sets the catalogue
// key of the methods it applied to.
void readVersion1(const QJsonObject &json, MethodSettings &s)
{
    struct Switch
    {
        const char *oldKey;
        const char *method;
    };
    for (const Switch &sw :
         {Switch{"pretrained", "pretrained"}, Switch{"individual", "individual"},
          Switch{"simple_average", "simple_average"}, Switch{"task_arithmetic", "task_arithmetic"},
          Switch{"ties", "ties"}, Switch{"dare", "dare"}, Switch{"adamerging_task_wise", "adamerging_task"},
          Switch{"adamerging_layer_wise", "adamerging_layer"}, Switch{"wemoe", "wemoe"}}) {
        bool enabled = s.isEnabled(QLatin1String(sw.method));
        readBool(json, sw.oldKey, enabled);
        s.setEnabled(QLatin1String(sw.method), enabled);
    }
    struct Value
    {
        const char *oldKey;
        QStringList methods;
        const char *key;
    };
    const QStringList merges{QStringLiteral("task_arithmetic"), QStringLiteral("ties"), QStringLiteral("dare")};
    const QStringList tiesLike{QStringLiteral("ties"), QStringLiteral("dare")};
    const QStringList dare{QStringLiteral("dare")};
    const QStringList ada{QStringLiteral("adamerging_task"), QStringLiteral("adamerging_layer")};
    const QStringList adaptive{QStringLiteral("adamerging_task"), QStringLiteral("adamerging_layer"),
                               QStringLiteral("wemoe")};
    const QStringList wemoe{QStringLiteral("wemoe")};
    const QJsonObject parameters = json.value(QStringLiteral("parameters")).toObject();
    const auto apply = [&s](const QJsonObject &from, const Value &v) {
        const QJsonValue value = from.value(QLatin1String(v.oldKey));
        if (value.isUndefined())
            return;
        for (const QString &method : v.methods) {
            MethodCall call = s.call(method);
            const Parameter *p = call.description().parameter(QLatin1String(v.key));
            QJsonValue converted = value;
            if (QLatin1String(v.key) == QLatin1String("then"))
                converted = value.toBool() ? QStringLiteral("ties") : QStringLiteral("ta");
            else if (QLatin1String(v.key) == QLatin1String("depth"))
                converted = QString::number(value.toInt());
            else if (QLatin1String(v.key) == QLatin1String("routing"))
                converted = value.toString() == QLatin1String("batch_reduce") ? QStringLiteral("batch")
                                                                              : QStringLiteral("sample");
            try {
                call.set(p->key, p->fromJson(converted));
            } catch (const Error &e) {
                throw malformed(e.message());
            }
            s.setCall(call);
        }
    };
    for (const Value &v : {Value{"lambda", merges, "lambda"}, Value{"ties_top_k", tiesLike, "k"},
                           Value{"ties_merge", tiesLike, "merge"}, Value{"ties_per_tensor", tiesLike, "per_tensor"},
                           Value{"dare_drop_rate", dare, "p"}, Value{"dare_rescale", dare, "rescale"},
                           Value{"dare_seed", dare, "seed"}, Value{"dare_then_ties", dare, "then"}})
        apply(parameters, v);
    for (const Value &v : {Value{"adamerging_init_lambda", ada, "init_lambda"}, Value{"adamerging_steps", ada, "steps"},
                           Value{"adamerging_lr", ada, "lr"}, Value{"router_depth", wemoe, "depth"},
                           Value{"wemoe_init_lambda", wemoe, "init_lambda"}, Value{"wemoe_steps", wemoe, "steps"},
                           Value{"wemoe_lr", wemoe, "lr"}, Value{"wemoe_diversity", wemoe, "diversity"},
                           Value{"adaptation_batch_size", adaptive, "batch"}, Value{"routing_mode", wemoe, "routing"}})
        apply(json, v);
}

} // namespace

MethodSettings::MethodSettings()
    : threads(threadsParameter().defaultValue.toInt())
    , evalBatchSize(evalBatchParameter().defaultValue.toInt())
{
    for (const MethodDescription &method : methodCatalogue())
        methods.append({MethodCall(method.name), method.inDefaultRun});
}

const MethodCall &MethodSettings::call(const QString &method) const
{
    for (const Entry &entry : methods) {
        if (entry.call.method() == method)
            return entry.call;
    }
    throw Error(QStringLiteral("unknown method '%1'").arg(method));
}

void MethodSettings::setCall(const MethodCall &call)
{
    for (Entry &entry : methods) {
        if (entry.call.method() == call.method()) {
            entry.call = call;
            return;
        }
    }
    methods.append({call, false});
}

bool MethodSettings::isEnabled(const QString &method) const
{
    for (const Entry &entry : methods) {
        if (entry.call.method() == method)
            return entry.enabled;
    }
    return false;
}

void MethodSettings::setEnabled(const QString &method, bool enabled)
{
    for (Entry &entry : methods) {
        if (entry.call.method() == method)
            entry.enabled = enabled;
    }
}

QVector<MethodCall> MethodSettings::staticCalls() const
{
    QVector<MethodCall> calls;
    for (const Entry &entry : methods) {
        if (entry.enabled && !entry.call.description().adapts())
            calls << entry.call;
    }
    return calls;
}

QVector<MethodCall> MethodSettings::adaptiveCalls() const
{
    QVector<MethodCall> calls;
    for (const Entry &entry : methods) {
        if (entry.enabled && entry.call.description().adapts())
            calls << entry.call;
    }
    return calls;
}

LambdaSweep MethodSettings::lambdaSweep() const
{
    LambdaSweep s;
    s.method = call(sweepMethod);
    s.from = sweepFrom;
    s.to = sweepTo;
    s.step = sweepStep;
    return s;
}

QJsonObject MethodSettings::toJson() const
{
    QJsonArray list;
    for (const Entry &entry : methods) {
        QJsonObject json = entry.call.toJson();
        json.insert(QStringLiteral("enabled"), entry.enabled);
        list.append(json);
    }
    return QJsonObject{
        {QStringLiteral("methods"), list},
        {QStringLiteral("sweep"), sweep},
        {QStringLiteral("sweep_method"), sweepMethod},
        {QStringLiteral("sweep_from"), sweepFrom},
        {QStringLiteral("sweep_to"), sweepTo},
        {QStringLiteral("sweep_step"), sweepStep},
        {QStringLiteral("task_vector_analysis"), taskVectorAnalysis},
        {QStringLiteral("device"), device},
        {QStringLiteral("threads"), threads},
        {QStringLiteral("eval_batch_size"), evalBatchSize},
        {QStringLiteral("max_test_images_per_task"), maxTestImagesPerTask},
    };
}

MethodSettings MethodSettings::fromJson(const QJsonObject &json)
{
    MethodSettings s;
    const QJsonValue methods = json.value(QStringLiteral("methods"));
    if (methods.isArray()) {
        for (const QJsonValue &value : methods.toArray()) {
            const QJsonObject entry = value.toObject();
            MethodCall call;
            try {
                call = MethodCall::fromJson(entry);
            } catch (const Error &e) {
                throw malformed(e.message());
            }
            s.setCall(call);
            bool enabled = false;
            readBool(entry, "enabled", enabled);
            s.setEnabled(call.method(), enabled); // the catalogue's name, also when the file wrote an alias
        }
    } else if (!methods.isUndefined()) {
        throw malformed(QStringLiteral("'methods' must be a list"));
    } else {
        readVersion1(json, s);
    }
    readBool(json, "sweep", s.sweep);
    readString(json, "sweep_method", s.sweepMethod);
    const MethodDescription *swept = findMethod(s.sweepMethod);
    if (!swept || !swept->sweepable())
        throw malformed(QStringLiteral("'sweep_method' is '%1', a method without λ").arg(s.sweepMethod));
    s.sweepMethod = swept->name;
    readDouble(json, "sweep_from", s.sweepFrom);
    readDouble(json, "sweep_to", s.sweepTo);
    readDouble(json, "sweep_step", s.sweepStep);
    readBool(json, "task_vector_analysis", s.taskVectorAnalysis);
    readString(json, "device", s.device);
    readInt(json, "threads", s.threads);
    readInt(json, "eval_batch_size", s.evalBatchSize);
    readInt(json, "max_test_images_per_task", s.maxTestImagesPerTask);
    if (s.maxTestImagesPerTask < 0)
        throw malformed(QStringLiteral("'max_test_images_per_task' must be 0 (all) or more"));
    return s;
}

} // namespace wemoe::ui
