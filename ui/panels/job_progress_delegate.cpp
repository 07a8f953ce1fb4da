#include "panels/job_progress_delegate.h"

#include "models/job_list_model.h"

#include <QtGui/QPainter>

#include <QtWidgets/QApplication>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleOptionProgressBar>
#include <algorithm>

namespace wemoe::ui {

void JobProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // A failed job shows its reason (text) where its bar was.
    if (!index.data(Qt::DisplayRole).toString().isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    const double fraction = index.data(JobListModel::ProgressRole).toDouble();
    const bool busy = index.data(JobListModel::BusyRole).toBool();
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.minimum = 0;
    bar.maximum = busy ? 0 : 1000;
    bar.progress = fraction < 0 ? 0 : static_cast<int>(fraction * 1000);
    bar.textVisible = fraction >= 0;
    bar.text = fraction >= 0 ? QStringLiteral("%1%").arg(static_cast<int>(fraction * 100)) : QString();
    bar.textAlignment = Qt::AlignCenter;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.highlight());
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize JobProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QSize hint = QStyledItemDelegate::sizeHint(option, index);
    return {hint.width(), std::max(hint.height(), option.fontMetrics.height() + 10)};
}

} // namespace wemoe::ui
