#include "models/adaptation_curve.h"

#include "models/heat_matrix.h"

#include "common/error.h"

#include <QtCore/QJsonArray>

#include <cmath>
#include <limits>

namespace wemoe::ui {

QString AdaptationCurve::toCsv() const
{
    QStringList header{QStringLiteral("step"), QStringLiteral("loss")};
    for (int t = 0; t < taskLoss.size(); ++t)
        header << csvField(t < tasks.size() ? tasks.at(t) : QString::number(t));
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int s = 0; s < steps.size(); ++s) {
        QStringList cells{QString::number(steps.at(s), 'g', 9),
                          s < loss.size() ? QString::number(loss.at(s), 'g', 9) : QString()};
        for (const QVector<double> &curve : taskLoss)
            cells << (s < curve.size() ? QString::number(curve.at(s), 'g', 9) : QString());
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

namespace {

QJsonArray numbers(const QVector<double> &values)
{
    QJsonArray array;
    for (const double v : values)
        array.append(std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null));
    return array;
}

QVector<double> numbersFrom(const QJsonValue &value, const QString &what)
{
    if (!value.isArray())
        throw Error(QStringLiteral("adaptation curve"), QStringLiteral("'%1' must be an array of numbers").arg(what));
    QVector<double> values;
    for (const QJsonValue &v : value.toArray()) {
        if (v.isNull())
            values << std::numeric_limits<double>::quiet_NaN();
        else if (v.isDouble())
            values << v.toDouble();
        else
            throw Error(QStringLiteral("adaptation curve"),
                        QStringLiteral("'%1' holds something that is not a number").arg(what));
    }
    return values;
}

} // namespace

QJsonObject AdaptationCurve::toJson() const
{
    QJsonArray perTask;
    for (const QVector<double> &curve : taskLoss)
        perTask.append(numbers(curve));
    return QJsonObject{{QStringLiteral("method"), method},
                       {QStringLiteral("tasks"), QJsonArray::fromStringList(tasks)},
                       {QStringLiteral("steps"), numbers(steps)},
                       {QStringLiteral("loss"), numbers(loss)},
                       {QStringLiteral("task_loss"), perTask}};
}

AdaptationCurve AdaptationCurve::fromJson(const QJsonObject &json)
{
    AdaptationCurve curve;
    curve.method = json.value(QStringLiteral("method")).toString();
    for (const QJsonValue &task : json.value(QStringLiteral("tasks")).toArray())
        curve.tasks << task.toString();
    curve.steps = numbersFrom(json.value(QStringLiteral("steps")), QStringLiteral("steps"));
    curve.loss = numbersFrom(json.value(QStringLiteral("loss")), QStringLiteral("loss"));
    if (curve.loss.size() != curve.steps.size())
        throw Error(QStringLiteral("adaptation curve"), QStringLiteral("'%1' has %2 losses for %3 steps")
                                                            .arg(curve.method)
                                                            .arg(curve.loss.size())
                                                            .arg(curve.steps.size()));
    for (const QJsonValue &perTask : json.value(QStringLiteral("task_loss")).toArray())
        curve.taskLoss << numbersFrom(perTask, QStringLiteral("task_loss"));
    return curve;
}

} // namespace wemoe::ui
