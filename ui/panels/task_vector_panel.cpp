#include "panels/task_vector_panel.h"

#include "plots/heatmap_widget.h"

#include <QtCore/QEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

namespace wemoe::ui {

TaskVectorPanel::TaskVectorPanel(QWidget *parent)
    : QWidget(parent)
    , m_heatmap(new HeatmapWidget(this))
    , m_note(new QLabel(this))
{
    m_heatmap->setExportName(QStringLiteral("task-vector-similarity"));
    m_heatmap->setShowValues(true);
    m_note->setWordWrap(true);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_note, 1);
    bar->addWidget(m_heatmap->createExportButtons(this));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_heatmap, 1);
    retranslateUi();
}

void TaskVectorPanel::retranslateUi()
{
    m_heatmap->setPlaceholderText(tr("The cosine similarity of the task vectors appears here after a run with "
                                     "\"Task-vector similarity\" checked."));
    m_note->setText(tr("Cosine similarity of the task vectors τt = θt − θ0. Near 0: the tasks changed different "
                       "directions of the weights; negative: they pulled against each other, which is what merging "
                       "has to reconcile."));
}

void TaskVectorPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void TaskVectorPanel::setSimilarity(const HeatMatrix &similarity)
{
    m_heatmap->setMatrix(similarity, HeatmapWidget::Scale::Diverging);
}

} // namespace wemoe::ui
