#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// The test-time adaptation loss of AdaMerging or WEMoE over the steps: the
// total entropy loss and, when recorded, each task's share of it.
struct AdaptationCurve
{
    QString method;
    QVector<double> steps;
    QVector<double> loss;
    QStringList tasks;
    QVector<QVector<double>> taskLoss; // [task][step index], may be empty

    bool isEmpty() const { return steps.isEmpty(); }
    // step, loss, one column per task.
    QString toCsv() const;
    // For session files; non-finite losses are stored as null.
    QJsonObject toJson() const;
    static AdaptationCurve fromJson(const QJsonObject &json); // throws wemoe::Error
};

// Several runs in one long ("tidy") table, the shape pandas and R expect for
// runs of different lengths: run, step, loss, then one column per task any
// run recorded (empty where a run has none); one row per run and step.
// `pd.read_csv(f).pivot(index="step", columns="run", values="loss")` gives
// the runs side by side.
QString curvesCsv(const QVector<AdaptationCurve> &curves);

} // namespace wemoe::ui
