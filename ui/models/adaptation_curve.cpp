#include "models/adaptation_curve.h"

#include "models/heat_matrix.h"

#include "common/error.h"

#include <QtCore/QJsonArray>

#include <cmath>
#include <limits>

namespace wemoe::ui {

namespace {

QString taskName(const AdaptationCurve &curve, int task)
{
    return task < curve.tasks.size() ? curve.tasks.at(task) : QString::number(task);
}

QString cell(const QVector<double> &values, int index)
{
    return index < values.size() ? QString::number(values.at(index), 'g', 9) : QString();
}

} // namespace

QString AdaptationCurve::toCsv() const
{
    QStringList header{QStringLiteral("step"), QStringLiteral("loss")};
    for (int t = 0; t < taskLoss.size(); ++t)
        header << csvField(taskName(*this, t));
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int s = 0; s < steps.size(); ++s) {
        QStringList cells{QString::number(steps.at(s), 'g', 9), cell(loss, s)};
        for (const QVector<double> &curve : taskLoss)
            cells << cell(curve, s);
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

QString curvesCsv(const QVector<AdaptationCurve> &curves)
{
    QStringList tasks; // every task any run recorded, in the order first met
    for (const AdaptationCurve &curve : curves) {
        for (int t = 0; t < curve.taskLoss.size(); ++t) {
            if (!tasks.contains(taskName(curve, t)))
                tasks << taskName(curve, t);
        }
    }
    QStringList header{QStringLiteral("run"), QStringLiteral("step"), QStringLiteral("loss")};
    for (const QString &task : tasks)
        header << csvField(task);
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const AdaptationCurve &curve : curves) {
        QVector<int> column(tasks.size(), -1); // this run's task index for each column
        for (int t = 0; t < curve.taskLoss.size(); ++t)
            column[tasks.indexOf(taskName(curve, t))] = t;
        for (int s = 0; s < curve.steps.size(); ++s) {
            QStringList cells{csvField(curve.method), QString::number(curve.steps.at(s), 'g', 9), cell(curve.loss, s)};
            for (const int t : column)
                cells << (t < 0 ? QString() : cell(curve.taskLoss.at(t), s));
            text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
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
