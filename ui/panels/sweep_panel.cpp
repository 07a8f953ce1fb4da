#include "panels/sweep_panel.h"

#include "plots/sweep_plot.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

SweepPanel::SweepPanel(QWidget *parent)
    : QWidget(parent)
    , m_choice(new QComboBox(this))
    , m_plot(new SweepPlot(this))
{
    m_choice->setToolTip(tr("Which λ sweep to show."));
    m_choice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *bar = new QHBoxLayout;
    auto *label = new QLabel(tr("Sweep:"), this);
    label->setBuddy(m_choice);
    bar->addWidget(label);
    bar->addWidget(m_choice);
    bar->addStretch(1);
    bar->addWidget(m_plot->createExportButtons(this));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);
    connect(m_choice, &QComboBox::currentIndexChanged, this, &SweepPanel::showSelected);
    showSelected();
}

void SweepPanel::setSweeps(const QVector<SweepSeries> &sweeps)
{
    const QString current = m_choice->currentText();
    const bool followLatest = m_choice->currentIndex() == m_choice->count() - 1;
    m_sweeps = sweeps;
    m_choice->blockSignals(true);
    m_choice->clear();
    for (const SweepSeries &sweep : sweeps)
        m_choice->addItem(sweep.partial ? tr("%1 — partial (%n point(s))", nullptr, sweep.pointCount()).arg(sweep.label)
                                        : sweep.label);
    int index = m_choice->findText(current);
    if (followLatest || index < 0)
        index = m_choice->count() - 1; // a new sweep shows up as it is measured
    m_choice->setCurrentIndex(index);
    m_choice->blockSignals(false);
    m_choice->setEnabled(sweeps.size() > 1);
    showSelected();
}

void SweepPanel::showSelected()
{
    const int index = m_choice->currentIndex();
    m_plot->setSweep(index >= 0 && index < m_sweeps.size() ? m_sweeps.at(index) : SweepSeries());
}

} // namespace wemoe::ui
