#pragma once

#include "models/sweep_series.h"
#include "plots/line_plot_widget.h"

namespace wemoe::ui {

// Accuracy (%) against the scaling factor λ. One sweep: one line per task
// and a thick average line, with a marker at the λ of the best average.
// Several sweeps on one axis: each sweep's average in its own colour, named
// by its label (per-task lines of several sweeps would be unreadable).
class SweepPlot : public LinePlotWidget
{
    Q_OBJECT

public:
    explicit SweepPlot(QWidget *parent = nullptr);

    // One sweep (the same as setSweeps({sweep})).
    void setSweep(const SweepSeries &sweep);
    // The sweeps to overlay; repeated labels are told apart ("ties (2)").
    // colourSlots: each sweep's palette index, so it keeps its colour while
    // others come and go; by default their order here.
    void setSweeps(const QVector<SweepSeries> &sweeps, const QVector<int> &colourSlots = {});
    const QVector<SweepSeries> &sweeps() const { return m_sweeps; }
    // The first sweep shown, an empty one when none.
    const SweepSeries &sweep() const;
    // One sweep: its own CSV (λ, one column per task, average; percentages);
    // several: sweepsCsv's long table.
    QString dataCsv() const override;

protected:
    // The placeholder, axis titles, average line and marker.
    void retranslateUi() override;

private:
    void rebuildLines();

    QVector<SweepSeries> m_sweeps;
    QVector<int> m_colourSlots;
};

} // namespace wemoe::ui
