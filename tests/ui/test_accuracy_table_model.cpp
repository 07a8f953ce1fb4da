// The accuracy table model: cell texts, derived columns, best-per-column
// highlight (the individual models excluded), sorting through a proxy, copy.

#include "models/accuracy_table_model.h"
#include "panels/accuracy_panel.h"

#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QClipboard>
#include <QtGui/QFont>
#include <QtTest/QtTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

#include <cmath>
#include <limits>

using namespace wemoe;
using namespace wemoe::ui;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// tasks a, b. Averages: pretrained 45, individual 95, ta 65, ties 70.
// Normalised (by individual 1.0, 0.9): pretrained (0.5 + 0.4/0.9)/2 = 0.47222,
// ta (0.7 + 0.6/0.9)/2 = 0.68333, ties (0.6 + 0.8/0.9)/2 = 0.74444.
AccuracyTableModel *makeModel(QObject *parent)
{
    auto *model = new AccuracyTableModel(parent);
    model->clear({QStringLiteral("a"), QStringLiteral("b")});
    model->setRow(QStringLiteral("pretrained"), {0.5, 0.4});
    model->setRow(QStringLiteral("individual"), {1.0, 0.9});
    model->setRow(QStringLiteral("ta"), {0.7, 0.6});
    model->setRow(QStringLiteral("ties"), {0.6, 0.8}, QStringLiteral("per sample"));
    return model;
}

QString text(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data(Qt::DisplayRole).toString();
}

bool best(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data(AccuracyTableModel::IsBestRole).toBool();
}

} // namespace

class TestAccuracyTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contents()
    {
        QObject owner;
        AccuracyTableModel *model = makeModel(&owner);
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->columnCount(), 6); // method, routing, a, b, average, normalized
        QCOMPARE(model->averageColumn(), 4);
        QCOMPARE(model->normalizedColumn(), 5);
        // Accuracy headers carry their unit; the method columns and the bare names do not.
        QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("Method"));
        QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("a\n(%)"));
        QCOMPARE(model->headerData(4, Qt::Horizontal).toString(), QStringLiteral("Average\n(%)"));
        QCOMPARE(model->headerData(5, Qt::Horizontal).toString(), QStringLiteral("Normalized\n(%)"));
        QCOMPARE(model->columnName(4), QStringLiteral("Average"));

        QCOMPARE(text(model, 0, 0), QStringLiteral("pretrained"));
        QCOMPARE(text(model, 0, 1), QStringLiteral("\u2014"));
        QCOMPARE(text(model, 3, 1), QStringLiteral("per sample"));
        QCOMPARE(text(model, 0, 2), QStringLiteral("50.0"));
        QCOMPARE(text(model, 3, 3), QStringLiteral("80.0"));
        QCOMPARE(text(model, 0, 4), QStringLiteral("45.0"));
        QCOMPARE(text(model, 1, 4), QStringLiteral("95.0"));
        QCOMPARE(text(model, 2, 4), QStringLiteral("65.0"));
        QCOMPARE(text(model, 3, 4), QStringLiteral("70.0"));
        QCOMPARE(text(model, 0, 5), QStringLiteral("47.2"));
        QCOMPARE(text(model, 1, 5), QStringLiteral("100.0"));
        QCOMPARE(text(model, 2, 5), QStringLiteral("68.3"));
        QCOMPARE(text(model, 3, 5), QStringLiteral("74.4"));
        QVERIFY(std::abs(model->value(3, 5) - (0.6 + 0.8 / 0.9) / 2) < 1e-12);
        QCOMPARE(model->index(2, 2).data(AccuracyTableModel::SortRole).toDouble(), 70.0);
    }

    void bestPerColumn()
    {
        QObject owner;
        AccuracyTableModel *model = makeModel(&owner);
        // a: ta (0.7) although individual has 1.0; b, average, normalized: ties.
        for (int row = 0; row < 4; ++row) {
            QCOMPARE(best(model, row, 2), row == 2);
            QCOMPARE(best(model, row, 3), row == 3);
            QCOMPARE(best(model, row, 4), row == 3);
            QCOMPARE(best(model, row, 5), row == 3);
            QVERIFY(!best(model, row, 0));
            QVERIFY(!best(model, row, 1));
        }
        QVERIFY(model->index(2, 2).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(!model->index(0, 2).data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(model->index(2, 2).data(Qt::BackgroundRole).isValid());
        QVERIFY(!model->index(0, 2).data(Qt::BackgroundRole).isValid());
        QVERIFY(model->index(1, 2).data(Qt::FontRole).value<QFont>().italic()); // the reference row

        // A tie marks both; replacing a row moves the best.
        model->setRow(QStringLiteral("simple_average"), {0.7, kNaN});
        QVERIFY(best(model, 2, 2));
        QVERIFY(best(model, 4, 2));
        QCOMPARE(text(model, 4, 3), QStringLiteral("\u2014"));
        QCOMPARE(text(model, 4, 4), QStringLiteral("\u2014"));
        QVERIFY(!best(model, 4, 3));
        model->setRow(QStringLiteral("ta"), {0.9, 0.1});
        QCOMPARE(model->rowCount(), 5);
        QVERIFY(best(model, 2, 2));
        QVERIFY(!best(model, 4, 2));
    }

    void sorting()
    {
        QObject owner;
        AccuracyTableModel *model = makeModel(&owner);
        model->setRow(QStringLiteral("missing"), {kNaN, 0.5});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(model);
        proxy.setSortRole(AccuracyTableModel::SortRole);

        proxy.sort(model->averageColumn(), Qt::DescendingOrder);
        QStringList order;
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << text(&proxy, r, 0);
        QCOMPARE(order, (QStringList{"individual", "ties", "ta", "pretrained", "missing"}));

        proxy.sort(2, Qt::AscendingOrder); // task a; the missing value sorts first ascending
        order.clear();
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << text(&proxy, r, 0);
        QCOMPARE(order, (QStringList{"missing", "pretrained", "ties", "ta", "individual"}));

        proxy.sort(0, Qt::AscendingOrder);
        order.clear();
        for (int r = 0; r < proxy.rowCount(); ++r)
            order << text(&proxy, r, 0);
        QCOMPARE(order, (QStringList{"individual", "missing", "pretrained", "ta", "ties"}));
        // The highlight follows the row, not the position.
        QVERIFY(proxy.index(4, 3).data(AccuracyTableModel::IsBestRole).toBool());
    }

    void copyAndExport()
    {
        QObject owner;
        AccuracyTableModel *model = makeModel(&owner);
        const QString tsv = model->toTsv({model->index(2, 0), model->index(2, 4), model->index(3, 4)});
        QCOMPARE(tsv, QStringLiteral("Method\tAverage\nta\t65.0\n\t70.0\n"));

        AccuracyPanel panel(model);
        panel.view()->clearSelection();
        panel.copyToClipboard();
        QCOMPARE(QGuiApplication::clipboard()->text(), model->table().toMarkdown());
        QVERIFY(model->table().toCsv().contains(QStringLiteral("ties,60.00,80.00,70.00,74.44")));
    }
};

QTEST_MAIN(TestAccuracyTableModel)
#include "test_accuracy_table_model.moc"
