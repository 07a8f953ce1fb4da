#pragma once

#include "models/adaptation_curve.h"
#include "plots/line_plot_widget.h"

namespace wemoe::ui {

// The adaptation curve of AdaMerging / WEMoE: entropy loss against the
// optimisation step, the total thick and each task's share thin. Noisy
// per-batch losses can be smoothed by an exponential moving average, debiased
// as TensorBoard does so the first steps are not pulled towards 0; the data
// export stays raw.
class LossCurvePlot : public LinePlotWidget
{
    Q_OBJECT

public:
    explicit LossCurvePlot(QWidget *parent = nullptr);

    void setCurve(const AdaptationCurve &curve);
    // 0: raw; up to 0.99: the weight of the past in the moving average.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    // The debiased EMA of `values` with that weight (the values when it is 0).
    static QVector<double> smoothed(const QVector<double> &values, double weight);
    const AdaptationCurve &curve() const { return m_curve; }
    QString dataCsv() const override;

private:
    void rebuildLines();

    AdaptationCurve m_curve;
    double m_smoothing = 0.0;
};

} // namespace wemoe::ui
