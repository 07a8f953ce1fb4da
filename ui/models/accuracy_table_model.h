#pragma once

#include "eval/accuracy_table.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>

namespace wemoe::ui {

// The accuracy table as a Qt model: rows are methods (with the routing mode
// that produced them), columns are method, routing, one per task, average and
// normalised accuracy. The best value of every numeric column (the individual
// models excluded: they are T models, the reference, not a merge) is marked
// through data roles, so any view can show it.
class AccuracyTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Role {
        SortRole = Qt::UserRole + 1, // double: the percentage, or -inf when missing
        IsBestRole,                  // bool: the best value of its column
        ValueRole,                   // double: the fraction in [0, 1], NaN when missing
    };
    enum FixedColumn { MethodColumn = 0, RoutingColumn = 1, FirstTaskColumn = 2 };

    explicit AccuracyTableModel(QObject *parent = nullptr);

    const AccuracyTable &table() const { return m_table; }
    const QHash<QString, QString> &routingModes() const { return m_routingModes; }
    // Replaces everything (a restored session, a new pool).
    void setTable(const AccuracyTable &table, const QHash<QString, QString> &routingModes = {});
    // Adds or replaces one row; `routingMode` is empty for static merges.
    void setRow(const QString &method, const QVector<double> &accuracy, const QString &routingMode = {});
    void clear(const QStringList &tasks = {});

    int averageColumn() const { return FirstTaskColumn + m_table.tasks().size(); }
    int normalizedColumn() const { return averageColumn() + 1; }
    // The fraction shown in a cell (NaN when missing or not a number column).
    double value(int row, int column) const;
    bool isBest(int row, int column) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // Accuracy columns read "name (%)"; columnName() is the bare name that
    // pasted and exported tables use, where the unit would be in the way.
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QString columnName(int section) const;
    // The header and tooltips are translated as they are asked for: after a
    // language switch, this tells the views to ask again (the cells' numbers
    // and the rows' labels stay).
    void retranslate();

    // Tab-separated text of the given cells (a spreadsheet paste), with a header line.
    QString toTsv(const QModelIndexList &indexes) const;

private:
    void updateBest();

    AccuracyTable m_table;
    QHash<QString, QString> m_routingModes;
    QVector<double> m_bestPerColumn; // by column; NaN where nothing is best
};

} // namespace wemoe::ui
