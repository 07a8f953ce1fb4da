#include "models/run_selection.h"

namespace wemoe::ui {

QVector<int> RunSelection::checked() const
{
    QVector<int> runs;
    for (int i = 0; i < m_checked.size(); ++i) {
        if (m_checked.at(i))
            runs << i;
    }
    return runs;
}

void RunSelection::setChecked(int run, bool checked)
{
    if (run < 0 || run >= m_checked.size())
        return;
    m_checked[run] = checked;
    m_byHand = true;
}

void RunSelection::checkAll()
{
    m_checked.fill(true);
    m_byHand = true;
}

void RunSelection::checkNewestOnly()
{
    m_checked.fill(false);
    if (!m_checked.isEmpty())
        m_checked.last() = true;
    m_byHand = false;
}

QVector<int> RunSelection::matchPrevious(const QStringList &names) const
{
    const int before = m_names.size();
    const int now = names.size();
    if (before == 0 || now == 0)
        return {};
    QVector<int> map(before, -1);
    // (a) and (b): everything before the newest is where it was.
    if (now >= before && names.mid(0, before - 1) == m_names.mid(0, before - 1)) {
        for (int i = 0; i < before; ++i)
            map[i] = i;
        return map;
    }
    // (c): the newest finished as `replacing` and the earlier runs of that name
    // are gone; it inherits their checks (the user's "that method" is still shown).
    const QString &replacing = names.last();
    QStringList kept;
    for (int i = 0; i + 1 < before; ++i) {
        if (m_names.at(i) == replacing) {
            map[i] = now - 1;
        } else {
            map[i] = kept.size();
            kept << m_names.at(i);
        }
    }
    map[before - 1] = now - 1;
    if (kept != names.mid(0, now - 1))
        return {};
    return map;
}

void RunSelection::setRuns(const QStringList &names)
{
    const QVector<int> map = matchPrevious(names);
    QVector<bool> checked(names.size(), false);
    if (map.isEmpty()) {
        m_byHand = false;
    } else {
        for (int i = 0; i < map.size(); ++i) {
            if (map.at(i) >= 0 && m_checked.at(i))
                checked[map.at(i)] = true;
        }
        // New runs are checked when the newest was: it was being followed.
        const bool followingNewest = m_checked.last() || !m_checked.contains(true);
        for (int run = map.last() + 1; run < names.size(); ++run)
            checked[run] = followingNewest;
    }
    m_names = names;
    m_checked = checked;
    if (!m_byHand)
        checkNewestOnly();
}

QStringList distinctRunNames(const QStringList &names)
{
    QStringList distinct;
    for (int i = 0; i < names.size(); ++i) {
        const int earlier = names.mid(0, i).count(names.at(i));
        distinct << (earlier == 0 ? names.at(i) : QStringLiteral("%1 (%2)").arg(names.at(i)).arg(earlier + 1));
    }
    return distinct;
}

} // namespace wemoe::ui
