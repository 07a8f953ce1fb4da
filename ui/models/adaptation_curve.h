#pragma once

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
};

} // namespace wemoe::ui
