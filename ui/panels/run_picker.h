#pragma once

#include "models/run_selection.h"

#include <QtWidgets/QPushButton>

class QMenu;

namespace wemoe::ui {

// A compact picker of the runs to overlay on a plot: a button "Runs (2 of 5)"
// whose menu has one check box per run, in the colour the run gets on the
// plot, and "All" / "Newest only". The menu stays open while runs are
// checked, so several are picked in one go. What is checked follows
// RunSelection's rules when the list of runs changes.
class RunPicker : public QPushButton
{
    Q_OBJECT

public:
    // noun: what the runs are called on the button ("Runs", "Sweeps").
    explicit RunPicker(const QString &noun, QWidget *parent = nullptr);
    // The owner says it again in the new language when the language switches.
    void setNoun(const QString &noun);

    // keys: the names runs are matched by across updates; labels: what the
    // menu shows (made distinct here). Emits checkedRunsChanged when the
    // checked runs changed.
    void setRuns(const QStringList &keys, const QStringList &labels);
    // The menu's labels, repeats told apart ("WEMoE (2)").
    QStringList runNames() const { return m_labels; }
    QVector<int> checkedRuns() const { return m_selection.checked(); }
    // As a click in the menu does.
    void setRunChecked(int run, bool checked);
    QMenu *runMenu() const { return m_menu; }

Q_SIGNALS:
    void checkedRunsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void refresh();

    QString m_noun;
    QMenu *m_menu;
    QList<QAction *> m_runActions;
    QAction *m_separator;
    QAction *m_all;
    QAction *m_newestOnly;
    RunSelection m_selection;
    QStringList m_labels;
};

} // namespace wemoe::ui
