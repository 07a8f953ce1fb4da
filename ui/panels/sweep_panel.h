#pragma once

#include "models/sweep_series.h"

#include <QtWidgets/QWidget>

namespace wemoe::ui {

class RunPicker;
class SweepPlot;

// The λ sweeps: accuracy against λ for the newest sweep (followed while it
// is measured), or several sweeps picked to compare on one axis.
class SweepPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SweepPanel(QWidget *parent = nullptr);

    SweepPlot *plot() const { return m_plot; }
    RunPicker *sweepPicker() const { return m_picker; }

public Q_SLOTS:
    void setSweeps(const QVector<wemoe::ui::SweepSeries> &sweeps);

protected:
    void changeEvent(QEvent *event) override;

private:
    // The picker's name and tooltip, and its entries ("partial"); again when the language switches.
    void retranslateUi();
    void showChecked();

    RunPicker *m_picker;
    SweepPlot *m_plot;
    QVector<SweepSeries> m_sweeps;
};

} // namespace wemoe::ui
