// The WEMoE commands end to end: upscale -> eval (routing modes, capture) ->
// adapt -> collapse, AdaMerging export, and a model that does not fit the pool.

#include "adapt/adamerging_coefficients.h"
#include "cli_process.h"
#include "demo/synthetic_pool.h"
#include "eval/accuracy_table.h"
#include "io/checkpoint.h"
#include "moe/routing_capture.h"
#include "moe/upscaled_model_file.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;

namespace {

using Result = wemoe::test::CliResult;

Result runWemoe(const QStringList &arguments)
{
    return wemoe::test::runCli(QStringLiteral(WEMOE_CLI),
                               arguments + QStringList{QStringLiteral("--threads"), QStringLiteral("2")}, 240000);
}

AccuracyTable readTable(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return AccuracyTable::fromJson(QJsonDocument::fromJson(file.readAll()).object());
}

QByteArray readTextFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestCliWemoe : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;

    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 3;
        options.imagesPerClass = 5;
        m_pool = writeSyntheticPool(path("pool"), options);
    }

    void depthZeroRoutersAtStepZeroMatchTaskArithmetic()
    {
        auto r = runWemoe({QStringLiteral("upscale"), m_pool, QStringLiteral("-o"), path("d0.safetensors"),
                           QStringLiteral("--router-depth"), QStringLiteral("0")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"), QStringLiteral("task_arithmetic"),
                      QStringLiteral("--wemoe"), path("d0.safetensors"), QStringLiteral("--table"), path("d0.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto table = readTable(path("d0.json"));
        QCOMPARE(table.rows().size(), 2);
        QVERIFY2(table.rows().at(1).method.contains(QLatin1String("per_sample")),
                 qPrintable(table.rows().at(1).method));
        QCOMPARE(table.rows().at(1).accuracy, table.rows().at(0).accuracy);

        // Two files that describe themselves alike get a row each, the second named by its file.
        QVERIFY(QFile::copy(path("d0.safetensors"), path("d0-copy.safetensors")));
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("d0.safetensors"),
                      QStringLiteral("--wemoe"), path("d0-copy.safetensors"), QStringLiteral("--table"),
                      path("twice.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto twice = readTable(path("twice.json"));
        QCOMPARE(twice.rows().size(), 3); // individual, then the two files
        QCOMPARE(twice.rows().at(1).method, table.rows().at(1).method);
        QVERIFY2(twice.rows().at(2).method.endsWith(QLatin1String("[d0-copy.safetensors]")),
                 qPrintable(twice.rows().at(2).method));
        QCOMPARE(twice.rows().at(2).accuracy, twice.rows().at(1).accuracy);
    }

    void adaptEvalCaptureCollapse()
    {
        auto r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-o"), path("adapted.safetensors"),
                           QStringLiteral("--steps"), QStringLiteral("4"), QStringLiteral("--batch-size"),
                           QStringLiteral("4"), QStringLiteral("--curve"), path("curve.csv")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(loadUpscaledModel(path("adapted.safetensors"), torch::kCPU).adaptation.totalSteps(), 4);
        QFile curve(path("curve.csv"));
        QVERIFY(curve.open(QIODevice::ReadOnly));
        const QStringList curveLines = QString::fromUtf8(curve.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(curveLines.size(), 5); // header + 4 steps
        QVERIFY2(curveLines.first().contains(QLatin1String(",entropy_beta"))
                     && curveLines.first().contains(QLatin1String(",top_class_share_beta")),
                 qPrintable(curveLines.first()));
        QCOMPARE(curveLines.last().split(QLatin1Char(',')).size(), curveLines.first().split(QLatin1Char(',')).size());

        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("adapted.safetensors"),
                      QStringLiteral("--routing"), QStringLiteral("batch"), QStringLiteral("--capture"), path("cap"),
                      QStringLiteral("--table"), path("batch.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto table = readTable(path("batch.json"));
        QVERIFY(table.rows().last().method.contains(QLatin1String("batch_reduce")));
        QVERIFY(table.rows().last().method.contains(QLatin1String("4 steps")));
        const auto capture = RoutingCapture::load(path("cap.safetensors"));
        QCOMPARE(capture.mode, RoutingMode::BatchReduce);
        QCOMPARE(capture.layers(), 2);
        QVERIFY(QFileInfo(path("cap-summary.csv")).size() > 0);

        r = runWemoe({QStringLiteral("collapse"), m_pool, QStringLiteral("--wemoe"), path("adapted.safetensors"),
                      QStringLiteral("--task"), QStringLiteral("beta"), QStringLiteral("-o"), path("collapsed")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto collapsed = Checkpoint::load(path("collapsed/beta"));
        QCOMPARE(collapsed.keyPrefix, QStringLiteral("vision_model."));
        QVERIFY(!QFileInfo::exists(path("collapsed/alpha")));
    }

    // E-WEMoE runs wherever WEMoE does: eval adapts and evaluates it, adapt writes
    // its model file (format 2), which eval and collapse read back.
    void ewemoeAdaptsEvaluatesAndCollapses()
    {
        auto r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"),
                           QStringLiteral("ewemoe:steps=3,batch=4"), QStringLiteral("--table"), path("ewemoe.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto rows = readTable(path("ewemoe.json")).rows();
        QVERIFY2(rows.last().method.startsWith(
                     QLatin1String("ewemoe (depth 2, keep 10%, shared router, 3 steps, lr 0.0001")),
                 qPrintable(rows.last().method));

        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-m"),
                      QStringLiteral("ewemoe:keep=20,steps=2,batch=4"), QStringLiteral("-o"),
                      path("ewemoe.safetensors")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto loaded = loadUpscaledModel(path("ewemoe.safetensors"), torch::kCPU);
        QCOMPARE(loaded.model.options().mlp.keepRatio, 0.2);
        QVERIFY(loaded.model.options().routers == RouterSharing::Shared);
        QCOMPARE(loaded.adaptation.totalSteps(), 2);

        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("ewemoe.safetensors"),
                      QStringLiteral("--table"), path("ewemoe-file.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(readTable(path("ewemoe-file.json")).rows().last().method.contains(QLatin1String("keep 20%")),
                 qPrintable(readTable(path("ewemoe-file.json")).rows().last().method));
        r = runWemoe({QStringLiteral("collapse"), m_pool, QStringLiteral("--wemoe"), path("ewemoe.safetensors"),
                      QStringLiteral("--task"), QStringLiteral("alpha"), QStringLiteral("-o"),
                      path("ewemoe-collapsed")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFileInfo::exists(path("ewemoe-collapsed/alpha")));
    }

    // Rows of adaptive methods never coincide: a setting off its default is named (init λ), and what
    // the label leaves out (the batch) makes eval add the method as written.
    void adaptiveRowsNeverCoincide()
    {
        const auto r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"),
                                 QStringLiteral("wemoe:steps=1,batch=4,init_lambda=0"), QStringLiteral("-m"),
                                 QStringLiteral("wemoe:steps=1,batch=4"), QStringLiteral("-m"),
                                 QStringLiteral("wemoe:steps=1,batch=8"), QStringLiteral("--table"),
                                 path("coincide.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto rows = readTable(path("coincide.json")).rows();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).method,
                 QStringLiteral("wemoe (depth 2, init λ 0, 1 steps, lr 0.0001, per_sample routing)"));
        QCOMPARE(rows.at(1).method, QStringLiteral("wemoe (depth 2, 1 steps, lr 0.0001, per_sample routing)"));
        QCOMPARE(rows.at(2).method, rows.at(1).method + QStringLiteral(" [wemoe:steps=1,batch=8]"));
    }

    // The diversity term: named in the row of `eval -m wemoe:...,diversity=W`; a negative weight is refused.
    void diversityOption()
    {
        auto r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"),
                           QStringLiteral("wemoe:steps=2,batch=4,diversity=0.5"), QStringLiteral("--table"),
                           path("diverse.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(readTable(path("diverse.json")).rows().last().method.contains(QLatin1String("diversity 0.5")),
                 qPrintable(readTable(path("diverse.json")).rows().last().method));
        // A file adapted the same way is labelled exactly like the -m row; continuing it with the
        // paper's objective appends a run, and the label says both.
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"),
                      QStringLiteral("wemoe:steps=2,batch=4,lr=0.001,diversity=0.5"), QStringLiteral("--table"),
                      path("diverse-m.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-o"), path("diverse.safetensors"),
                      QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("--batch-size"),
                      QStringLiteral("4"), QStringLiteral("--lr"), QStringLiteral("0.001"),
                      QStringLiteral("--diversity"), QStringLiteral("0.5")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("diverse.safetensors"),
                      QStringLiteral("--table"), path("diverse-file.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString fileLabel = readTable(path("diverse-file.json")).rows().last().method;
        QCOMPARE(fileLabel, readTable(path("diverse-m.json")).rows().last().method);
        QCOMPARE(fileLabel, QStringLiteral("wemoe (depth 2, 2 steps, lr 0.001, diversity 0.5, per_sample routing)"));
        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("--model"), path("diverse.safetensors"),
                      QStringLiteral("-o"), path("continued.safetensors"), QStringLiteral("--steps"),
                      QStringLiteral("1"), QStringLiteral("--batch-size"), QStringLiteral("4")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto continued = loadUpscaledModel(path("continued.safetensors"), torch::kCPU).adaptation;
        QCOMPARE(continued.describe(), QStringLiteral("2 steps, lr 0.001, diversity 0.5 + 1 steps, lr 0.0001"));

        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-o"), path("negative.safetensors"),
                      QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("--diversity"),
                      QStringLiteral("-1")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QLatin1String("diversity")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(path("negative.safetensors")));
    }

    // adapt's options set the keys of the method given with -m: the same run either way; an
    // option the method has no key for, or an upscale setting for a model that has its own, is refused.
    void adaptOptionsAreTheMethodsKeys()
    {
        auto r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-m"),
                           QStringLiteral("wemoe:steps=2,batch=4,lr=0.002,depth=1"), QStringLiteral("-o"),
                           path("keys.safetensors")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("--steps"), QStringLiteral("2"),
                      QStringLiteral("--batch-size"), QStringLiteral("4"), QStringLiteral("--lr"),
                      QStringLiteral("0.002"), QStringLiteral("--router-depth"), QStringLiteral("1"),
                      QStringLiteral("-o"), path("options.safetensors")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readTextFile(path("keys.safetensors")), readTextFile(path("options.safetensors")));

        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-m"), QStringLiteral("adamerging_task"),
                      QStringLiteral("--diversity"), QStringLiteral("1"), QStringLiteral("-o"), path("refused")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("--diversity does not apply to adamerging_task")), qPrintable(r.err));
        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("--model"), path("keys.safetensors"),
                      QStringLiteral("--router-depth"), QStringLiteral("0"), QStringLiteral("-o"),
                      path("refused.safetensors")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot be changed")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(path("refused")) && !QFileInfo::exists(path("refused.safetensors")));
    }

    void adaMergingExportsAFolder()
    {
        const auto r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-m"),
                                 QStringLiteral("adamerging_task"), QStringLiteral("--steps"), QStringLiteral("3"),
                                 QStringLiteral("-o"), path("ada")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("learned λ: alpha=")));
        const auto merged = Checkpoint::load(path("ada"));
        QVERIFY(QString::fromStdString(merged.metadata.at("wemoe_method"))
                    .startsWith(QLatin1String("adamerging (task-wise")));
    }

    // The folder holds what AdaMerging learned, groups × tasks, the CSV, the
    // JSON, the --coefficients copy and the safetensors metadata saying the
    // same. (The engine's own tensor stays inside the CLI process; task-wise
    // runs print it to 4 decimals, which the JSON must agree with.)
    void adaMergingWritesItsCoefficients()
    {
        auto r = runWemoe({QStringLiteral("merge"), m_pool, QStringLiteral("-m"),
                           QStringLiteral("adamerging_layer:steps=2"), QStringLiteral("-o"), path("ada-layer"),
                           QStringLiteral("--coefficients"), path("ada-layer-copy.csv")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto merged = Checkpoint::load(path("ada-layer"));
        const auto json = readAdaMergingCoefficientsJson(path("ada-layer/adamerging-coefficients.json"));
        QCOMPARE(json.tasks, (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
        QVERIFY(json.method.startsWith(QLatin1String("adamerging (layer-wise")));
        QVERIFY(json.groups.size() > 1);
        for (const QString &group : json.groups)
            QVERIFY2(merged.vision.count(group.toStdString()) == 1, qPrintable(group));
        QCOMPARE(json.values.sizes().vec(), (std::vector<int64_t>{json.groups.size(), 3}));

        const QByteArray csv = readTextFile(path("ada-layer/adamerging-coefficients.csv"));
        QCOMPARE(csv, adaMergingCoefficientsCsv(json, {})); // the same numbers, digit for digit
        QCOMPARE(readTextFile(path("ada-layer-copy.csv")), csv);
        const QList<QByteArray> lines = csv.trimmed().split('\n');
        QCOMPARE(lines.size(), json.groups.size() + 1);
        QCOMPARE(lines.first(), QByteArray("group,alpha,beta,gamma"));
        QCOMPARE(lines.at(1).split(',').size(), 4);
        const auto embedded = parseAdaMergingCoefficientsJson(
            QByteArray::fromStdString(merged.metadata.at(kAdaMergingMetadataKey)), QStringLiteral("metadata"));
        QCOMPARE(embedded.groups, json.groups);
        QVERIFY(torch::equal(embedded.values, json.values));

        r = runWemoe({QStringLiteral("adapt"), m_pool, QStringLiteral("-m"), QStringLiteral("adamerging_task"),
                      QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("-o"), path("ada-task")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const auto task = readAdaMergingCoefficientsJson(path("ada-task/adamerging-coefficients.json"));
        QCOMPARE(task.groups, QStringList{QStringLiteral("all")});
        QStringList printed;
        for (int t = 0; t < 3; ++t)
            printed << QStringLiteral("%1=%2").arg(task.tasks.at(t)).arg(task.values[0][t].item<double>(), 0, 'f', 4);
        QVERIFY2(r.err.contains(QStringLiteral("learned λ: ") + printed.join(QStringLiteral(", "))), qPrintable(r.err));

        // Refused before any work: a method that learns nothing, a file of another kind.
        r = runWemoe({QStringLiteral("merge"), m_pool, QStringLiteral("-m"), QStringLiteral("task_arithmetic"),
                      QStringLiteral("-o"), path("ta-refused"), QStringLiteral("--coefficients"), path("c.csv")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("learns no coefficients")), qPrintable(r.err));
        r = runWemoe({QStringLiteral("merge"), m_pool, QStringLiteral("-m"), QStringLiteral("adamerging_task"),
                      QStringLiteral("-o"), path("ada-refused"), QStringLiteral("--coefficients"), path("c.txt")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFileInfo::exists(path("ta-refused")) && !QFileInfo::exists(path("ada-refused")));
    }

    void modelOfAnotherPoolIsRejected()
    {
        QTemporaryDir other;
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 2;
        const QString otherPool = writeSyntheticPool(other.filePath(QStringLiteral("p")), options);
        auto r = runWemoe({QStringLiteral("upscale"), otherPool, QStringLiteral("-o"), path("other.safetensors")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("other.safetensors")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("other.safetensors")), qPrintable(r.err));

        // A truncated model file is named, not crashed on.
        QFile file(path("other.safetensors"));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(100));
        file.close();
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--wemoe"), path("other.safetensors")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("other.safetensors")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliWemoe)
#include "test_cli_wemoe.moc"
