#pragma once

#include "models/sweep_series.h"
#include "plots/line_plot_widget.h"

namespace wemoe::ui {

// Accuracy (%) against the scaling factor λ: one line per task and a thick
// average line, with a marker at the λ of the best average.
class SweepPlot : public LinePlotWidget
{
    Q_OBJECT

public:
    explicit SweepPlot(QWidget *parent = nullptr);

    void setSweep(const SweepSeries &sweep);
    const SweepSeries &sweep() const { return m_sweep; }
    // The sweep's own CSV: λ, one column per task, average (percentages).
    QString dataCsv() const override;

private:
    SweepSeries m_sweep;
};

} // namespace wemoe::ui
