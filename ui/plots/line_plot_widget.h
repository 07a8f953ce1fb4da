#pragma once

#include "plots/plot_widget.h"

#include <QtCore/QStringList>
#include <QtCore/QVector>
#include <QtGui/QColor>

class QCPAbstractPlottable;
class QCPItemText;

namespace wemoe::ui {

struct LineSeries
{
    QString name;
    QVector<double> x;
    QVector<double> y;
    bool emphasized = false; // drawn thick and dark (an average, a total)
    QColor color;            // when valid, drawn in it (a run's own colour); otherwise the palette in order
};

// Lines over a shared x axis with a legend: accuracy against λ, loss against
// steps. An optional vertical marker points at one x (the best λ).
//
// A plot to interrogate: drag to pan, wheel to zoom, Shift+drag to zoom into
// a box, double-click or Home to go back to all the data; the nearest point's
// series and values under the mouse; a click on a legend entry hides or shows
// its series; a log scale for y (from the context menu or code).
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
    // Logarithmic y (for losses spanning orders of magnitude); non-positive values are not drawn.
    void setLogY(bool logarithmic);
    bool isLogY() const { return m_logY; }
    // Ticks on whole numbers only (steps).
    void setIntegerX(bool integer);
    // Hidden series stay hidden when the data change (matched by name).
    void setSeriesVisible(const QString &name, bool visible);
    bool isSeriesVisible(const QString &name) const { return !m_hidden.contains(name); }
    // Back to the whole data (what double-click and Home do).
    void resetView();
    // "total loss — step 12: 1.234" for the visible point nearest a pixel (within 20 px), or "".
    QString readoutAt(const QPoint &position) const;

    bool hasData() const override;
    // Wide (x then one column per series) when the series share their x
    // values, long (series, x, y) otherwise.
    QString dataCsv() const override;

    // The colour of the series at an index (a fixed palette: a plot and its export agree).
    static QColor seriesColor(int index);

protected:
    void addContextActions(QMenu *menu) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void rebuild();
    // Turns the marker's label away from the nearer edge of the visible range
    // (after every zoom or pan, so it is never cut off).
    void alignMarkerLabel();
    // The index in m_series of a graph, -1 when it is none of them.
    int seriesOfGraph(const QCPAbstractPlottable *graph) const;

    QVector<LineSeries> m_series;
    QString m_xLabel;
    QString m_yLabel;
    bool m_hasMarker = false;
    double m_markerX = 0.0;
    QString m_markerLabel;
    QCPItemText *m_markerText = nullptr;
    double m_yLower = 0.0;
    double m_yUpper = 0.0;
    bool m_logY = false;
    bool m_integerX = false;
    QStringList m_hidden;
};

} // namespace wemoe::ui
