#include "eval/accuracy_table.h"
#include "test_support.h"

#include "common/error.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <limits>

using namespace wemoe;
using wemoe::test::errorOf;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// individual:     0.99, 0.97  -> average 0.98,  normalized 1
// task arithmetic 0.90, 0.75  -> average 0.825, normalized (0.9/0.99 + 0.75/0.97) / 2
//                                             = (0.909091 + 0.773196) / 2 = 0.841143
// ties            0.85, —     -> average —,     normalized — (a measured task is missing)
AccuracyTable example()
{
    AccuracyTable table({QStringLiteral("mnist"), QStringLiteral("svhn")});
    table.setRow(QStringLiteral("individual"), {0.99, 0.97});
    table.setRow(QStringLiteral("task_arithmetic (λ=0.3)"), {0.9, 0.75});
    table.setRow(QStringLiteral("ties, k=20%"), {0.85, kNaN});
    return table;
}

QString readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("<cannot open>");
    return QString::fromUtf8(file.readAll());
}

} // namespace

class TestAccuracyTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void derivedColumnsByHand()
    {
        const auto table = example();
        QCOMPARE(AccuracyTable::kIndividualRow, QStringLiteral("individual"));
        QCOMPARE(table.rows().size(), 3);
        const auto *individual = table.row(QStringLiteral("individual"));
        const auto *ta = table.row(QStringLiteral("task_arithmetic (λ=0.3)"));
        const auto *ties = table.row(QStringLiteral("ties, k=20%"));
        QVERIFY(individual && ta && ties);
        QVERIFY(!table.row(QStringLiteral("nothing")));

        QVERIFY(std::abs(table.average(*individual) - 0.98) < 1e-12);
        QVERIFY(std::abs(table.average(*ta) - 0.825) < 1e-12);
        QVERIFY(std::isnan(table.average(*ties)));

        QVERIFY(table.normalized(*individual).has_value());
        QVERIFY(std::abs(*table.normalized(*individual) - 1.0) < 1e-12);
        QVERIFY(std::abs(*table.normalized(*ta) - 0.8411434) < 1e-7);
        QVERIFY(!table.normalized(*ties).has_value());
    }

    void normalizedNeedsTheIndividualRow()
    {
        AccuracyTable table({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")});
        table.setRow(QStringLiteral("m"), {0.5, 0.6, 0.3});
        QVERIFY(!table.normalized(*table.row(QStringLiteral("m"))).has_value());

        // Task b has individual 0 and task c was not measured: both are skipped,
        // leaving a alone: 0.5 / 0.8 = 0.625 (even though m's c is measured).
        table.setRow(AccuracyTable::kIndividualRow, {0.8, 0.0, kNaN});
        QVERIFY(std::abs(*table.normalized(*table.row(QStringLiteral("m"))) - 0.625) < 1e-12);

        // Nothing left to normalise by.
        table.setRow(AccuracyTable::kIndividualRow, {0.0, 0.0, kNaN});
        QVERIFY(!table.normalized(*table.row(QStringLiteral("m"))).has_value());
    }

    void setRowReplacesAndValidates()
    {
        auto table = example();
        table.setRow(QStringLiteral("task_arithmetic (λ=0.3)"), {0.5, 0.5});
        QCOMPARE(table.rows().size(), 3);
        QCOMPARE(table.rows()[1].accuracy, QVector<double>({0.5, 0.5})); // same place, new values

        QVERIFY_THROWS_EXCEPTION(Error, table.setRow(QStringLiteral("short"), {0.5}));
        QVERIFY_THROWS_EXCEPTION(Error, table.setRow(QStringLiteral("percent"), {0.5, 75.0}));
        QVERIFY_THROWS_EXCEPTION(Error, table.setRow(QStringLiteral("negative"), {-0.1, 0.5}));
        QVERIFY_THROWS_EXCEPTION(Error, table.setRow(QString(), {0.5, 0.5}));
        QVERIFY_THROWS_EXCEPTION(Error, AccuracyTable({QStringLiteral("a"), QStringLiteral("a")}));
        QCOMPARE(table.rows().size(), 3);
    }

    void markdown()
    {
        const QString expected = QStringLiteral("| method | mnist | svhn | average | normalized |\n"
                                                "| --- | ---: | ---: | ---: | ---: |\n"
                                                "| individual | 99.0 | 97.0 | 98.0 | 100.0 |\n"
                                                "| task_arithmetic (λ=0.3) | 90.0 | 75.0 | 82.5 | 84.1 |\n"
                                                "| ties, k=20% | 85.0 | \u2014 | \u2014 | \u2014 |\n");
        QCOMPARE(example().toMarkdown(), expected);

        AccuracyTable piped({QStringLiteral("a")});
        piped.setRow(QStringLiteral("x | y"), {0.5});
        QVERIFY2(piped.toMarkdown().endsWith(QStringLiteral("| x \\| y | 50.0 | 50.0 | \u2014 |\n")),
                 qPrintable(piped.toMarkdown()));
    }

    void csv()
    {
        const QString expected = QStringLiteral("method,mnist,svhn,average,normalized\n"
                                                "individual,99.00,97.00,98.00,100.00\n"
                                                "task_arithmetic (λ=0.3),90.00,75.00,82.50,84.11\n"
                                                "\"ties, k=20%\",85.00,,,\n");
        QCOMPARE(example().toCsv(), expected);

        AccuracyTable quoted({QStringLiteral("a,b")});
        quoted.setRow(QStringLiteral("say \"hi\""), {0.125});
        QCOMPARE(quoted.toCsv(), QStringLiteral("method,\"a,b\",average,normalized\n"
                                                "\"say \"\"hi\"\"\",12.50,12.50,\n"));
    }

    void json()
    {
        const QByteArray expected =
            "{\"rows\":["
            "{\"accuracy\":[0.99,0.97],\"average\":0.98,\"method\":\"individual\",\"normalized\":1},"
            "{\"accuracy\":[0.9,0.75],\"average\":0.825,\"method\":\"task_arithmetic (λ=0.3)\","
            "\"normalized\":0.8411433926897844},"
            "{\"accuracy\":[0.85,null],\"average\":null,\"method\":\"ties, k=20%\",\"normalized\":null}"
            "],\"tasks\":[\"mnist\",\"svhn\"]}";
        QCOMPARE(QJsonDocument(example().toJson()).toJson(QJsonDocument::Compact), expected);
    }

    void jsonRoundTrip()
    {
        const auto table = example();
        const auto back = AccuracyTable::fromJson(table.toJson());
        QCOMPARE(back.tasks(), table.tasks());
        QCOMPARE(back.rows().size(), table.rows().size());
        for (int r = 0; r < table.rows().size(); ++r) {
            QCOMPARE(back.rows()[r].method, table.rows()[r].method);
            for (int t = 0; t < table.tasks().size(); ++t) {
                const double a = table.rows()[r].accuracy[t];
                const double b = back.rows()[r].accuracy[t];
                QVERIFY((std::isnan(a) && std::isnan(b)) || a == b);
            }
        }
        QCOMPARE(back.toMarkdown(), table.toMarkdown());
        // Through text too, as save() writes it.
        const auto text = QJsonDocument(table.toJson()).toJson();
        QCOMPARE(AccuracyTable::fromJson(QJsonDocument::fromJson(text).object()).toCsv(), table.toCsv());
    }

    void malformedJson()
    {
        const auto parse = [](const char *text) {
            return errorOf([&] { AccuracyTable::fromJson(QJsonDocument::fromJson(text).object()); });
        };
        const char *bad[] = {
            "{}",
            "{\"tasks\":\"mnist\",\"rows\":[]}",
            "{\"tasks\":[1],\"rows\":[]}",
            "{\"tasks\":[\"a\"]}",
            "{\"tasks\":[\"a\"],\"rows\":[3]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"accuracy\":[0.5]}]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"method\":\"m\"}]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"method\":\"m\",\"accuracy\":[\"0.5\"]}]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"method\":\"m\",\"accuracy\":[0.5,0.5]}]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"method\":\"m\",\"accuracy\":[50]}]}",
            "{\"tasks\":[\"a\",\"a\"],\"rows\":[]}",
            "{\"tasks\":[\"a\"],\"rows\":[{\"method\":\"m\",\"accuracy\":[0.5]},{\"method\":\"m\",\"accuracy\":[0.6]}]"
            "}",
        };
        for (const char *text : bad) {
            const QString message = parse(text);
            QVERIFY2(message.startsWith(QStringLiteral("accuracy table")), qPrintable(QString::fromLatin1(text)));
        }
        // An empty table is well-formed.
        QCOMPARE(AccuracyTable::fromJson(QJsonDocument::fromJson("{\"tasks\":[],\"rows\":[]}").object()).rows().size(),
                 0);
    }

    void saveByExtension()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto table = example();
        table.save(dir.filePath(QStringLiteral("t.md")));
        table.save(dir.filePath(QStringLiteral("t.CSV")));
        table.save(dir.filePath(QStringLiteral("t.json")));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("t.md"))), table.toMarkdown());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("t.CSV"))), table.toCsv());
        const auto back = AccuracyTable::fromJson(
            QJsonDocument::fromJson(readAll(dir.filePath(QStringLiteral("t.json"))).toUtf8()).object());
        QCOMPARE(back.toCsv(), table.toCsv());

        const QString unknown = dir.filePath(QStringLiteral("t.xlsx"));
        QString message = errorOf([&] { table.save(unknown); });
        QVERIFY2(message.startsWith(unknown) && message.contains(QStringLiteral(".md, .csv or .json")),
                 qPrintable(message));
        QVERIFY(!QFile::exists(unknown));

        const QString unwritable = dir.filePath(QStringLiteral("no/such/folder/t.md"));
        message = errorOf([&] { table.save(unwritable); });
        QVERIFY2(message.startsWith(unwritable) && message.contains(QStringLiteral("cannot write")),
                 qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestAccuracyTable)
#include "test_accuracy_table.moc"
