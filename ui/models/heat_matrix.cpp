#include "models/heat_matrix.h"

#include <cmath>

namespace wemoe::ui {

HeatMatrix::HeatMatrix(int rows, int columns, double fill)
    : rows(rows)
    , columns(columns)
    , values(rows * columns, fill)
{
}

double HeatMatrix::maxAbs() const
{
    double largest = 0.0;
    for (const double v : values) {
        if (std::isfinite(v))
            largest = std::max(largest, std::abs(v));
    }
    return largest;
}

double HeatMatrix::minValue() const
{
    bool any = false;
    double smallest = 0.0;
    for (const double v : values) {
        if (std::isfinite(v) && (!any || v < smallest)) {
            smallest = v;
            any = true;
        }
    }
    return smallest;
}

double HeatMatrix::maxValue() const
{
    bool any = false;
    double largest = 0.0;
    for (const double v : values) {
        if (std::isfinite(v) && (!any || v > largest)) {
            largest = v;
            any = true;
        }
    }
    return largest;
}

QString HeatMatrix::rowLabel(int row) const
{
    return row < rowLabels.size() ? rowLabels.at(row) : QString::number(row);
}

QString HeatMatrix::rowName(int row) const
{
    return row < rowNames.size() ? rowNames.at(row) : rowLabel(row);
}

QString HeatMatrix::columnLabel(int column) const
{
    return column < columnLabels.size() ? columnLabels.at(column) : QString::number(column);
}

QString HeatMatrix::toCsv() const
{
    QString corner = rowTitle;
    if (!columnTitle.isEmpty())
        corner += QLatin1Char('\\') + columnTitle;
    QStringList header{csvField(corner)};
    for (int c = 0; c < columns; ++c)
        header << csvField(columnLabel(c));
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < rows; ++r) {
        QStringList cells{csvField(rowName(r))};
        for (int c = 0; c < columns; ++c) {
            const double v = at(r, c);
            cells << (std::isfinite(v) ? QString::number(v, 'g', 9) : QString());
        }
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

} // namespace wemoe::ui
