#include "models/sweep_series.h"

#include "common/error.h"
#include "models/heat_matrix.h"

#include <QtCore/QJsonArray>

#include <cmath>
#include <limits>

namespace wemoe::ui {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

QString percentCell(double fraction)
{
    return std::isnan(fraction) ? QString() : QString::number(fraction * 100.0, 'f', 2);
}

Error malformed(const QString &problem)
{
    return Error(QStringLiteral("sweep JSON"), problem);
}

QJsonValue jsonNumber(double value)
{
    return std::isnan(value) ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

} // namespace

void SweepSeries::appendPoint(double lambda, const QVector<double> &taskAccuracy)
{
    if (taskAccuracy.size() != tasks.size())
        throw Error(QStringLiteral("sweep '%1': a point has %2 accuracies for %3 tasks")
                        .arg(label)
                        .arg(taskAccuracy.size())
                        .arg(tasks.size()));
    lambdas.append(lambda);
    accuracy.append(taskAccuracy);
}

double SweepSeries::average(int point) const
{
    const QVector<double> &row = accuracy.at(point);
    if (row.isEmpty())
        return kMissing;
    double sum = 0.0;
    for (const double a : row)
        sum += a; // NaN propagates
    return sum / row.size();
}

QVector<double> SweepSeries::taskCurve(int task) const
{
    QVector<double> curve;
    for (const QVector<double> &row : accuracy)
        curve.append(row.at(task));
    return curve;
}

QVector<double> SweepSeries::averageCurve() const
{
    QVector<double> curve;
    for (int p = 0; p < pointCount(); ++p)
        curve.append(average(p));
    return curve;
}

int SweepSeries::bestPoint() const
{
    int best = -1;
    for (int p = 0; p < pointCount(); ++p) {
        const double a = average(p);
        if (!std::isnan(a) && (best < 0 || a > average(best)))
            best = p;
    }
    return best;
}

QString SweepSeries::toCsv() const
{
    QStringList header{QStringLiteral("lambda")};
    for (const QString &task : tasks)
        header << csvField(task);
    header << QStringLiteral("average");
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int p = 0; p < pointCount(); ++p) {
        QStringList cells{QString::number(lambdas.at(p), 'g', 9)};
        for (const double a : accuracy.at(p))
            cells << percentCell(a);
        cells << percentCell(average(p));
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

QString sweepsCsv(const QVector<SweepSeries> &sweeps)
{
    QStringList tasks; // every task any sweep measured, in the order first met
    for (const SweepSeries &sweep : sweeps) {
        for (const QString &task : sweep.tasks) {
            if (!tasks.contains(task))
                tasks << task;
        }
    }
    QStringList header{QStringLiteral("sweep"), QStringLiteral("lambda")};
    for (const QString &task : tasks)
        header << csvField(task);
    header << QStringLiteral("average");
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const SweepSeries &sweep : sweeps) {
        for (int p = 0; p < sweep.pointCount(); ++p) {
            QStringList cells{csvField(sweep.label), QString::number(sweep.lambdas.at(p), 'g', 9)};
            for (const QString &task : tasks) {
                const int t = sweep.tasks.indexOf(task);
                cells << (t < 0 ? QString() : percentCell(sweep.accuracy.at(p).value(t, kMissing)));
            }
            cells << percentCell(sweep.average(p));
            text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
        }
    }
    return text;
}

QJsonObject SweepSeries::toJson() const
{
    QJsonArray points;
    for (int p = 0; p < pointCount(); ++p) {
        QJsonArray values;
        for (const double a : accuracy.at(p))
            values.append(jsonNumber(a));
        points.append(QJsonObject{{QStringLiteral("lambda"), lambdas.at(p)}, {QStringLiteral("accuracy"), values}});
    }
    return QJsonObject{{QStringLiteral("method"), method},
                       {QStringLiteral("label"), label},
                       {QStringLiteral("tasks"), QJsonArray::fromStringList(tasks)},
                       {QStringLiteral("partial"), partial},
                       {QStringLiteral("points"), points}};
}

SweepSeries SweepSeries::fromJson(const QJsonObject &json)
{
    SweepSeries series;
    series.method = json.value(QStringLiteral("method")).toString();
    series.label = json.value(QStringLiteral("label")).toString(series.method);
    series.partial = json.value(QStringLiteral("partial")).toBool(false);
    const QJsonValue tasks = json.value(QStringLiteral("tasks"));
    if (!tasks.isArray())
        throw malformed(QStringLiteral("'tasks' must be an array of task names"));
    for (const QJsonValue &task : tasks.toArray()) {
        if (!task.isString())
            throw malformed(QStringLiteral("'tasks' must hold strings"));
        series.tasks << task.toString();
    }
    const QJsonValue points = json.value(QStringLiteral("points"));
    if (!points.isArray())
        throw malformed(QStringLiteral("'points' must be an array"));
    for (const QJsonValue &pointValue : points.toArray()) {
        const QJsonObject point = pointValue.toObject();
        if (!point.value(QStringLiteral("lambda")).isDouble())
            throw malformed(QStringLiteral("a point of '%1' has no numeric 'lambda'").arg(series.label));
        QVector<double> values;
        for (const QJsonValue &v : point.value(QStringLiteral("accuracy")).toArray()) {
            if (v.isNull())
                values << kMissing;
            else if (v.isDouble())
                values << v.toDouble();
            else
                throw malformed(QStringLiteral("an accuracy of '%1' is not a number").arg(series.label));
        }
        series.appendPoint(point.value(QStringLiteral("lambda")).toDouble(), values);
    }
    return series;
}

} // namespace wemoe::ui
