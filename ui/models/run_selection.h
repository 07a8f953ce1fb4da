#pragma once

#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// Which runs of a growing list (the session's adaptation curves, its λ sweeps)
// are plotted. Untouched, it shows the newest run alone and moves to each new
// run as it starts. Once the user checks runs by hand, the checks stay, and a
// new run joins them when the newest was checked (it is being followed).
//
// The lists come from controllers that only ever (a) append runs, (b) rename
// the newest run (a run named when it finishes or stops), or (c) drop the
// earlier runs that a finished run replaces (a rerun of the same method, by
// name). Updates are matched to the previous list by those rules, so a check
// stays on its run when others come and go; a list that fits none of them (a
// session opened, the results cleared) starts over with the newest alone.
class RunSelection
{
public:
    // The runs now, by name (names may repeat).
    void setRuns(const QStringList &names);
    const QStringList &names() const { return m_names; }
    int count() const { return m_names.size(); }

    bool isChecked(int run) const { return m_checked.value(run, false); }
    QVector<int> checked() const;
    // The user's own choice: from now on the checks are kept.
    void setChecked(int run, bool checked);
    void checkAll();
    // Back to the default: the newest alone, followed as new runs start.
    void checkNewestOnly();

private:
    // For each previous run its index in `names` (-1 when gone), or an empty
    // vector when `names` is not an update of the previous list.
    QVector<int> matchPrevious(const QStringList &names) const;

    QStringList m_names;
    QVector<bool> m_checked;
    bool m_byHand = false;
};

// The names with repeats told apart: "WEMoE", "WEMoE (2)", "WEMoE (3)".
QStringList distinctRunNames(const QStringList &names);

} // namespace wemoe::ui
