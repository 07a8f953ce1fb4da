#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <optional>

namespace wemoe {

// Accuracy of methods (rows) on tasks (columns), each a fraction in [0, 1].
// Derived columns: the average over tasks and the normalised accuracy, the
// mean over tasks of accuracy / the individual fine-tuned model's accuracy on
// that task (available once a row labelled kIndividualRow exists).
class AccuracyTable
{
public:
    static inline const QString kIndividualRow = QStringLiteral("individual");

    struct Row
    {
        QString method;           // label, e.g. "task_arithmetic (λ=0.3)"
        QVector<double> accuracy; // one per task, NaN when not measured
    };

    AccuracyTable() = default;
    explicit AccuracyTable(QStringList tasks);

    const QStringList &tasks() const { return m_tasks; }
    const QVector<Row> &rows() const { return m_rows; }
    // Adds a row, or replaces the row with the same label.
    void setRow(const QString &method, const QVector<double> &accuracy);
    const Row *row(const QString &method) const;

    double average(const Row &row) const; // NaN if any task is missing
    std::optional<double> normalized(const Row &row) const;

    // Percentages with one decimal, "—" where not measured.
    QString toMarkdown() const;
    QString toCsv() const;
    QJsonObject toJson() const;
    static AccuracyTable fromJson(const QJsonObject &json); // throws wemoe::Error

    // Writes .md, .csv or .json by the file's extension, atomically.
    void save(const QString &path) const;

private:
    QStringList m_tasks;
    QVector<Row> m_rows;
};

} // namespace wemoe
