#pragma once

#include "plots/plot_widget.h"

#include <QtCore/QVector>

namespace wemoe::ui {

struct LineSeries
{
    QString name;
    QVector<double> x;
    QVector<double> y;
    bool emphasized = false; // drawn thick and dark (an average, a total)
};

// Lines over a shared x axis with a legend: accuracy against λ, loss against
// steps. An optional vertical marker points at one x (the best λ).
class LinePlotWidget : public PlotWidget
{
    Q_OBJECT

public:
    explicit LinePlotWidget(QWidget *parent = nullptr);

    void setSeries(const QVector<LineSeries> &series, const QString &xLabel, const QString &yLabel);
    const QVector<LineSeries> &series() const { return m_series; }
    void setMarker(double x, const QString &label);
    void clearMarker();
    // Fixed y range (e.g. 0..100 for percentages); an empty range scales to the data.
    void setYRange(double lower, double upper);

    bool hasData() const override;
    // Wide (x then one column per series) when the series share their x
    // values, long (series, x, y) otherwise.
    QString dataCsv() const override;

    // The colour of the series at an index (a fixed palette: a plot and its export agree).
    static QColor seriesColor(int index);

private:
    void rebuild();

    QVector<LineSeries> m_series;
    QString m_xLabel;
    QString m_yLabel;
    bool m_hasMarker = false;
    double m_markerX = 0.0;
    QString m_markerLabel;
    double m_yLower = 0.0;
    double m_yUpper = 0.0;
};

} // namespace wemoe::ui
