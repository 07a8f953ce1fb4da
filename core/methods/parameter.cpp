#include "methods/parameter.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLocale>

#include <cmath>
#include <limits>

namespace wemoe {

namespace {

// JSON numbers are doubles: integers above 2^53 are written as strings to stay exact.
constexpr quint64 kExactInDouble = quint64(1) << 53;

QString shortest(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

QString catalogueText(const char *text)
{
    return QCoreApplication::translate("wemoe::MethodCatalogue", text);
}

const ParameterChoice *Parameter::findChoice(const QString &text) const
{
    for (const ParameterChoice &choice : choices) {
        if (choice.value == text || choice.aliases.contains(text))
            return &choice;
    }
    return nullptr;
}

QVariant Parameter::parse(const QString &text) const
{
    const QString value = text.trimmed();
    const auto refuse = [&](const QString &what) { return Error(QStringLiteral("%1=%2 %3").arg(key, text, what)); };
    switch (type) {
    case Type::Real: {
        bool ok = false;
        double number = value.toDouble(&ok);
        if (!ok)
            throw refuse(QStringLiteral("is not a number"));
        if (percent && number > 1.0)
            number /= 100.0;
        return checked(number);
    }
    case Type::Integer: {
        bool ok = false;
        const double number = value.toDouble(&ok); // 1e3 is a whole number too
        if (!ok)
            throw refuse(QStringLiteral("is not a whole number"));
        return checked(number);
    }
    case Type::Flag: {
        const QString v = value.toLower();
        if (v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes")
            || v == QLatin1String("on"))
            return true;
        if (v == QLatin1String("false") || v == QLatin1String("0") || v == QLatin1String("no")
            || v == QLatin1String("off"))
            return false;
        throw refuse(QStringLiteral("is not true or false"));
    }
    case Type::Choice: {
        if (const ParameterChoice *choice = findChoice(value))
            return choice->value;
        throw refuse(QStringLiteral("is not one of %1").arg(describeRange()));
    }
    case Type::Seed: {
        bool ok = false;
        const quint64 seed = value.toULongLong(&ok);
        if (!ok || value.startsWith(QLatin1Char('-')))
            throw refuse(QStringLiteral("is not a seed (a whole number from 0 to 2^64 − 1)"));
        return QVariant::fromValue(seed);
    }
    }
    throw refuse(QStringLiteral("has an unknown type"));
}

QVariant Parameter::checked(const QVariant &value) const
{
    const auto refuse = [&](const QString &what) {
        return Error(QStringLiteral("%1=%2 %3").arg(key, value.toString(), what));
    };
    switch (type) {
    case Type::Real: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number))
            throw refuse(QStringLiteral("is not a number"));
        if (number < minimum || number > maximum)
            throw refuse(QStringLiteral("is outside %1").arg(describeRange()));
        return number;
    }
    case Type::Integer: {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || number != std::floor(number))
            throw refuse(QStringLiteral("is not a whole number"));
        if (number < minimum || number > maximum)
            throw refuse(QStringLiteral("is outside %1").arg(describeRange()));
        return static_cast<int>(number);
    }
    case Type::Flag:
        if (value.typeId() != QMetaType::Bool)
            throw refuse(QStringLiteral("is not true or false"));
        return value.toBool();
    case Type::Choice: {
        const ParameterChoice *choice = value.typeId() == QMetaType::QString ? findChoice(value.toString()) : nullptr;
        if (!choice)
            throw refuse(QStringLiteral("is not one of %1").arg(describeRange()));
        return choice->value;
    }
    case Type::Seed: {
        bool ok = false;
        const quint64 seed = value.toULongLong(&ok);
        if (!ok)
            throw refuse(QStringLiteral("is not a seed (a whole number from 0 to 2^64 − 1)"));
        return QVariant::fromValue(seed);
    }
    }
    throw refuse(QStringLiteral("has an unknown type"));
}

QString Parameter::format(const QVariant &value) const
{
    switch (type) {
    case Type::Real: return shortest(value.toDouble());
    case Type::Integer: return QString::number(value.toInt());
    case Type::Flag: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case Type::Choice: return value.toString();
    case Type::Seed: return QString::number(value.toULongLong());
    }
    return value.toString();
}

QJsonValue Parameter::toJson(const QVariant &value) const
{
    switch (type) {
    case Type::Real: return value.toDouble();
    case Type::Integer: return value.toInt();
    case Type::Flag: return value.toBool();
    case Type::Choice: return value.toString();
    case Type::Seed: {
        const quint64 seed = value.toULongLong();
        return seed <= kExactInDouble ? QJsonValue(static_cast<qint64>(seed)) : QJsonValue(QString::number(seed));
    }
    }
    return {};
}

QVariant Parameter::fromJson(const QJsonValue &json) const
{
    const auto refuse = [&](const QString &what) { return Error(QStringLiteral("'%1' %2").arg(key, what)); };
    switch (type) {
    case Type::Real:
    case Type::Integer:
        if (!json.isDouble())
            throw refuse(QStringLiteral("must be a number"));
        return checked(json.toDouble());
    case Type::Flag:
        if (!json.isBool())
            throw refuse(QStringLiteral("must be true or false"));
        return json.toBool();
    case Type::Choice:
        if (!json.isString())
            throw refuse(QStringLiteral("must be a string"));
        return checked(json.toString());
    case Type::Seed:
        if (json.isString())
            return parse(json.toString());
        if (json.isDouble() && json.toDouble() >= 0 && json.toDouble() <= double(kExactInDouble)
            && json.toDouble() == std::floor(json.toDouble()))
            return QVariant::fromValue(static_cast<quint64>(json.toDouble()));
        throw refuse(QStringLiteral("must be a non-negative whole number"));
    }
    throw refuse(QStringLiteral("has an unknown type"));
}

QString Parameter::describeDefault() const
{
    if (type == Type::Real && percent)
        return shortest(defaultValue.toDouble() * 100.0) + QStringLiteral(" %");
    return format(defaultValue);
}

QString Parameter::describeRange() const
{
    switch (type) {
    case Type::Real:
        if (percent)
            return QStringLiteral("%1 ... %2 %").arg(shortest(minimum * 100.0), shortest(maximum * 100.0));
        return QStringLiteral("%1 ... %2").arg(shortest(minimum), shortest(maximum));
    case Type::Integer: return QStringLiteral("%1 ... %2").arg(qlonglong(minimum)).arg(qlonglong(maximum));
    case Type::Flag: return QStringLiteral("true | false");
    case Type::Choice: {
        QStringList values;
        for (const ParameterChoice &choice : choices)
            values << choice.value;
        return values.join(QStringLiteral(" | "));
    }
    case Type::Seed: return QStringLiteral("0 ... 2^64 − 1");
    }
    return {};
}

} // namespace wemoe
