#include "adapt/adamerging_coefficients.h"

#include "common/csv_field.h"
#include "common/error.h"
#include "io/atomic_file.h"
#include "io/json_file.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>

#include <torch/torch.h>

#include <cmath>

namespace wemoe {

namespace {

// 9 significant digits: the fewest that bring every float32 back exactly.
QByteArray numberText(float value, const QString &source, const QString &group, const QString &task)
{
    if (!std::isfinite(value))
        throw Error(source, QStringLiteral("cannot write the coefficient of task '%1' in group '%2': it is %3")
                                .arg(task, group, QString::number(value)));
    return QByteArray::number(double(value), 'g', 9);
}

// A JSON string literal, escaped the way QJsonDocument escapes.
QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray jsonStrings(const QStringList &texts)
{
    return QJsonDocument(QJsonArray::fromStringList(texts)).toJson(QJsonDocument::Compact);
}

QStringList readNames(const QJsonObject &root, const char *key, const QString &path)
{
    const QJsonValue value = root.value(QLatin1String(key));
    if (!value.isArray())
        throw Error(path, QStringLiteral("\"%1\" must be an array of names").arg(QLatin1String(key)));
    QStringList names;
    QSet<QString> seen;
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || item.toString().isEmpty())
            throw Error(path, QStringLiteral("\"%1\" must hold non-empty names").arg(QLatin1String(key)));
        if (seen.contains(item.toString()))
            throw Error(path, QStringLiteral("\"%1\" names '%2' twice").arg(QLatin1String(key), item.toString()));
        seen.insert(item.toString());
        names << item.toString();
    }
    if (names.isEmpty())
        throw Error(path, QStringLiteral("\"%1\" is empty").arg(QLatin1String(key)));
    return names;
}

} // namespace

AdaMergingCoefficients AdaMergingCoefficients::from(const QString &method, const QStringList &tasks,
                                                    const torch::Tensor &coefficients, const QStringList &groups)
{
    AdaMergingCoefficients table;
    table.method = method;
    table.tasks = tasks;
    const auto taskCount = int64_t(tasks.size());
    if (!coefficients.defined())
        throw Error(QStringLiteral("AdaMerging coefficients: none were learned"));
    if (coefficients.dim() == 1 && coefficients.size(0) == taskCount && groups.isEmpty()) {
        table.groups = QStringList{QLatin1String(kAllGroupsRow)};
        table.values = coefficients.detach().to(torch::kCPU, torch::kFloat).reshape({1, taskCount}).clone();
    } else if (coefficients.dim() == 2 && coefficients.size(0) == int64_t(groups.size())
               && coefficients.size(1) == taskCount) {
        table.groups = groups;
        table.values = coefficients.detach().to(torch::kCPU, torch::kFloat).contiguous().clone();
    } else {
        throw Error(QStringLiteral("AdaMerging coefficients: shape %1 does not fit %2 tasks and %3 groups")
                        .arg(QString::fromStdString(c10::str(coefficients.sizes())))
                        .arg(taskCount)
                        .arg(groups.size()));
    }
    return table;
}

QByteArray adaMergingCoefficientsCsv(const AdaMergingCoefficients &coefficients, const QString &source)
{
    QByteArray csv = "group";
    for (const QString &task : coefficients.tasks)
        csv += ',' + csvField(task).toUtf8();
    csv += '\n';
    const auto values = coefficients.values.accessor<float, 2>();
    for (int g = 0; g < coefficients.groups.size(); ++g) {
        csv += csvField(coefficients.groups.at(g)).toUtf8();
        for (int t = 0; t < coefficients.tasks.size(); ++t)
            csv += ',' + numberText(values[g][t], source, coefficients.groups.at(g), coefficients.tasks.at(t));
        csv += '\n';
    }
    return csv;
}

QByteArray adaMergingCoefficientsJson(const AdaMergingCoefficients &coefficients, const QString &source, bool compact)
{
    // Written by hand for the key order people expect; strings go through QJsonDocument.
    const QByteArray newline = compact ? "" : "\n";
    const QByteArray indent = compact ? "" : "  ";
    const QByteArray space = compact ? "" : " ";
    QByteArray json = "{" + newline;
    json += indent + "\"method\":" + space + jsonString(coefficients.method) + "," + newline;
    json += indent + "\"tasks\":" + space + jsonStrings(coefficients.tasks) + "," + newline;
    json += indent + "\"groups\":" + space + jsonStrings(coefficients.groups) + "," + newline;
    json += indent + "\"coefficients\":" + space + "[" + newline;
    const auto values = coefficients.values.accessor<float, 2>();
    for (int g = 0; g < coefficients.groups.size(); ++g) {
        QByteArrayList row;
        for (int t = 0; t < coefficients.tasks.size(); ++t)
            row << numberText(values[g][t], source, coefficients.groups.at(g), coefficients.tasks.at(t));
        json += indent + indent + "[" + row.join(',') + "]" + (g + 1 < coefficients.groups.size() ? "," : "") + newline;
    }
    json += indent + "]" + newline + "}" + newline;
    return json;
}

void writeAdaMergingCoefficients(const QString &path, const AdaMergingCoefficients &coefficients)
{
    if (path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        writeFileAtomically(path, adaMergingCoefficientsCsv(coefficients, path));
    else if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        writeFileAtomically(path, adaMergingCoefficientsJson(coefficients, path));
    else
        throw Error(path, QStringLiteral("AdaMerging coefficients are written as .csv or .json"));
}

namespace {

AdaMergingCoefficients fromJsonObject(const QJsonObject &root, const QString &path)
{
    AdaMergingCoefficients table;
    if (!root.value(QLatin1String("method")).isString())
        throw Error(path, QStringLiteral("\"method\" must be a string"));
    table.method = root.value(QLatin1String("method")).toString();
    table.tasks = readNames(root, "tasks", path);
    table.groups = readNames(root, "groups", path);
    const QJsonValue rows = root.value(QLatin1String("coefficients"));
    if (!rows.isArray() || rows.toArray().size() != table.groups.size())
        throw Error(path,
                    QStringLiteral("\"coefficients\" must hold one row per group (%1 rows)").arg(table.groups.size()));
    const auto taskCount = table.tasks.size();
    table.values = torch::empty({int64_t(table.groups.size()), int64_t(taskCount)}, torch::kFloat);
    auto values = table.values.accessor<float, 2>();
    for (int g = 0; g < table.groups.size(); ++g) {
        const QJsonValue row = rows.toArray().at(g);
        if (!row.isArray() || row.toArray().size() != taskCount)
            throw Error(path, QStringLiteral("\"coefficients\" row %1 (group '%2') must hold one number per task (%3)")
                                  .arg(g)
                                  .arg(table.groups.at(g))
                                  .arg(taskCount));
        for (int t = 0; t < taskCount; ++t) {
            const QJsonValue value = row.toArray().at(t);
            if (!value.isDouble())
                throw Error(path, QStringLiteral("\"coefficients\" row %1 (group '%2'), task '%3': not a number")
                                      .arg(g)
                                      .arg(table.groups.at(g), table.tasks.at(t)));
            values[g][t] = float(value.toDouble());
        }
    }
    return table;
}

} // namespace

AdaMergingCoefficients parseAdaMergingCoefficientsJson(const QByteArray &text, const QString &path)
{
    return fromJsonObject(parseJsonObject(text, path), path);
}

AdaMergingCoefficients readAdaMergingCoefficientsJson(const QString &path)
{
    return fromJsonObject(readJsonObjectFile(path), path);
}

} // namespace wemoe
