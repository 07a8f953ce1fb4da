#pragma once

#include <QtCore/QJsonValue>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVariant>
#include <QtCore/QVector>

namespace wemoe {

// One value a Choice parameter takes: as written (and stored), the other
// spellings accepted when reading, and its title for menus.
struct ParameterChoice
{
    QString value;
    QStringList aliases;
    const char *title = ""; // translatable, context "wemoe::MethodCatalogue"
};

// One parameter of a method, described once: the command line's key, its type,
// default and range, and the words a menu, a tooltip or --help shows. The CLI
// parses and documents it from here; the studio builds its control from here.
//
// Values travel as QVariant: Real -> double, Integer -> int, Flag -> bool,
// Choice -> QString (a choice's value), Seed -> quint64.
struct Parameter
{
    enum class Type { Real, Integer, Flag, Choice, Seed };

    QString key; // "lambda", "k", "steps", ...
    Type type = Type::Real;
    QVariant defaultValue;
    double minimum = 0.0; // Real and Integer, inclusive
    double maximum = 0.0;
    // Real: a fraction that people also write as a percentage (k=20 is 0.2,
    // as FusionBench reads it) and that menus show in %.
    bool percent = false;
    int decimals = 3;  // Real: the digits a spin box shows (of the percentage when percent)
    double step = 0.1; // Real and Integer: a spin box's step (in % when percent)
    QVector<ParameterChoice> choices;
    const char *title = ""; // translatable: the label of the control
    const char *help = "";  // translatable: one line on what it does

    // The value of `text` as written on the command line; throws wemoe::Error
    // ("KEY=TEXT is not ...") when it is not one or is out of range.
    QVariant parse(const QString &text) const;
    // A value of another origin (a menu, a JSON file) checked and converted to
    // this parameter's type; throws wemoe::Error like parse().
    QVariant checked(const QVariant &value) const;
    // As written on the command line: the shortest text that reads back exactly.
    QString format(const QVariant &value) const;

    QJsonValue toJson(const QVariant &value) const;
    QVariant fromJson(const QJsonValue &json) const; // throws wemoe::Error

    // "0.3", "20 %", "sum | mean | max", "0 ... 1": for help texts.
    QString describeDefault() const;
    QString describeRange() const;
    const ParameterChoice *findChoice(const QString &text) const; // value or alias
};

// The catalogue's texts in the user's language (the studio installs its
// translator; the command line prints them as written).
QString catalogueText(const char *text);

} // namespace wemoe
