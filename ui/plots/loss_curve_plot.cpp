#include "plots/loss_curve_plot.h"

#include <algorithm>

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
    rebuildLines();
}

void LossCurvePlot::setSmoothing(double weight)
{
    m_smoothing = std::clamp(weight, 0.0, 0.99);
    rebuildLines();
}

QVector<double> LossCurvePlot::smoothed(const QVector<double> &values, double weight)
{
    if (!(weight > 0.0))
        return values;
    QVector<double> out;
    out.reserve(values.size());
    double average = 0.0;
    double debias = 1.0;
    for (const double v : values) {
        average = weight * average + (1.0 - weight) * v;
        debias *= weight;
        out.append(average / (1.0 - debias));
    }
    return out;
}

void LossCurvePlot::rebuildLines()
{
    QVector<LineSeries> lines;
    for (int t = 0; t < m_curve.taskLoss.size(); ++t)
        lines.append({t < m_curve.tasks.size() ? m_curve.tasks.at(t) : QString::number(t), m_curve.steps,
                      smoothed(m_curve.taskLoss.at(t), m_smoothing), false});
    if (!m_curve.isEmpty())
        lines.append({tr("total loss"), m_curve.steps, smoothed(m_curve.loss, m_smoothing), true});
    setSeries(lines, tr("step"), m_smoothing > 0.0 ? tr("entropy loss (smoothed)") : tr("entropy loss"));
}

QString LossCurvePlot::dataCsv() const
{
    return m_curve.toCsv();
}

} // namespace wemoe::ui
