// The command line end to end on a tiny generated pool: merge -> export ->
// reload -> eval, tables written, and the bad-input paths a user meets.

#include "cli_process.h"
#include "demo/synthetic_pool.h"
#include "eval/accuracy_table.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "merge/merge_methods.h"
#include "methods/method_call.h"
#include "pool/loaded_pool.h"

#include <QtCore/QDirIterator>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <csignal>

using namespace wemoe;

namespace {

using Result = wemoe::test::CliResult;

Result runWemoe(const QStringList &arguments, int timeoutMs = 120000)
{
    return wemoe::test::runCli(QStringLiteral(WEMOE_CLI),
                               arguments + QStringList{QStringLiteral("--threads"), QStringLiteral("2")}, timeoutMs);
}

// Commands without compute options (info, export, pool) do not take --threads.
Result runPlain(const QStringList &arguments)
{
    return wemoe::test::runCli(QStringLiteral(WEMOE_CLI), arguments, 120000);
}

QStringList leftovers(const QString &folder)
{
    QStringList found;
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(QLatin1String(".partial")) || path.contains(QLatin1String(".tmp")))
            found << path;
    }
    return found;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pool;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 3;
        options.imagesPerClass = 6;
        m_pool = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options);
    }

    void helpForEveryCommand()
    {
        for (const char *command :
             {"info", "merge", "eval", "sweep", "export", "upscale", "adapt", "collapse", "similarity"}) {
            const auto r = runPlain({QString::fromLatin1(command), QStringLiteral("--help")});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains(QLatin1String("Usage: wemoe ") + QLatin1String(command)), qPrintable(r.out));
            // Qt warns here when a command declares an option twice.
            QVERIFY2(r.err.isEmpty(), qPrintable(QLatin1String(command) + QLatin1String(": ") + r.err));
        }
        // The overview: every summary starts in the same column, two spaces
        // after the longest command name ("similarity"), never glued to it.
        const auto overview = runPlain({QStringLiteral("--help")});
        QCOMPARE(overview.exitCode, 0);
        const QStringList lines = overview.out.split(QLatin1Char('\n'));
        const auto first = std::find_if(lines.begin(), lines.end(),
                                        [](const QString &l) { return l == QLatin1String("Commands:"); });
        QVERIFY(first != lines.end());
        QStringList commands;
        for (auto line = first + 1; line != lines.end() && line->startsWith(QLatin1String("  ")); ++line) {
            const QString name = line->mid(2).section(QLatin1Char(' '), 0, 0);
            commands << name;
            QVERIFY2(line->mid(2 + name.size()).startsWith(QLatin1String("  ")), qPrintable(*line));
            QCOMPARE(line->indexOf(QRegularExpression(QStringLiteral("\\S")), 2 + name.size()),
                     2 + 10 + 2); // "similarity" + 2
        }
        QCOMPARE(commands, (QStringList{"adapt", "collapse", "eval", "export", "heads", "info", "merge", "pool",
                                        "similarity", "sweep", "upscale", "zoo"}));
        const auto unknown = runPlain({QStringLiteral("frobnicate")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains(QLatin1String("unknown command")));
    }

    void evalWritesTheTable()
    {
        const QString json = m_dir.filePath(QStringLiteral("table.json"));
        const QString csv = m_dir.filePath(QStringLiteral("table.csv"));
        const auto r = runWemoe(
            {QStringLiteral("eval"), m_pool, QStringLiteral("--table"), json, QStringLiteral("--table"), csv});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("| method |")));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto table = AccuracyTable::fromJson(QJsonDocument::fromJson(file.readAll()).object());
        QCOMPARE(table.tasks(),
                 (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
        QCOMPARE(table.rows().size(), 6);
        // Labels come from each task's own fine-tuned model: individual is exact by construction.
        const auto *individual = table.row(AccuracyTable::kIndividualRow);
        QVERIFY(individual);
        for (double a : individual->accuracy)
            QCOMPARE(a, 1.0);
        QVERIFY(QFileInfo::exists(csv));
    }

    void mergeExportReloadEval()
    {
        const QString out = m_dir.filePath(QStringLiteral("merged-ta"));
        const auto r = runWemoe({QStringLiteral("merge"), m_pool, QStringLiteral("-m"),
                                 QStringLiteral("task_arithmetic:lambda=0.5"), QStringLiteral("-o"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        // The export is θ0 + 0.5 Σ τ, computed here independently, bit for bit after reload.
        const auto pool = LoadedPool::load(m_pool);
        const auto reloaded = Checkpoint::load(out);
        QCOMPARE(reloaded.vision.size(), pool.pretrained.vision.size());
        for (const auto &[name, base] : pool.pretrained.vision) {
            auto expected = base.to(torch::kFloat32).clone();
            torch::Tensor sum = torch::zeros_like(expected);
            for (const auto &task : pool.tasks)
                sum += task.vision.at(name).to(torch::kFloat32) - base.to(torch::kFloat32);
            expected += 0.5 * sum;
            QVERIFY2(torch::allclose(reloaded.vision.at(name), expected, 1e-6, 1e-7), name.c_str());
        }
        QCOMPARE(QString::fromStdString(reloaded.metadata.at("wemoe_method")).left(15),
                 QStringLiteral("task_arithmetic"));

        // Evaluating the exported folder gives the same row as merging in memory.
        const QString json = m_dir.filePath(QStringLiteral("model.json"));
        const auto e = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--model"), out, QStringLiteral("-m"),
                                 QStringLiteral("task_arithmetic:lambda=0.5"), QStringLiteral("--table"), json});
        QVERIFY2(e.exitCode == 0, qPrintable(e.err));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto table = AccuracyTable::fromJson(QJsonDocument::fromJson(file.readAll()).object());
        QCOMPARE(table.rows().size(), 2);
        QCOMPARE(table.rows().at(0).accuracy, table.rows().at(1).accuracy);

        // info reports what is in the folder.
        const auto info = runPlain({QStringLiteral("info"), out});
        QVERIFY2(info.exitCode == 0, qPrintable(info.err));
        qint64 parameters = 0;
        for (const auto &[name, t] : reloaded.vision)
            parameters += t.numel();
        QVERIFY2(info.out.contains(QStringLiteral("parameters: %1").arg(QLocale::c().toString(parameters))),
                 qPrintable(info.out));
        QVERIFY(info.out.contains(QStringLiteral("tensors: %1").arg(reloaded.vision.size())));

        // An existing output is not replaced without --force, and is left as it was.
        const auto again = runWemoe({QStringLiteral("merge"), m_pool, QStringLiteral("-o"), out});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(out), qPrintable(again.err));
        QVERIFY(torch::equal(Checkpoint::load(out).vision.begin()->second, reloaded.vision.begin()->second));
        QVERIFY(leftovers(m_dir.path()).isEmpty());
    }

    // Fisher merging, RegMean and RegMean++ learn from the pool's train_data:
    // `pool synth --train-images` names it; without it they refuse to run
    // unless test images are allowed, and then say which tasks used them.
    void dataMergesLearnFromTrainingImages()
    {
        const QString trained = m_dir.filePath(QStringLiteral("trained"));
        const auto synth = runPlain({QStringLiteral("pool"), QStringLiteral("synth"), trained,
                                     QStringLiteral("--tasks"), QStringLiteral("2"), QStringLiteral("--classes"),
                                     QStringLiteral("3"), QStringLiteral("--images-per-class"), QStringLiteral("3"),
                                     QStringLiteral("--fine-tune-steps"), QStringLiteral("5"),
                                     QStringLiteral("--train-images")});
        QVERIFY2(synth.exitCode == 0, qPrintable(synth.err));
        const QString trainedPool = QDir(trained).filePath(QStringLiteral("pool.json"));
        QVERIFY(!ModelPool::load(trainedPool).tasks.first().trainData.isEmpty());

        const QString json = m_dir.filePath(QStringLiteral("data-merges.json"));
        const auto e = runWemoe({QStringLiteral("eval"), trainedPool, QStringLiteral("-m"),
                                 QStringLiteral("fisher:examples=6"), QStringLiteral("-m"),
                                 QStringLiteral("regmean:examples=6"), QStringLiteral("-m"),
                                 QStringLiteral("regmean++:examples=6,alpha=0.5"), QStringLiteral("--table"), json});
        QVERIFY2(e.exitCode == 0, qPrintable(e.err));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto table = AccuracyTable::fromJson(QJsonDocument::fromJson(file.readAll()).object());
        QStringList labels;
        for (const auto &row : table.rows()) {
            labels << row.method;
            QCOMPARE(row.accuracy.size(), 2);
        }
        QCOMPARE(labels, (QStringList{MethodCall::parse(QStringLiteral("fisher:examples=6")).label(),
                                      MethodCall::parse(QStringLiteral("regmean:examples=6")).label(),
                                      MethodCall::parse(QStringLiteral("regmean++:examples=6,alpha=0.5")).label()}));
        QVERIFY2(labels.at(1).contains(QLatin1String("6 train images/task")), qPrintable(labels.at(1)));

        // The exported merge evaluates to the same row as merging in memory.
        const QString out = m_dir.filePath(QStringLiteral("merged-regmean"));
        const auto m = runWemoe({QStringLiteral("merge"), trainedPool, QStringLiteral("-m"),
                                 QStringLiteral("regmean:examples=6"), QStringLiteral("-o"), out,
                                 QStringLiteral("--evaluate")});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const QString reloadedJson = m_dir.filePath(QStringLiteral("regmean-model.json"));
        const auto reloaded = runWemoe({QStringLiteral("eval"), trainedPool, QStringLiteral("--model"), out,
                                        QStringLiteral("--table"), reloadedJson});
        QVERIFY2(reloaded.exitCode == 0, qPrintable(reloaded.err));
        QFile reloadedFile(reloadedJson);
        QVERIFY(reloadedFile.open(QIODevice::ReadOnly));
        const auto reloadedTable = AccuracyTable::fromJson(QJsonDocument::fromJson(reloadedFile.readAll()).object());
        QCOMPARE(reloadedTable.rows().at(1).accuracy, table.rows().at(1).accuracy);

        // A pool without train_data: one clear message naming the task, and the way out.
        const auto refused = runWemoe(
            {QStringLiteral("eval"), m_pool, QStringLiteral("-m"), QStringLiteral("regmean")});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains(QLatin1String("'alpha' names no train_data")), qPrintable(refused.err));
        QVERIFY2(refused.err.contains(QLatin1String("data=train_or_test")), qPrintable(refused.err));
        const auto fallback = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"),
                                        QStringLiteral("fisher:examples=4,data=train_or_test")});
        QVERIFY2(fallback.exitCode == 0, qPrintable(fallback.err));
        QVERIFY2(fallback.err.contains(QLatin1String("no train_data for alpha, beta, gamma")),
                 qPrintable(fallback.err));
        QVERIFY2(fallback.out.contains(QLatin1String("4 train-or-test images/task")), qPrintable(fallback.out));
    }

    void sweepHasOneRowPerLambda()
    {
        const QString json = m_dir.filePath(QStringLiteral("sweep.json"));
        const auto r = runWemoe({QStringLiteral("sweep"), m_pool, QStringLiteral("--from"), QStringLiteral("0"),
                                 QStringLiteral("--to"), QStringLiteral("0.6"), QStringLiteral("--step"),
                                 QStringLiteral("0.3"), QStringLiteral("--table"), json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const auto table = AccuracyTable::fromJson(QJsonDocument::fromJson(file.readAll()).object());
        QCOMPARE(table.rows().size(), 4); // individual + λ = 0, 0.3, 0.6
        // λ = 0 is the pretrained model.
        const auto p = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"), QStringLiteral("pretrained"),
                                 QStringLiteral("--table"), json});
        QVERIFY2(p.exitCode == 0, qPrintable(p.err));
        QFile pretrainedFile(json);
        QVERIFY(pretrainedFile.open(QIODevice::ReadOnly));
        const auto pretrained = AccuracyTable::fromJson(QJsonDocument::fromJson(pretrainedFile.readAll()).object());
        QCOMPARE(table.rows().at(1).accuracy, pretrained.rows().at(0).accuracy);
    }

    void corruptTaskCheckpointIsNamed()
    {
        QTemporaryDir dir;
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 2;
        const QString pool = writeSyntheticPool(dir.filePath(QStringLiteral("pool")), options);
        const QString weights = dir.filePath(QStringLiteral("pool/tasks/beta/model.safetensors"));
        QFile file(weights);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() / 2)); // truncated download
        file.close();
        const QString out = dir.filePath(QStringLiteral("out"));
        const auto r = runWemoe({QStringLiteral("merge"), pool, QStringLiteral("-o"), out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("model.safetensors")) && r.err.contains(QLatin1String("beta")),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    void missingTestFolderIsNamed()
    {
        QTemporaryDir dir;
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 2;
        const QString pool = writeSyntheticPool(dir.filePath(QStringLiteral("pool")), options);
        QVERIFY(QDir(dir.filePath(QStringLiteral("pool/data/alpha/test"))).removeRecursively());
        const auto r = runWemoe({QStringLiteral("eval"), pool});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("alpha")), qPrintable(r.err));
    }

    void badArgumentsAreExplained()
    {
        auto r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("-m"), QStringLiteral("ties:q=3")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("unknown parameter 'q'")), qPrintable(r.err));
        r = runWemoe({QStringLiteral("eval"), m_pool, QStringLiteral("--device"), QStringLiteral("tpu")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("tpu")), qPrintable(r.err));
        r = runPlain({QStringLiteral("info"), m_dir.filePath(QStringLiteral("nothing-here"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("nothing-here")), qPrintable(r.err));
    }

    // The cosine similarity of the task vectors, against one computed here from the flattened vectors.
    void similarityOfTaskVectors()
    {
        const QString csvPath = m_dir.filePath(QStringLiteral("similarity.csv"));
        const auto r = runWemoe({QStringLiteral("similarity"), m_pool, QStringLiteral("--csv"), csvPath});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("| task | alpha | beta | gamma |")), qPrintable(r.out));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 4); // header + 3 tasks

        const LoadedPool pool = LoadedPool::load(m_pool);
        std::vector<torch::Tensor> vectors;
        for (const auto &task : pool.tasks) {
            std::vector<torch::Tensor> parts;
            for (const auto &[name, theta0] : pool.pretrained.vision) {
                if (torch::isFloatingType(theta0.scalar_type()))
                    parts.push_back((task.vision.at(name).to(torch::kFloat64) - theta0.to(torch::kFloat64)).flatten());
            }
            vectors.push_back(torch::cat(parts));
        }
        for (int a = 0; a < 3; ++a) {
            const QStringList cells = lines.at(a + 1).split(QLatin1Char(','));
            QCOMPARE(cells.first(), pool.taskNames().at(a));
            for (int b = 0; b < 3; ++b) {
                const double expected =
                    (vectors[a].dot(vectors[b]) / (vectors[a].norm() * vectors[b].norm())).item<double>();
                QVERIFY2(
                    std::abs(cells.at(b + 1).toDouble() - expected) < 1e-9,
                    qPrintable(QStringLiteral("%1,%2: %3 vs %4").arg(a).arg(b).arg(cells.at(b + 1)).arg(expected)));
            }
        }
    }

    void ctrlCStopsCleanly()
    {
        // A sweep long enough that it is still running when the signal arrives.
        const QString json = m_dir.filePath(QStringLiteral("cancelled.json"));
        QProcess process;
        process.start(QStringLiteral(WEMOE_CLI),
                      {QStringLiteral("sweep"), m_pool, QStringLiteral("--from"), QStringLiteral("0"),
                       QStringLiteral("--to"), QStringLiteral("10"), QStringLiteral("--step"), QStringLiteral("0.02"),
                       QStringLiteral("--table"), json, QStringLiteral("--threads"), QStringLiteral("1")});
        QVERIFY(process.waitForStarted());
        // Wait for the first progress report: the work has started.
        QString seen;
        while (!seen.contains(QLatin1String("[")) && process.state() == QProcess::Running) {
            process.waitForReadyRead(1000);
            seen += QString::fromUtf8(process.readAllStandardError());
        }
        // A process that already ended has no id: kill(0) would signal this test's own group.
        QVERIFY2(process.processId() > 0, qPrintable(QString::fromUtf8(process.readAllStandardError())));
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 130);
        QVERIFY(QString::fromUtf8(process.readAllStandardError()).contains(QLatin1String("cancelled")));
        QVERIFY(!QFileInfo::exists(json));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
