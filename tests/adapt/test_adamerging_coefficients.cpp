// AdaMerging's learned coefficients as files: the CSV and the JSON of a
// hand-made table read back exactly, and malformed JSON gets one clear error.
#include "adapt/adamerging_coefficients.h"
#include "common/error.h"

#include <torch/torch.h>

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;

namespace {

// 3 groups × 2 tasks; 0.123456791f is one whose shortest exact text needs all 9 digits.
AdaMergingCoefficients handMadeTable()
{
    const torch::Tensor values =
        torch::tensor({0.3f, 0.123456791f, -1.5e-7f, 1.0f, 0.299999982f, 2.5f}).reshape({3, 2});
    return AdaMergingCoefficients::from(QStringLiteral("adamerging (layer-wise, 2 steps, lr 0.001)"),
                                        {QStringLiteral("alpha"), QStringLiteral("beta, the \"second\"")}, values,
                                        {QStringLiteral("encoder.layers.0.mlp.fc1.weight"),
                                         QStringLiteral("encoder.layers.0.mlp.fc1.bias"),
                                         QStringLiteral("post_layernorm.weight")});
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The CSV's number cells, [groups][tasks], parsed as float32.
QVector<QVector<float>> csvValues(const QByteArray &csv)
{
    QVector<QVector<float>> rows;
    const QList<QByteArray> lines = csv.trimmed().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QVector<float> row;
        const QList<QByteArray> cells = lines.at(i).split(',');
        for (qsizetype c = 1; c < cells.size(); ++c) {
            bool ok = false;
            row << cells.at(c).toFloat(&ok);
            if (!ok)
                return {};
        }
        rows << row;
    }
    return rows;
}

} // namespace

class TestAdaMergingCoefficients : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvHasOneRowPerGroupAndReadsBackExactly()
    {
        const AdaMergingCoefficients table = handMadeTable();
        const QByteArray csv = adaMergingCoefficientsCsv(table, QStringLiteral("t.csv"));
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0), QByteArray("group,alpha,\"beta, the \"\"second\"\"\""));
        QVERIFY(lines.at(1).startsWith("encoder.layers.0.mlp.fc1.weight,0.300000012,0.123456791"));
        const auto values = csvValues(csv);
        QCOMPARE(values.size(), 3);
        const auto expected = table.values.accessor<float, 2>();
        for (int g = 0; g < 3; ++g) {
            QCOMPARE(values.at(g).size(), 2);
            for (int t = 0; t < 2; ++t)
                QCOMPARE(values.at(g).at(t), expected[g][t]); // bit-exact for floats
        }
    }

    void jsonWrittenAndReadBackIsTheSameTable()
    {
        QTemporaryDir dir;
        const AdaMergingCoefficients table = handMadeTable();
        const QString path = dir.filePath(QStringLiteral("c.json"));
        writeAdaMergingCoefficients(path, table);
        QVERIFY(readAll(path).startsWith("{\n  \"method\": \"adamerging (layer-wise"));
        const AdaMergingCoefficients back = readAdaMergingCoefficientsJson(path);
        QCOMPARE(back.method, table.method);
        QCOMPARE(back.tasks, table.tasks);
        QCOMPARE(back.groups, table.groups);
        QCOMPARE(back.values.sizes().vec(), (std::vector<int64_t>{3, 2}));
        QVERIFY(torch::equal(back.values, table.values));

        // The compact form (safetensors metadata) says the same.
        const auto compact = parseAdaMergingCoefficientsJson(
            adaMergingCoefficientsJson(table, QStringLiteral("meta"), true), QStringLiteral("meta"));
        QVERIFY(torch::equal(compact.values, table.values));

        writeAdaMergingCoefficients(dir.filePath(QStringLiteral("c.csv")), table);
        QCOMPARE(readAll(dir.filePath(QStringLiteral("c.csv"))), adaMergingCoefficientsCsv(table, path));
    }

    void taskWiseIsOneRowNamedAll()
    {
        const auto table = AdaMergingCoefficients::from(QStringLiteral("adamerging (task-wise)"),
                                                        {QStringLiteral("a"), QStringLiteral("b")},
                                                        torch::tensor({0.25f, 0.75f}), {});
        QCOMPARE(table.groups, QStringList{QStringLiteral("all")});
        QCOMPARE(adaMergingCoefficientsCsv(table, QStringLiteral("t.csv")), QByteArray("group,a,b\nall,0.25,0.75\n"));
        QVERIFY_THROWS_EXCEPTION(Error, AdaMergingCoefficients::from(QStringLiteral("m"), {QStringLiteral("a")},
                                                                     torch::tensor({0.25f, 0.75f}), {}));
    }

    void nonFiniteAndBadSuffixAreRefusedNamingTheFile()
    {
        QTemporaryDir dir;
        auto table = handMadeTable();
        table.values[1][0] = std::numeric_limits<float>::quiet_NaN();
        const QString path = dir.filePath(QStringLiteral("bad.csv"));
        try {
            writeAdaMergingCoefficients(path, table);
            QFAIL("a NaN coefficient was written");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(path) && e.message().contains(QLatin1String("alpha")),
                     qPrintable(e.message()));
        }
        QVERIFY(!QFile::exists(path));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 writeAdaMergingCoefficients(dir.filePath(QStringLiteral("c.txt")), handMadeTable()));
    }

    void malformedJsonGetsOneErrorNamingTheFile_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("problem");
        const QByteArray head = R"("method":"m","tasks":["a","b"],"groups":["g1","g2"],)";
        QTest::newRow("not json") << QByteArray("{") << "not valid JSON";
        QTest::newRow("rows") << "{" + head + R"("coefficients":[[1,2]]})"
                              << "one row per group";
        QTest::newRow("columns") << "{" + head + R"("coefficients":[[1,2],[3]]})"
                                 << "row 1 (group 'g2')";
        QTest::newRow("number") << "{" + head + R"("coefficients":[[1,2],[3,"x"]]})"
                                << "task 'b': not a number";
        QTest::newRow("tasks") << QByteArray(R"({"method":"m","tasks":"a","groups":["g"],"coefficients":[[1]]})")
                               << "\"tasks\" must be an array";
        QTest::newRow("twice") << QByteArray(
            R"({"method":"m","tasks":["a","a"],"groups":["g"],"coefficients":[[1,2]]})")
                               << "names 'a' twice";
    }

    void malformedJsonGetsOneErrorNamingTheFile()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, problem);
        try {
            parseAdaMergingCoefficientsJson(json, QStringLiteral("dir/c.json"));
            QFAIL("malformed coefficients were accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().startsWith(QLatin1String("dir/c.json")) && e.message().contains(problem),
                     qPrintable(e.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestAdaMergingCoefficients)
#include "test_adamerging_coefficients.moc"
