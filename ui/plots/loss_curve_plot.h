#pragma once

#include "models/adaptation_curve.h"
#include "plots/line_plot_widget.h"

namespace wemoe::ui {

// The adaptation curves of AdaMerging / WEMoE: entropy loss against the
// optimisation step. One run: its total thick and each task's share thin.
// Several runs overlaid: each run's total in its own colour, named by its
// method. Noisy per-batch losses can be smoothed by an exponential moving
// average, debiased as TensorBoard does so the first steps are not pulled
// towards 0; the data export stays raw.
class LossCurvePlot : public LinePlotWidget
{
    Q_OBJECT

public:
    explicit LossCurvePlot(QWidget *parent = nullptr);

    // One run (the same as setCurves({curve})).
    void setCurve(const AdaptationCurve &curve);
    // The runs to overlay; repeated method names are told apart ("WEMoE (2)").
    // colourSlots: each run's palette index, so a run keeps its colour while
    // others are added or removed (the run's index in the session); by default
    // their order here.
    void setCurves(const QVector<AdaptationCurve> &curves, const QVector<int> &colourSlots = {});
    const QVector<AdaptationCurve> &curves() const { return m_curves; }
    // The first run shown, an empty curve when none.
    const AdaptationCurve &curve() const;
    // 0: raw; up to 0.99: the weight of the past in the moving average.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    // The debiased EMA of `values` with that weight (the values when it is 0).
    static QVector<double> smoothed(const QVector<double> &values, double weight);
    // One run: its own CSV (step, loss, one column per task); several: curvesCsv's long table.
    QString dataCsv() const override;

protected:
    // The placeholder, axis titles and the total's name.
    void retranslateUi() override;

private:
    void rebuildLines();

    QVector<AdaptationCurve> m_curves;
    QVector<int> m_colourSlots;
    double m_smoothing = 0.0;
};

} // namespace wemoe::ui
