#pragma once

#include "models/coefficient_table.h"

#include <QtWidgets/QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace wemoe::ui {

class HeatmapWidget;

// What AdaMerging learned: the merging coefficient λ of every task (columns)
// for every parameter tensor (rows; one row "all" for task-wise), for one run
// of the session or one saved adamerging-coefficients.json at a time. A
// layer-wise ViT-B/32 has about 200 tensors, so the rows can also be the
// mean per transformer block. The colours show how far each λ moved from
// where it started (λ₀), λ itself, or how far a tensor's λ of a task is from
// that tensor's mean over the tasks.
class CoefficientPanel : public QWidget
{
    Q_OBJECT

public:
    explicit CoefficientPanel(QWidget *parent = nullptr);

    HeatmapWidget *heatmap() const { return m_heatmap; }
    // The run (or file) shown; the newest by default, followed as new ones
    // arrive until another is picked by hand.
    QComboBox *runChoice() const { return m_run; }
    // Each tensor (0) or the mean per block (1); by default each tensor
    // unless there are more than fit readably, until picked by hand.
    QComboBox *rowsChoice() const { return m_rows; }
    // The deviation from the initial λ₀ (0, the default; λ's own range when
    // λ₀ is not known), λ on the data's own range (1), or the deviation from
    // each row's mean (2).
    QComboBox *colourChoice() const { return m_colours; }
    QPushButton *openButton() const { return m_open; }
    const QVector<CoefficientTable> &tables() const { return m_tables; }
    // The table shown; null when there is none.
    const CoefficientTable *currentTable() const;

public Q_SLOTS:
    void setTables(const QVector<wemoe::ui::CoefficientTable> &tables);
    void setRows(wemoe::ui::CoefficientRows rows);
    // As a pick in the run box: the newest is followed again when it is picked.
    void selectRun(int run);

Q_SIGNALS:
    // The "Open…" button: the window asks for a file.
    void openRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    // Every text the panel sets, and the map (its titles are made with it).
    void retranslateUi();
    void showTable();
    // The rows by default: each tensor while they fit a readable map.
    CoefficientRows defaultRows() const;

    QVector<CoefficientTable> m_tables;
    bool m_followNewest = true;
    bool m_rowsByHand = false;
    QComboBox *m_run;
    QComboBox *m_rows;
    QComboBox *m_colours;
    QPushButton *m_open;
    QLabel *m_runLabel;
    QLabel *m_rowsLabel;
    QLabel *m_coloursLabel;
    QLabel *m_size;
    QLabel *m_title;
    HeatmapWidget *m_heatmap;
};

} // namespace wemoe::ui
