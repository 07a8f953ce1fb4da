#include "panels/sweep_panel.h"

#include "panels/run_picker.h"
#include "plots/sweep_plot.h"

#include <QtCore/QEvent>
#include <QtCore/QSignalBlocker>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

SweepPanel::SweepPanel(QWidget *parent)
    : QWidget(parent)
    , m_picker(new RunPicker(QString(), this))
    , m_plot(new SweepPlot(this))
{
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_picker);
    bar->addStretch(1);
    bar->addWidget(m_plot->createExportButtons(this));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    connect(m_picker, &RunPicker::checkedRunsChanged, this, &SweepPanel::showChecked);
    retranslateUi();
}

void SweepPanel::retranslateUi()
{
    m_picker->setNoun(tr("Sweeps"));
    m_picker->setToolTip(tr("The λ sweeps to show. One sweep shows each task's accuracy and the average; several "
                            "are compared on one axis by their average accuracy, each in its own colour. The newest "
                            "sweep is shown while it is measured."));
    setSweeps(m_sweeps); // the entries say "partial" in the new language
}

void SweepPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SweepPanel::setSweeps(const QVector<SweepSeries> &sweeps)
{
    m_sweeps = sweeps;
    // Matched by label (stable while a sweep is measured); the menu also says which are partial.
    QStringList labels;
    QStringList entries;
    for (const SweepSeries &sweep : sweeps) {
        labels << sweep.label;
        entries << (sweep.partial ? tr("%1 — partial (%n point(s))", nullptr, sweep.pointCount()).arg(sweep.label)
                                  : sweep.label);
    }
    const QSignalBlocker quiet(m_picker); // a new point redraws below even when the checks stay
    m_picker->setRuns(labels, entries);
    showChecked();
}

void SweepPanel::showChecked()
{
    // Named as in the picker (repeats told apart over every sweep), coloured by sweep.
    const QStringList names = m_picker->runNames();
    QVector<SweepSeries> shown;
    QVector<int> colourSlots;
    for (const int index : m_picker->checkedRuns()) {
        shown << m_sweeps.at(index);
        shown.last().label = names.at(index);
        colourSlots << index;
    }
    m_plot->setSweeps(shown, colourSlots);
}

} // namespace wemoe::ui
