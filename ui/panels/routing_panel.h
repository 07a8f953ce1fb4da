#pragma once

#include "models/adaptation_curve.h"
#include "models/routing_capture.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QSlider;

namespace wemoe::ui {

class HeatmapWidget;
class LossCurvePlot;
class RunPicker;

// What WEMoE's routers learned: for the selected task, the mean routing
// weight of every layer and expert over that task's images; the first-choice
// matrix (tasks x layers: how often a task's images go first to its own
// expert); and the adaptation loss curves, one run or several overlaid. Early layers near uniform and deep
// layers task-specific is the paper's finding these views let a user check.
class RoutingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RoutingPanel(QWidget *parent = nullptr);

    HeatmapWidget *layerHeatmap() const { return m_layers; }
    HeatmapWidget *firstChoiceMap() const { return m_firstChoice; }
    LossCurvePlot *lossPlot() const { return m_loss; }
    QComboBox *taskChoice() const { return m_task; }
    // The adaptation runs whose loss is plotted (the newest by default).
    RunPicker *runPicker() const { return m_runs; }
    // What the layer map's colours are measured from: λ₀ (default), 0, each layer's mean.
    QComboBox *centreChoice() const { return m_centre; }
    const RoutingCapture &capture() const { return m_capture; }

public Q_SLOTS:
    // Throws wemoe::Error for an inconsistent capture (nothing changes then).
    void setCapture(const wemoe::ui::RoutingCapture &capture);
    void setAdaptationCurve(const wemoe::ui::AdaptationCurve &curve);
    // Every curve of the session, to pick from; the newest is shown and
    // followed as new runs start, until the user checks runs by hand (those
    // checks then stay while new runs arrive; see RunSelection).
    void setAdaptationCurves(const QVector<wemoe::ui::AdaptationCurve> &curves);
    // The accuracy-table row the capture belongs to, shown above the maps.
    void setCaptureLabel(const QString &row);
    void selectTask(int task);

protected:
    void changeEvent(QEvent *event) override;

private:
    // Every text the panel sets, and the maps (their titles are made with
    // them); again when the language switches.
    void retranslateUi();
    void showFirstChoice();
    void showTask();
    void showCurves();

    QComboBox *m_task;
    RunPicker *m_runs;
    QComboBox *m_centre;
    QVector<AdaptationCurve> m_curves;
    QLabel *m_imageCount;
    QLabel *m_row;
    QString m_captureRow;
    QLabel *m_taskLabel;
    QLabel *m_centreLabel;
    QLabel *m_layersTitle;
    QLabel *m_firstChoiceTitle;
    QLabel *m_lossTitle;
    QLabel *m_smoothingLabel;
    QSlider *m_smoothing = nullptr;
    HeatmapWidget *m_layers;
    HeatmapWidget *m_firstChoice;
    LossCurvePlot *m_loss;
    RoutingCapture m_capture;
};

} // namespace wemoe::ui
