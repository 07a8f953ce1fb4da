#pragma once

#include "common/csv_field.h" // the studio's CSVs quote names as the engine's do

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// A labelled matrix of numbers for a heatmap: routing weights (layers x
// experts), first-choice shares (tasks x layers), task-vector similarities.
// Plain data, so views can be tested with hand-made matrices.
struct HeatMatrix
{
    int rows = 0;
    int columns = 0;
    QVector<double> values; // row-major, rows * columns; NaN = no value
    QStringList rowLabels;
    QStringList rowNames; // full names when rowLabels are shortened (tooltip, CSV); may be empty
    QStringList columnLabels;
    QString rowTitle;    // e.g. "layer"
    QString columnTitle; // e.g. "expert"
    QString valueTitle;  // e.g. "mean routing weight"

    HeatMatrix() = default;
    HeatMatrix(int rows, int columns, double fill = 0.0);

    bool isEmpty() const { return rows == 0 || columns == 0; }
    double at(int row, int column) const { return values.at(row * columns + column); }
    double &at(int row, int column) { return values[row * columns + column]; }
    // Largest |value| over the finite entries (0 when there are none).
    double maxAbs() const;
    // Smallest and largest finite entry (0, 0 when there are none).
    double minValue() const;
    double maxValue() const;
    // Labels, falling back to numbers when a label list is short.
    QString rowLabel(int row) const;
    QString columnLabel(int column) const;
    // The row's full name when it has one, else its label.
    QString rowName(int row) const;
    // One header line of column labels, then one line per row (named in full).
    QString toCsv() const;
};

} // namespace wemoe::ui
