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

} // namespace wemoe::ui
