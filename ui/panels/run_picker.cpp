#include "panels/run_picker.h"

#include "plots/line_plot_widget.h"

#include <QtCore/QEvent>
#include <QtGui/QKeyEvent>
#include <QtGui/QMouseEvent>
#include <QtGui/QPainter>
#include <QtGui/QPixmap>
#include <QtGui/QPolygonF>
#include <QtWidgets/QMenu>

namespace wemoe::ui {

namespace {

// A menu whose check boxes toggle without closing it: picking three runs is
// three clicks, not three trips through the button.
class StayOpenMenu : public QMenu
{
public:
    using QMenu::QMenu;

protected:
    void mouseReleaseEvent(QMouseEvent *event) override
    {
        QAction *action = actionAt(event->position().toPoint());
        if (action && action->isCheckable() && action->isEnabled()) {
            action->trigger();
            return;
        }
        QMenu::mouseReleaseEvent(event);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        QAction *action = activeAction();
        if (event->key() == Qt::Key_Space && action && action->isCheckable()) {
            action->trigger();
            return;
        }
        QMenu::keyPressEvent(event);
    }
};

// The run's colour as its check box: filled when shown, hollow when not (a
// style draws no separate check box next to an action's icon).
QIcon swatch(const QColor &color, bool checked)
{
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(color.darker(120));
    pen.setWidthF(2.0);
    painter.setPen(pen);
    painter.setBrush(checked ? QBrush(color) : QBrush(Qt::NoBrush));
    painter.drawRoundedRect(QRectF(2, 2, 10, 10), 2, 2);
    if (checked) {
        QPen tick(Qt::white);
        tick.setWidthF(1.8);
        painter.setPen(tick);
        painter.drawPolyline(QPolygonF{QPointF(4.5, 7.2), QPointF(6.4, 9.2), QPointF(9.8, 4.8)});
    }
    return QIcon(pixmap);
}

} // namespace

RunPicker::RunPicker(const QString &noun, QWidget *parent)
    : QPushButton(parent)
    , m_noun(noun)
    , m_menu(new StayOpenMenu(this))
{
    setMenu(m_menu); // the style draws the drop-down arrow
    m_separator = m_menu->addSeparator();
    m_all = m_menu->addAction(QString(), this, [this] {
        m_selection.checkAll();
        refresh();
        Q_EMIT checkedRunsChanged();
    });
    m_newestOnly = m_menu->addAction(QString(), this, [this] {
        m_selection.checkNewestOnly();
        refresh();
        Q_EMIT checkedRunsChanged();
    });
    retranslateUi();
}

void RunPicker::setNoun(const QString &noun)
{
    m_noun = noun;
    refresh();
}

void RunPicker::retranslateUi()
{
    m_all->setText(tr("All"));
    m_newestOnly->setText(tr("Newest only (follows new runs)"));
    refresh(); // the button's "(2 of 5)"
}

void RunPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QPushButton::changeEvent(event);
}

void RunPicker::setRuns(const QStringList &keys, const QStringList &labels)
{
    const QVector<int> before = m_selection.checked();
    const int countBefore = m_selection.count();
    m_selection.setRuns(keys);
    m_labels = distinctRunNames(labels);
    refresh();
    if (m_selection.checked() != before || m_selection.count() != countBefore)
        Q_EMIT checkedRunsChanged();
}

void RunPicker::setRunChecked(int run, bool checked)
{
    if (run < 0 || run >= m_selection.count() || m_selection.isChecked(run) == checked)
        return;
    m_selection.setChecked(run, checked);
    refresh();
    Q_EMIT checkedRunsChanged();
}

void RunPicker::refresh()
{
    // Actions are reused, so an open menu is not rebuilt under the mouse at every step of a run.
    while (m_runActions.size() > m_selection.count())
        delete m_runActions.takeLast();
    while (m_runActions.size() < m_selection.count()) {
        const int run = m_runActions.size();
        auto *action = new QAction(m_menu);
        action->setCheckable(true);
        connect(action, &QAction::triggered, this, [this, run](bool on) { setRunChecked(run, on); });
        m_menu->insertAction(m_separator, action);
        m_runActions << action;
    }
    for (int run = 0; run < m_runActions.size(); ++run) {
        m_runActions.at(run)->setText(QString(m_labels.value(run)).replace(QLatin1Char('&'), QStringLiteral("&&")));
        m_runActions.at(run)->setChecked(m_selection.isChecked(run));
        // Each run keeps its palette colour on the overlaid plot.
        m_runActions.at(run)->setIcon(swatch(LinePlotWidget::seriesColor(run), m_selection.isChecked(run)));
    }
    const int shown = m_selection.checked().size();
    setText(tr("%1 (%2 of %3)").arg(m_noun).arg(shown).arg(m_selection.count()));
    setEnabled(m_selection.count() > 0);
}

} // namespace wemoe::ui
