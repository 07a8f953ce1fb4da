#pragma once

#include <QtWidgets/QStyledItemDelegate>

namespace wemoe::ui {

// Draws JobListModel's progress column as the style's progress bar: the
// percentage done, a busy bar before the first report, empty while unknown.
class JobProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // Tall enough for the bar and its percentage.
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace wemoe::ui
