#include "models/eliding_header_proxy.h"

#include <QtGui/QFontMetrics>

namespace wemoe::ui {

void ElidingHeaderProxy::setHeaderWidths(const QVector<int> &widths, const QFont &font, int margins)
{
    if (widths == m_widths && font == m_font && margins == m_margins)
        return;
    m_widths = widths;
    m_font = font;
    m_margins = margins;
    if (columnCount() > 0)
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
}

QVariant ElidingHeaderProxy::headerData(int section, Qt::Orientation orientation, int role) const
{
    const QVariant value = QSortFilterProxyModel::headerData(section, orientation, role);
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= m_widths.size()
        || m_widths.at(section) <= 0)
        return value;
    const QFontMetrics metrics(m_font);
    const int room = std::max(0, m_widths.at(section) - m_margins);
    QStringList lines = value.toString().split(QLatin1Char('\n'));
    for (QString &line : lines)
        line = metrics.elidedText(line, Qt::ElideRight, room);
    return lines.join(QLatin1Char('\n'));
}

} // namespace wemoe::ui
