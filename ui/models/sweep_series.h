#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// Accuracy of one method over a range of scaling factors λ: one point per λ,
// one accuracy (fraction in [0, 1], NaN when missing) per task at each point.
// Grows point by point while a sweep runs, so a cancelled sweep keeps what it measured.
struct SweepSeries
{
    QString method; // "task_arithmetic", "ties", "dare"
    QString label;  // what the plot calls it, e.g. "ties (k=20%, sum)"
    QStringList tasks;
    QVector<double> lambdas;
    QVector<QVector<double>> accuracy; // [point][task]
    bool partial = false;              // the run was interrupted: fewer points than asked for

    int pointCount() const { return lambdas.size(); }
    bool isEmpty() const { return lambdas.isEmpty(); }
    // Throws wemoe::Error when the accuracy has the wrong length.
    void appendPoint(double lambda, const QVector<double> &taskAccuracy);
    // Mean over tasks at a point (NaN when a task is missing).
    double average(int point) const;
    // One task's accuracies over the points.
    QVector<double> taskCurve(int task) const;
    QVector<double> averageCurve() const;
    // The point with the highest average, -1 when there is none.
    int bestPoint() const;

    // lambda, one column per task, average; percentages.
    QString toCsv() const;
    QJsonObject toJson() const;
    static SweepSeries fromJson(const QJsonObject &json); // throws wemoe::Error
};

// Several sweeps in one long ("tidy") table, as pandas expects sweeps of
// different λ grids: sweep (its label), lambda, one column per task any sweep
// measured (empty where it has none), average; percentages; one row per sweep
// and point.
QString sweepsCsv(const QVector<SweepSeries> &sweeps);

} // namespace wemoe::ui
