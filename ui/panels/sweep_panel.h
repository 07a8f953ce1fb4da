#pragma once

#include "models/sweep_series.h"

#include <QtWidgets/QWidget>

class QComboBox;

namespace wemoe::ui {

class SweepPlot;

// The λ sweeps: pick one (the latest is shown) and see accuracy against λ.
class SweepPanel : public QWidget
{
    Q_OBJECT

public:
    explicit SweepPanel(QWidget *parent = nullptr);

    SweepPlot *plot() const { return m_plot; }

public Q_SLOTS:
    void setSweeps(const QVector<wemoe::ui::SweepSeries> &sweeps);

private:
    void showSelected();

    QComboBox *m_choice;
    SweepPlot *m_plot;
    QVector<SweepSeries> m_sweeps;
};

} // namespace wemoe::ui
