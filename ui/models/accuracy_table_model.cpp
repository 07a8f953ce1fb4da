#include "models/accuracy_table_model.h"

#include <QtGui/QBrush>
#include <QtGui/QColor>
#include <QtGui/QFont>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace wemoe::ui {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
// Values are fractions computed the same way: equal up to rounding counts as a tie.
constexpr double kTieTolerance = 1e-12;

const QColor kBestBackground(0xd8, 0xf0, 0xdc);
const QColor kReferenceForeground(0x60, 0x60, 0x60);

} // namespace

AccuracyTableModel::AccuracyTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AccuracyTableModel::setTable(const AccuracyTable &table, const QHash<QString, QString> &routingModes)
{
    beginResetModel();
    m_table = table;
    m_routingModes = routingModes;
    updateBest();
    endResetModel();
}

void AccuracyTableModel::setRow(const QString &method, const QVector<double> &accuracy, const QString &routingMode)
{
    const bool exists = m_table.row(method) != nullptr;
    if (!exists)
        beginInsertRows(QModelIndex(), rowCount(), rowCount());
    m_table.setRow(method, accuracy);
    if (routingMode.isEmpty())
        m_routingModes.remove(method);
    else
        m_routingModes.insert(method, routingMode);
    updateBest();
    if (!exists)
        endInsertRows();
    // A new row can change the best of every column.
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
}

void AccuracyTableModel::clear(const QStringList &tasks)
{
    setTable(AccuracyTable(tasks));
}

double AccuracyTableModel::value(int row, int column) const
{
    if (row < 0 || row >= m_table.rows().size())
        return kMissing;
    const AccuracyTable::Row &r = m_table.rows().at(row);
    if (column >= FirstTaskColumn && column < averageColumn())
        return r.accuracy.value(column - FirstTaskColumn, kMissing);
    if (column == averageColumn())
        return m_table.average(r);
    if (column == normalizedColumn())
        return m_table.normalized(r).value_or(kMissing);
    return kMissing;
}

bool AccuracyTableModel::isBest(int row, int column) const
{
    if (column < FirstTaskColumn || column >= m_bestPerColumn.size())
        return false;
    if (m_table.rows().value(row).method == AccuracyTable::kIndividualRow)
        return false;
    const double best = m_bestPerColumn.at(column);
    const double v = value(row, column);
    return std::isfinite(best) && std::isfinite(v) && v >= best - kTieTolerance;
}

void AccuracyTableModel::updateBest()
{
    m_bestPerColumn = QVector<double>(normalizedColumn() + 1, kMissing);
    for (int c = FirstTaskColumn; c <= normalizedColumn(); ++c) {
        for (int r = 0; r < m_table.rows().size(); ++r) {
            if (m_table.rows().at(r).method == AccuracyTable::kIndividualRow)
                continue;
            const double v = value(r, c);
            if (std::isfinite(v) && !(v <= m_bestPerColumn[c]))
                m_bestPerColumn[c] = v;
        }
    }
}

int AccuracyTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_table.rows().size();
}

int AccuracyTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : normalizedColumn() + 1;
}

QVariant AccuracyTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const AccuracyTable::Row &row = m_table.rows().at(index.row());
    const int column = index.column();
    const bool reference = row.method == AccuracyTable::kIndividualRow;
    const bool numeric = column >= FirstTaskColumn;
    const double v = value(index.row(), column);

    switch (role) {
    case Qt::DisplayRole:
        if (column == MethodColumn)
            return row.method;
        if (column == RoutingColumn)
            return m_routingModes.value(row.method, QStringLiteral("\u2014"));
        return std::isnan(v) ? QStringLiteral("\u2014") : QString::number(v * 100.0, 'f', 1);
    case SortRole:
        if (!numeric)
            return index.data(Qt::DisplayRole);
        return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v * 100.0;
    case ValueRole: return v;
    case IsBestRole: return isBest(index.row(), column);
    case Qt::FontRole: {
        QFont font;
        if (isBest(index.row(), column))
            font.setBold(true);
        if (reference)
            font.setItalic(true);
        return font;
    }
    case Qt::BackgroundRole:
        if (isBest(index.row(), column))
            return QBrush(kBestBackground);
        return {};
    case Qt::ForegroundRole:
        if (reference)
            return QBrush(kReferenceForeground);
        return {};
    case Qt::TextAlignmentRole:
        return numeric ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                       : QVariant(int(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::ToolTipRole: {
        if (column == MethodColumn)
            return reference ? tr("Each task's own fine-tuned model: the reference the merges are measured against.")
                             : row.method;
        if (column == RoutingColumn)
            return m_routingModes.contains(row.method) ? tr("Routing mode of the evaluation that produced this row.")
                                                       : tr("A static merge: one model for every image, no routing.");
        if (std::isnan(v))
            return tr("Not measured");
        QString text = tr("%1 — %2: %3 %").arg(row.method, columnName(column)).arg(v * 100.0, 0, 'f', 2);
        if (isBest(index.row(), column))
            text += QLatin1Char('\n') + tr("Best in this column");
        return text;
    }
    default: return {};
    }
}

QString AccuracyTableModel::columnName(int section) const
{
    if (section == MethodColumn)
        return tr("Method");
    if (section == RoutingColumn)
        return tr("Routing");
    if (section == averageColumn())
        return tr("Average");
    if (section == normalizedColumn())
        return tr("Normalized");
    return m_table.tasks().value(section - FirstTaskColumn);
}

QVariant AccuracyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        if (section >= FirstTaskColumn && section < columnCount())
            return tr("%1\n(%)").arg(columnName(section)); // the unit under the name: no wider than a number
        return columnName(section);
    }
    if (role == Qt::ToolTipRole) {
        if (section == averageColumn())
            return tr("Mean accuracy over the tasks (%).");
        if (section == normalizedColumn())
            return tr("Mean over the tasks of accuracy divided by the individual model's accuracy on that task (%).");
        if (section >= FirstTaskColumn)
            return tr("Top-1 accuracy on the test images of task %1 (%).")
                .arg(m_table.tasks().value(section - FirstTaskColumn));
    }
    return {};
}

void AccuracyTableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), {Qt::ToolTipRole});
}

QString AccuracyTableModel::toTsv(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty())
        return {};
    // Rows and columns in view order; cells absent from the selection stay empty.
    std::map<int, std::map<int, QString>> cells;
    QVector<int> columns;
    for (const QModelIndex &i : indexes) {
        cells[i.row()][i.column()] = i.data(Qt::DisplayRole).toString();
        if (!columns.contains(i.column()))
            columns.append(i.column());
    }
    std::sort(columns.begin(), columns.end());
    QStringList header;
    for (const int c : columns)
        header << columnName(c);
    QString text = header.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (const auto &[row, byColumn] : cells) {
        QStringList line;
        for (const int c : columns) {
            const auto it = byColumn.find(c);
            line << (it == byColumn.end() ? QString() : it->second);
        }
        text += line.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}

} // namespace wemoe::ui
