#pragma once

#include "models/adaptation_curve.h"
#include "plots/line_plot_widget.h"

namespace wemoe::ui {

// The adaptation curve of AdaMerging / WEMoE: entropy loss against the
// optimisation step, the total thick and each task's share thin.
class LossCurvePlot : public LinePlotWidget
{
    Q_OBJECT

public:
    explicit LossCurvePlot(QWidget *parent = nullptr);

    void setCurve(const AdaptationCurve &curve);
    const AdaptationCurve &curve() const { return m_curve; }
    QString dataCsv() const override;

private:
    AdaptationCurve m_curve;
};

} // namespace wemoe::ui
