#include "eval/accuracy_table.h"

#include "common/csv_field.h"
#include "common/error.h"
#include "io/atomic_file.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>

#include <cmath>
#include <limits>

namespace wemoe {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
const QString kDash = QStringLiteral("\u2014");

QString percent(double fraction, int decimals)
{
    return QString::number(fraction * 100.0, 'f', decimals);
}

// A label inside a Markdown table cell: a '|' would start a new cell and a
// line break would end the row.
QString markdownCell(QString text)
{
    text.replace(QLatin1Char('|'), QStringLiteral("\\|"));
    text.replace(QLatin1Char('\r'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

QJsonValue jsonNumber(double value)
{
    return std::isnan(value) ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

Error malformed(const QString &problem)
{
    return Error(QStringLiteral("accuracy table JSON"), problem);
}

void checkUniqueTasks(const QStringList &tasks)
{
    QSet<QString> seen;
    for (const QString &task : tasks) {
        if (task.isEmpty())
            throw Error(QStringLiteral("accuracy table: a task name is empty"));
        if (seen.contains(task))
            throw Error(QStringLiteral("accuracy table: the task '%1' appears twice").arg(task));
        seen.insert(task);
    }
}

} // namespace

AccuracyTable::AccuracyTable(QStringList tasks)
    : m_tasks(std::move(tasks))
{
    checkUniqueTasks(m_tasks);
}

void AccuracyTable::setRow(const QString &method, const QVector<double> &accuracy)
{
    if (method.isEmpty())
        throw Error(QStringLiteral("accuracy table: a row needs a method label"));
    if (accuracy.size() != m_tasks.size())
        throw Error(QStringLiteral("accuracy table: row '%1' has %2 accuracies for %3 tasks")
                        .arg(method)
                        .arg(accuracy.size())
                        .arg(m_tasks.size()));
    for (int t = 0; t < accuracy.size(); ++t) {
        const double a = accuracy[t];
        // Catches percentages passed as fractions (and infinities).
        if (!std::isnan(a) && !(a >= 0.0 && a <= 1.0))
            throw Error(QStringLiteral("accuracy table: row '%1', task '%2': accuracy %3 is not a fraction in [0, 1]")
                            .arg(method, m_tasks[t])
                            .arg(a));
    }
    for (Row &row : m_rows) {
        if (row.method == method) {
            row.accuracy = accuracy;
            return;
        }
    }
    m_rows.append(Row{method, accuracy});
}

const AccuracyTable::Row *AccuracyTable::row(const QString &method) const
{
    for (const Row &r : m_rows) {
        if (r.method == method)
            return &r;
    }
    return nullptr;
}

double AccuracyTable::average(const Row &row) const
{
    if (row.accuracy.isEmpty())
        return kMissing;
    double sum = 0.0;
    for (const double a : row.accuracy) {
        if (std::isnan(a))
            return kMissing;
        sum += a;
    }
    return sum / row.accuracy.size();
}

std::optional<double> AccuracyTable::normalized(const Row &row) const
{
    const Row *individual = this->row(kIndividualRow);
    if (!individual)
        return std::nullopt;
    double sum = 0.0;
    int counted = 0;
    for (int t = 0; t < m_tasks.size() && t < row.accuracy.size(); ++t) {
        const double reference = individual->accuracy[t];
        // A task the individual model did not measure (or got nothing right on)
        // has no scale to normalise by.
        if (std::isnan(reference) || reference == 0.0)
            continue;
        if (std::isnan(row.accuracy[t]))
            return std::nullopt;
        sum += row.accuracy[t] / reference;
        ++counted;
    }
    if (counted == 0)
        return std::nullopt;
    return sum / counted;
}

QString AccuracyTable::toMarkdown() const
{
    QStringList header{QStringLiteral("method")};
    QStringList rule{QStringLiteral("---")};
    for (const QString &task : m_tasks) {
        header.append(markdownCell(task));
        rule.append(QStringLiteral("---:"));
    }
    header << QStringLiteral("average") << QStringLiteral("normalized");
    rule << QStringLiteral("---:") << QStringLiteral("---:");

    const auto line = [](const QStringList &cells) {
        return QStringLiteral("| ") + cells.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    };
    const auto cell = [](double fraction) { return std::isnan(fraction) ? kDash : percent(fraction, 1); };

    QString text = line(header) + line(rule);
    for (const Row &r : m_rows) {
        QStringList cells{markdownCell(r.method)};
        for (const double a : r.accuracy)
            cells.append(cell(a));
        cells.append(cell(average(r)));
        cells.append(cell(normalized(r).value_or(kMissing)));
        text += line(cells);
    }
    return text;
}

QString AccuracyTable::toCsv() const
{
    const auto cell = [](double fraction) { return std::isnan(fraction) ? QString() : percent(fraction, 2); };

    QStringList header{QStringLiteral("method")};
    for (const QString &task : m_tasks)
        header.append(csvField(task));
    header << QStringLiteral("average") << QStringLiteral("normalized");
    QString text = header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (const Row &r : m_rows) {
        QStringList cells{csvField(r.method)};
        for (const double a : r.accuracy)
            cells.append(cell(a));
        cells.append(cell(average(r)));
        cells.append(cell(normalized(r).value_or(kMissing)));
        text += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return text;
}

QJsonObject AccuracyTable::toJson() const
{
    QJsonArray rows;
    for (const Row &r : m_rows) {
        QJsonArray accuracy;
        for (const double a : r.accuracy)
            accuracy.append(jsonNumber(a));
        QJsonObject object;
        object.insert(QStringLiteral("method"), r.method);
        object.insert(QStringLiteral("accuracy"), accuracy);
        object.insert(QStringLiteral("average"), jsonNumber(average(r)));
        object.insert(QStringLiteral("normalized"), jsonNumber(normalized(r).value_or(kMissing)));
        rows.append(object);
    }
    QJsonObject json;
    json.insert(QStringLiteral("tasks"), QJsonArray::fromStringList(m_tasks));
    json.insert(QStringLiteral("rows"), rows);
    return json;
}

AccuracyTable AccuracyTable::fromJson(const QJsonObject &json)
{
    const QJsonValue tasksValue = json.value(QStringLiteral("tasks"));
    if (!tasksValue.isArray())
        throw malformed(QStringLiteral("\"tasks\" must be an array of task names"));
    QStringList tasks;
    for (const QJsonValue &task : tasksValue.toArray()) {
        if (!task.isString())
            throw malformed(QStringLiteral("\"tasks\" must hold only strings"));
        tasks.append(task.toString());
    }

    const QJsonValue rowsValue = json.value(QStringLiteral("rows"));
    if (!rowsValue.isArray())
        throw malformed(QStringLiteral("\"rows\" must be an array of rows"));

    AccuracyTable table(tasks);
    const QJsonArray rows = rowsValue.toArray();
    for (int i = 0; i < rows.size(); ++i) {
        if (!rows[i].isObject())
            throw malformed(QStringLiteral("row %1 is not an object").arg(i));
        const QJsonObject row = rows[i].toObject();
        const QJsonValue method = row.value(QStringLiteral("method"));
        if (!method.isString() || method.toString().isEmpty())
            throw malformed(QStringLiteral("row %1 has no \"method\" label").arg(i));
        if (table.row(method.toString()))
            throw malformed(QStringLiteral("the method '%1' appears twice").arg(method.toString()));
        const QJsonValue accuracyValue = row.value(QStringLiteral("accuracy"));
        if (!accuracyValue.isArray())
            throw malformed(QStringLiteral("row '%1' has no \"accuracy\" array").arg(method.toString()));
        QVector<double> accuracy;
        for (const QJsonValue &a : accuracyValue.toArray()) {
            if (a.isNull())
                accuracy.append(kMissing);
            else if (a.isDouble())
                accuracy.append(a.toDouble());
            else
                throw malformed(QStringLiteral("row '%1': accuracies must be numbers or null").arg(method.toString()));
        }
        // "average" and "normalized" are derived, so they are recomputed, not read.
        table.setRow(method.toString(), accuracy);
    }
    return table;
}

void AccuracyTable::save(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == QLatin1String("md"))
        bytes = toMarkdown().toUtf8();
    else if (suffix == QLatin1String("csv"))
        bytes = toCsv().toUtf8();
    else if (suffix == QLatin1String("json"))
        bytes = QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
    else
        throw Error(path, QStringLiteral("unknown table format (the file name must end in .md, .csv or .json)"));

    writeFileAtomically(path, bytes);
}

} // namespace wemoe
