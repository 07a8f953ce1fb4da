#include "models/coefficient_table.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace wemoe::ui {

namespace {

// "encoder.layers.<n>.<rest>": CLIP's (and Hugging Face's) names of block tensors.
const QRegularExpression &blockTensorPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^encoder\\.layers\\.(\\d+)\\.(.+)$"));
    return pattern;
}

QStringList namesFromJson(const QJsonValue &value)
{
    QStringList names;
    for (const QJsonValue &name : value.toArray())
        names << name.toString();
    return names;
}

} // namespace

QString CoefficientTable::displayName() const
{
    if (source.isEmpty())
        return method;
    // The folder names the exported model; the file name is always the same.
    const QFileInfo file(source);
    return QStringLiteral("%1 — %2").arg(method, file.absoluteDir().dirName() + QLatin1Char('/') + file.fileName());
}

void CoefficientTable::validate() const
{
    const QString what = source.isEmpty() ? QStringLiteral("AdaMerging coefficients") : source;
    if (tasks.isEmpty() || groups.isEmpty())
        throw Error(what, QStringLiteral("needs at least one task and one group (has %1 and %2)")
                              .arg(tasks.size())
                              .arg(groups.size()));
    if (values.size() != qint64(groups.size()) * tasks.size())
        throw Error(what, QStringLiteral("holds %1 values, but %2 groups x %3 tasks need %4")
                              .arg(values.size())
                              .arg(groups.size())
                              .arg(tasks.size())
                              .arg(qint64(groups.size()) * tasks.size()));
}

QJsonObject CoefficientTable::toJson() const
{
    QJsonArray numbers;
    for (const double v : values)
        numbers.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null));
    QJsonObject json{{QStringLiteral("method"), method},
                     {QStringLiteral("tasks"), QJsonArray::fromStringList(tasks)},
                     {QStringLiteral("groups"), QJsonArray::fromStringList(groups)},
                     {QStringLiteral("values"), numbers}};
    if (!source.isEmpty())
        json.insert(QStringLiteral("source"), source);
    if (knowsInitLambda())
        json.insert(QStringLiteral("init_lambda"), initLambda);
    return json;
}

CoefficientTable CoefficientTable::fromJson(const QJsonObject &json)
{
    CoefficientTable table;
    table.method = json.value(QStringLiteral("method")).toString();
    table.source = json.value(QStringLiteral("source")).toString();
    table.tasks = namesFromJson(json.value(QStringLiteral("tasks")));
    table.groups = namesFromJson(json.value(QStringLiteral("groups")));
    if (json.value(QStringLiteral("init_lambda")).isDouble())
        table.initLambda = json.value(QStringLiteral("init_lambda")).toDouble();
    for (const QJsonValue &v : json.value(QStringLiteral("values")).toArray())
        table.values << (v.isDouble() ? v.toDouble() : std::numeric_limits<double>::quiet_NaN());
    table.validate();
    return table;
}

QString shortTensorLabel(const QString &name)
{
    const QRegularExpressionMatch match = blockTensorPattern().match(name);
    if (!match.hasMatch())
        return name;
    return QStringLiteral("L%1 %2").arg(match.captured(1), match.captured(2));
}

QString tensorBlock(const QString &name)
{
    const QRegularExpressionMatch match = blockTensorPattern().match(name);
    if (match.hasMatch())
        return QCoreApplication::translate("wemoe::ui::CoefficientTable", "layer %1").arg(match.captured(1));
    return name.section(QLatin1Char('.'), 0, 0);
}

QVector<int> modelOrder(const QStringList &groups)
{
    // (part of the model, block number, learned position)
    const auto key = [&groups](int i) {
        const QString &name = groups.at(i);
        const QRegularExpressionMatch match = blockTensorPattern().match(name);
        if (match.hasMatch())
            return std::make_tuple(1, match.captured(1).toInt(), i);
        const bool beforeEncoder = name.startsWith(QLatin1String("embeddings"))
                                   || name.startsWith(QLatin1String("pre_layrnorm"));
        return std::make_tuple(beforeEncoder ? 0 : 2, 0, i);
    };
    QVector<int> order(groups.size());
    for (int i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&key](int a, int b) { return key(a) < key(b); });
    return order;
}

HeatMatrix coefficientMatrix(const CoefficientTable &table, CoefficientRows rows)
{
    if (table.isEmpty())
        return HeatMatrix();
    const int tasks = int(table.tasks.size());
    const QVector<int> order = modelOrder(table.groups);
    HeatMatrix matrix;
    if (rows == CoefficientRows::EachTensor) {
        matrix = HeatMatrix(int(order.size()), tasks);
        for (int r = 0; r < order.size(); ++r) {
            const QString &group = table.groups.at(order.at(r));
            matrix.rowLabels << shortTensorLabel(group);
            matrix.rowNames << group;
            for (int t = 0; t < tasks; ++t)
                matrix.at(r, t) = table.at(order.at(r), t);
        }
        matrix.rowTitle = QCoreApplication::translate("wemoe::ui::CoefficientTable", "tensor");
    } else {
        // Blocks in model order; each the plain mean of its tensors' λ.
        QStringList blocks;
        QVector<QVector<int>> members;
        for (const int g : order) {
            const QString block = tensorBlock(table.groups.at(g));
            int b = blocks.indexOf(block);
            if (b < 0) {
                b = blocks.size();
                blocks << block;
                members.append(QVector<int>());
            }
            members[b] << g;
        }
        matrix = HeatMatrix(int(blocks.size()), tasks);
        matrix.rowLabels = blocks;
        for (int b = 0; b < blocks.size(); ++b) {
            for (int t = 0; t < tasks; ++t) {
                double sum = 0.0;
                for (const int g : members.at(b))
                    sum += table.at(g, t);
                matrix.at(b, t) = sum / members.at(b).size();
            }
        }
        matrix.rowTitle = QCoreApplication::translate("wemoe::ui::CoefficientTable", "block");
    }
    matrix.columnLabels = table.tasks;
    matrix.columnTitle = QCoreApplication::translate("wemoe::ui::CoefficientTable", "task");
    matrix.valueTitle = rows == CoefficientRows::EachTensor
                            ? QCoreApplication::translate("wemoe::ui::CoefficientTable", "λ")
                            : QCoreApplication::translate("wemoe::ui::CoefficientTable", "mean λ");
    return matrix;
}

} // namespace wemoe::ui
