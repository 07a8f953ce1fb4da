#pragma once

#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QVector>
#include <QtGui/QFont>

namespace wemoe::ui {

// A sorting proxy whose horizontal header text is cut to its column's width
// with "…", line by line. QHeaderView elides one-line headers only: a
// two-line one ("deep_sky" over "(%)") in a narrow column was clipped on both
// sides ("eep_sk"). The view that sets the widths sets them here too.
class ElidingHeaderProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    // Column widths in pixels (0 or missing: not cut), the header's font and
    // the room its margins take.
    void setHeaderWidths(const QVector<int> &widths, const QFont &font, int margins);
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<int> m_widths;
    QFont m_font;
    int m_margins = 0;
};

} // namespace wemoe::ui
