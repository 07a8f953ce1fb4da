#include "methods/method_call.h"

#include "common/error.h"

#include <QtCore/QJsonValue>

namespace wemoe {

namespace {

const Parameter &parameterOf(const MethodDescription &method, const QString &key)
{
    if (const Parameter *p = method.parameter(key))
        return *p;
    QStringList keys;
    for (const Parameter &p : method.parameters)
        keys << p.key;
    throw Error(QStringLiteral("unknown parameter '%2' for %1 (%3)")
                    .arg(method.name, key,
                         keys.isEmpty() ? QStringLiteral("it takes none")
                                        : QStringLiteral("known: ") + keys.join(QStringLiteral(", "))));
}

} // namespace

MethodCall::MethodCall(const QString &method)
    : m_description(&describeMethod(method))
{
    for (const Parameter &p : m_description->parameters)
        m_values.insert(p.key, p.defaultValue);
}

MethodCall MethodCall::parse(const QString &text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    MethodCall call((colon < 0 ? text : text.left(colon)).trimmed());
    if (colon < 0)
        return call;
    for (const QString &pair : text.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq < 0)
            throw Error(QStringLiteral("method '%1': expected KEY=VALUE, got '%2'").arg(text, pair));
        try {
            call.setText(pair.left(eq).trimmed().toLower(), pair.mid(eq + 1));
        } catch (const Error &e) {
            throw Error(QStringLiteral("method '%1': %2").arg(text, e.message()));
        }
    }
    return call;
}

MethodCall MethodCall::fromJson(const QJsonObject &json)
{
    const QJsonValue name = json.value(QStringLiteral("method"));
    if (!name.isString())
        throw Error(QStringLiteral("a method needs a \"method\" name"));
    MethodCall call(name.toString());
    const QJsonValue parameters = json.value(QStringLiteral("parameters"));
    if (parameters.isUndefined())
        return call;
    if (!parameters.isObject())
        throw Error(QStringLiteral("%1: \"parameters\" must be an object").arg(call.method()));
    const QJsonObject values = parameters.toObject();
    for (auto it = values.begin(); it != values.end(); ++it) {
        try {
            call.m_values.insert(it.key(), parameterOf(*call.m_description, it.key()).fromJson(it.value()));
        } catch (const Error &e) {
            throw Error(QStringLiteral("%1: %2").arg(call.method(), e.message()));
        }
    }
    return call;
}

QVariant MethodCall::value(const QString &key) const
{
    const auto it = m_values.find(key);
    if (it == m_values.end())
        parameterOf(*m_description, key); // throws, naming the keys
    return *it;
}

void MethodCall::set(const QString &key, const QVariant &value)
{
    m_values.insert(key, parameterOf(*m_description, key).checked(value));
}

void MethodCall::setText(const QString &key, const QString &text)
{
    m_values.insert(key, parameterOf(*m_description, key).parse(text));
}

double MethodCall::real(const QString &key) const
{
    return value(key).toDouble();
}

int MethodCall::integer(const QString &key) const
{
    return value(key).toInt();
}

bool MethodCall::flag(const QString &key) const
{
    return value(key).toBool();
}

QString MethodCall::choice(const QString &key) const
{
    return value(key).toString();
}

quint64 MethodCall::seed(const QString &key) const
{
    return value(key).toULongLong();
}

QString MethodCall::text() const
{
    QStringList changed;
    for (const Parameter &p : m_description->parameters) {
        const QVariant v = m_values.value(p.key);
        if (p.format(v) != p.format(p.defaultValue))
            changed << p.key + QLatin1Char('=') + p.format(v);
    }
    return changed.isEmpty() ? method() : method() + QLatin1Char(':') + changed.join(QLatin1Char(','));
}

QJsonObject MethodCall::toJson() const
{
    QJsonObject parameters;
    for (const Parameter &p : m_description->parameters)
        parameters.insert(p.key, p.toJson(m_values.value(p.key)));
    QJsonObject json{{QStringLiteral("method"), method()}};
    if (!parameters.isEmpty())
        json.insert(QStringLiteral("parameters"), parameters);
    return json;
}

bool MethodCall::operator==(const MethodCall &other) const
{
    return m_description == other.m_description && text() == other.text();
}

QVector<MethodCall> defaultMethodCalls()
{
    QVector<MethodCall> calls;
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.inDefaultRun)
            calls.append(MethodCall(method.name));
    }
    return calls;
}

} // namespace wemoe
