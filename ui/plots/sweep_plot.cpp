#include "plots/sweep_plot.h"

#include "models/run_selection.h"
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
    retranslateUi();
}

void SweepPlot::retranslateUi()
{
    LinePlotWidget::retranslateUi();
    setDefaultPlaceholderText(
        tr("Accuracy against the scaling factor λ appears here once a λ sweep has measured its first point.\n"
           "Check \"λ sweep\" in the methods panel and press Run (F5)."));
    rebuildLines();
}

void SweepPlot::setSweep(const SweepSeries &sweep)
{
    setSweeps({sweep});
}

const SweepSeries &SweepPlot::sweep() const
{
    static const SweepSeries none;
    return m_sweeps.isEmpty() ? none : m_sweeps.first();
}

void SweepPlot::setSweeps(const QVector<SweepSeries> &sweeps, const QVector<int> &colourSlots)
{
    m_sweeps = sweeps;
    QStringList labels;
    for (const SweepSeries &sweep : sweeps)
        labels << sweep.label;
    const QStringList names = distinctRunNames(labels);
    for (int i = 0; i < m_sweeps.size(); ++i)
        m_sweeps[i].label = names.at(i);
    m_colourSlots = colourSlots;
    rebuildLines();
}

void SweepPlot::rebuildLines()
{
    QVector<LineSeries> lines;
    if (m_sweeps.size() == 1) {
        const SweepSeries &sweep = m_sweeps.first();
        for (int t = 0; t < sweep.tasks.size(); ++t)
            lines.append({sweep.tasks.at(t), sweep.lambdas, percent(sweep.taskCurve(t)), false, {}});
        if (!sweep.isEmpty())
            lines.append({tr("average"), sweep.lambdas, percent(sweep.averageCurve()), true, {}});
    } else {
        for (int i = 0; i < m_sweeps.size(); ++i) {
            const SweepSeries &sweep = m_sweeps.at(i);
            lines.append({sweep.label, sweep.lambdas, percent(sweep.averageCurve()), false,
                          seriesColor(m_colourSlots.value(i, i))});
        }
    }
    setSeries(lines, tr("scaling factor λ"),
              m_sweeps.size() > 1 ? tr("average accuracy over the tasks (%)") : tr("accuracy (%)"));
    // The best λ is marked for one sweep; with several, each curve's peak shows it.
    const int best = m_sweeps.size() == 1 ? sweep().bestPoint() : -1;
    if (best >= 0)
        setMarker(sweep().lambdas.at(best), tr("best average: λ=%1 (%2 %)")
                                                .arg(sweep().lambdas.at(best))
                                                .arg(sweep().average(best) * 100.0, 0, 'f', 1));
    else
        clearMarker();
    plot()->setWindowTitle(m_sweeps.size() == 1 ? sweep().label : tr("λ sweeps"));
}

QString SweepPlot::dataCsv() const
{
    return m_sweeps.size() > 1 ? sweepsCsv(m_sweeps) : sweep().toCsv();
}

} // namespace wemoe::ui
