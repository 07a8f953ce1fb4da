#include "plots/sweep_plot.h"

#include "plots/qcustomplot_wrapper.h"

namespace wemoe::ui {

namespace {

QVector<double> percent(const QVector<double> &fractions)
{
    QVector<double> values;
    for (const double f : fractions)
        values << f * 100.0;
    return values;
}

} // namespace

SweepPlot::SweepPlot(QWidget *parent)
    : LinePlotWidget(parent)
{
    setExportName(QStringLiteral("accuracy-vs-lambda"));
    setPlaceholderText(
        tr("Accuracy against the scaling factor λ appears here once a λ sweep has measured its first point.\n"
           "Check \"λ sweep\" in the methods panel and press Run (F5)."));
}

void SweepPlot::setSweep(const SweepSeries &sweep)
{
    m_sweep = sweep;
    QVector<LineSeries> lines;
    for (int t = 0; t < sweep.tasks.size(); ++t)
        lines.append({sweep.tasks.at(t), sweep.lambdas, percent(sweep.taskCurve(t)), false});
    if (!sweep.isEmpty())
        lines.append({tr("average"), sweep.lambdas, percent(sweep.averageCurve()), true});
    setSeries(lines, tr("scaling factor λ"), tr("accuracy (%)"));
    const int best = sweep.bestPoint();
    if (best >= 0)
        setMarker(
            sweep.lambdas.at(best),
            tr("best average: λ=%1 (%2 %)").arg(sweep.lambdas.at(best)).arg(sweep.average(best) * 100.0, 0, 'f', 1));
    else
        clearMarker();
    plot()->setWindowTitle(sweep.label);
}

QString SweepPlot::dataCsv() const
{
    return m_sweep.toCsv();
}

} // namespace wemoe::ui
