#pragma once

#include "models/heat_matrix.h"

#include <QtWidgets/QWidget>

class QLabel;

namespace wemoe::ui {

class HeatmapWidget;

// The cosine similarity of the pool's task vectors as a heatmap (diverging
// around 0: negative similarity is interference a merge has to resolve).
class TaskVectorPanel : public QWidget
{
    Q_OBJECT

public:
    explicit TaskVectorPanel(QWidget *parent = nullptr);

    HeatmapWidget *heatmap() const { return m_heatmap; }

public Q_SLOTS:
    void setSimilarity(const wemoe::ui::HeatMatrix &similarity);

protected:
    void changeEvent(QEvent *event) override;

private:
    // The note and the placeholder; again when the language switches.
    void retranslateUi();

    HeatmapWidget *m_heatmap;
    QLabel *m_note;
};

} // namespace wemoe::ui
