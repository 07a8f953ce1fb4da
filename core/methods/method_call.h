#pragma once

#include "methods/method_catalogue.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

namespace wemoe {

// A method of the catalogue with a value for every one of its parameters:
// one row of the accuracy table, one `-m NAME:KEY=VALUE` of the command line,
// one method checked in the studio. Values are always complete and valid:
// every way in (the parser, JSON, set()) checks them against the catalogue.
// Torch-free, so widgets and session files can hold it.
class MethodCall
{
public:
    // The method with its defaults; throws wemoe::Error for an unknown name.
    explicit MethodCall(const QString &method = QStringLiteral("task_arithmetic"));

    // NAME[:KEY=VALUE[,KEY=VALUE...]], e.g. "ties:k=0.1,merge=mean"; unset
    // keys keep their defaults. Throws wemoe::Error naming the text and the
    // problem (unknown method or key, a value of the wrong type or range).
    static MethodCall parse(const QString &text);
    // The form of toJson(); a missing parameter keeps its default.
    static MethodCall fromJson(const QJsonObject &json); // throws wemoe::Error

    const MethodDescription &description() const { return *m_description; }
    QString method() const { return m_description->name; }

    QVariant value(const QString &key) const; // throws for a key the method lacks
    bool has(const QString &key) const { return m_values.contains(key); }
    void set(const QString &key, const QVariant &value);   // checked; throws wemoe::Error
    void setText(const QString &key, const QString &text); // parsed as on the command line
    // Typed reads; each throws when the method has no such key.
    double real(const QString &key) const;
    int integer(const QString &key) const;
    bool flag(const QString &key) const;
    QString choice(const QString &key) const;
    quint64 seed(const QString &key) const;

    // As the command line writes it: the name and the keys off their defaults.
    QString text() const;
    // The accuracy table's row, with the parameters that matter, e.g.
    // "ties (λ=0.3, k=20%, sum)" — the same words in every face.
    QString label() const;
    // The row of a λ sweep over this method: the label without λ, e.g. "ties (k=20%, sum)".
    QString labelWithoutLambda() const;
    // {"method": NAME, "parameters": {KEY: VALUE, ...}} with every key.
    QJsonObject toJson() const;

    bool operator==(const MethodCall &other) const;
    bool operator!=(const MethodCall &other) const { return !(*this == other); }

private:
    const MethodDescription *m_description;
    QVariantMap m_values;
};

// The methods evaluated when none is named, in table order.
QVector<MethodCall> defaultMethodCalls();

} // namespace wemoe
