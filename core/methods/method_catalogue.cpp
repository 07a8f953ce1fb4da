#include "methods/method_catalogue.h"

#include "methods/catalogue_entries.h"

#include "common/error.h"

#include <QtCore/QtGlobal>

#include <limits>

namespace wemoe {

namespace {

QVector<MethodDescription> buildCatalogue()
{
    QVector<MethodDescription> methods = catalogue::staticMergeMethods();
    methods += catalogue::dataMergeMethods();
    methods += catalogue::adaMergingMethods();
    methods.append(catalogue::wemoeMethod());
    methods.append(catalogue::ewemoeMethod());
    return methods;
}

// Words wrapped at `width` columns, continuation lines indented by `indent`.
QString wrapped(const QString &text, int indent, int width)
{
    QString out;
    int column = indent;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (column > indent && column + 1 + word.size() > width) {
            out += QLatin1Char('\n') + QString(indent, QLatin1Char(' '));
            column = indent;
        } else if (column > indent) {
            out += QLatin1Char(' ');
            ++column;
        }
        out += word;
        column += int(word.size());
    }
    return out;
}

} // namespace

const Parameter *MethodDescription::parameter(const QString &key) const
{
    for (const Parameter &p : parameters) {
        if (p.key == key)
            return &p;
    }
    return nullptr;
}

const QVector<MethodDescription> &methodCatalogue()
{
    static const QVector<MethodDescription> catalogue = buildCatalogue();
    return catalogue;
}

const MethodDescription *findMethod(const QString &name)
{
    const QString key = name.trimmed().toLower();
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.name == key || method.aliases.contains(key))
            return &method;
    }
    return nullptr;
}

const MethodDescription &describeMethod(const QString &name)
{
    if (const MethodDescription *method = findMethod(name))
        return *method;
    throw Error(QStringLiteral("unknown method '%1' (known: %2)").arg(name, methodNames().join(QStringLiteral(", "))));
}

QStringList methodNames()
{
    QStringList names;
    for (const MethodDescription &method : methodCatalogue())
        names << method.name;
    return names;
}

QStringList methodNames(MethodDescription::Kind kind)
{
    QStringList names;
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.kind == kind)
            names << method.name;
    }
    return names;
}

QStringList sweepableMethodNames()
{
    QStringList names;
    for (const MethodDescription &method : methodCatalogue()) {
        if (method.sweepable())
            names << method.name;
    }
    return names;
}

QString methodSyntaxHelp(const QVector<MethodDescription::Kind> &kinds)
{
    constexpr int kWidth = 100;
    QString help = QStringLiteral("Write a method as NAME[:KEY=VALUE,...], e.g. ties:k=0.1,merge=mean or "
                                  "wemoe:steps=200,diversity=2. Methods and their keys (default; range):\n");
    for (const MethodDescription &method : methodCatalogue()) {
        if (!kinds.contains(method.kind))
            continue;
        help += QStringLiteral("  ") + method.name;
        if (!method.aliases.isEmpty())
            help += QStringLiteral(" (or %1)").arg(method.aliases.join(QStringLiteral(", ")));
        help += QStringLiteral("\n      ") + wrapped(catalogueText(method.summary), 6, kWidth) + QLatin1Char('\n');
        // Keys in a column, their help wrapped beside it.
        constexpr int kKeyColumn = 6, kHelpColumn = 22;
        for (const Parameter &p : method.parameters) {
            const QString text =
                QStringLiteral("%1 (%2; %3)").arg(catalogueText(p.help), p.describeDefault(), p.describeRange());
            help += QString(kKeyColumn, QLatin1Char(' ')) + p.key.leftJustified(kHelpColumn - kKeyColumn - 1)
                    + QLatin1Char(' ') + wrapped(text, kHelpColumn, kWidth) + QLatin1Char('\n');
        }
    }
    return help;
}

} // namespace wemoe
