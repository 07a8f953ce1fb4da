#include "plots/loss_curve_plot.h"

namespace wemoe::ui {

LossCurvePlot::LossCurvePlot(QWidget *parent)
    : LinePlotWidget(parent)
{
    setExportName(QStringLiteral("adaptation-loss"));
    setPlaceholderText(tr("The test-time adaptation loss of AdaMerging and WEMoE appears here while they adapt."));
    setIntegerX(true); // steps: no 1.5
}

void LossCurvePlot::setCurve(const AdaptationCurve &curve)
{
    m_curve = curve;
    QVector<LineSeries> lines;
    for (int t = 0; t < curve.taskLoss.size(); ++t)
        lines.append({t < curve.tasks.size() ? curve.tasks.at(t) : QString::number(t), curve.steps,
                      curve.taskLoss.at(t), false});
    if (!curve.isEmpty())
        lines.append({tr("total loss"), curve.steps, curve.loss, true});
    setSeries(lines, tr("step"), tr("entropy loss"));
}

QString LossCurvePlot::dataCsv() const
{
    return m_curve.toCsv();
}

} // namespace wemoe::ui
