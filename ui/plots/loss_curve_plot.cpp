#include "plots/loss_curve_plot.h"

#include "models/run_selection.h"
#include "plots/qcustomplot_wrapper.h"

#include <QtGui/QFontMetrics>

#include <algorithm>

namespace wemoe::ui {

LossCurvePlot::LossCurvePlot(QWidget *parent)
    : LinePlotWidget(parent)
{
    setExportName(QStringLiteral("adaptation-loss"));
    setIntegerX(true); // steps: no 1.5
    retranslateUi();
}

void LossCurvePlot::retranslateUi()
{
    LinePlotWidget::retranslateUi();
    setDefaultPlaceholderText(
        tr("The test-time adaptation loss of AdaMerging and WEMoE appears here while they adapt."));
    rebuildLines();
}

void LossCurvePlot::setCurve(const AdaptationCurve &curve)
{
    setCurves({curve});
}

void LossCurvePlot::setCurves(const QVector<AdaptationCurve> &curves, const QVector<int> &colourSlots)
{
    m_curves = curves;
    QStringList methods;
    for (const AdaptationCurve &curve : curves)
        methods << curve.method;
    const QStringList names = distinctRunNames(methods);
    for (int i = 0; i < m_curves.size(); ++i)
        m_curves[i].method = names.at(i);
    m_colourSlots = colourSlots;
    rebuildLines();
}

const AdaptationCurve &LossCurvePlot::curve() const
{
    static const AdaptationCurve none;
    return m_curves.isEmpty() ? none : m_curves.first();
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
    if (m_curves.size() == 1) {
        const AdaptationCurve &curve = m_curves.first();
        for (int t = 0; t < curve.taskLoss.size(); ++t)
            lines.append({t < curve.tasks.size() ? curve.tasks.at(t) : QString::number(t),
                          curve.steps,
                          smoothed(curve.taskLoss.at(t), m_smoothing),
                          false,
                          {}});
        if (!curve.isEmpty())
            lines.append({tr("total loss"), curve.steps, smoothed(curve.loss, m_smoothing), true, {}});
    } else {
        // Per-task lines of several runs would be a tangle: each run's total only.
        for (int i = 0; i < m_curves.size(); ++i) {
            const AdaptationCurve &curve = m_curves.at(i);
            lines.append({curve.method, curve.steps, smoothed(curve.loss, m_smoothing), false,
                          seriesColor(m_colourSlots.value(i, i))});
        }
    }
    setSeries(lines, tr("step"), m_smoothing > 0.0 ? tr("entropy loss (smoothed)") : tr("entropy loss"));
    // Tall enough for the legend's rows (a task each and the total) not to run into each other.
    const int row = QFontMetrics(plot()->legend->font()).height() + 2;
    setMinimumHeight(std::clamp(int(lines.size()) * row + 48, 160, 480));
}

QString LossCurvePlot::dataCsv() const
{
    return m_curves.size() > 1 ? curvesCsv(m_curves) : curve().toCsv();
}

} // namespace wemoe::ui
