// The command line with models named the Hugging Face way: `info`, `export`
// and `eval --model` find ORG/NAME[@REV] in a local cache (HF_HUB_CACHE set
// here, nothing downloaded), and `pool import` turns a FusionBench model-pool
// file into a pool file.

#include "cli_process.h"
#include "demo/synthetic_pool.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;

namespace {

using Result = wemoe::test::CliResult;

const QString kHash = QStringLiteral("0123456789abcdef0123456789abcdef01234567");

Result runWemoe(const QStringList &arguments, const QString &workingDirectory = {})
{
    return wemoe::test::runCli(QStringLiteral(WEMOE_CLI), arguments, 120000, workingDirectory);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object() : QJsonObject();
}

} // namespace

class TestCliHubModels : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_poolFolder;
    QStringList m_tasks;
    QByteArray m_savedCache;
    bool m_cacheWasSet = false;

    QString hub() const { return m_dir.filePath(QStringLiteral("hub")); }
    QString snapshot() const { return hub() + QStringLiteral("/models--test-org--tiny-clip/snapshots/") + kHash; }

private Q_SLOTS:
    // A synthetic pool's pretrained model, cached as test-org/tiny-clip the way
    // huggingface_hub caches it: files in blobs/, linked from snapshots/<hash>/.
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 2;
        options.imagesPerClass = 2;
        const QString poolFile = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options);
        m_poolFolder = QFileInfo(poolFile).absolutePath();
        for (const QJsonValue &task : readJson(poolFile).value(QStringLiteral("tasks")).toArray())
            m_tasks << task.toObject().value(QStringLiteral("name")).toString();
        QCOMPARE(m_tasks.size(), 2);

        const QString repo = hub() + QStringLiteral("/models--test-org--tiny-clip");
        QVERIFY(QDir().mkpath(repo + QStringLiteral("/blobs")));
        QVERIFY(QDir().mkpath(snapshot()));
        const QDir pretrained(m_poolFolder + QStringLiteral("/pretrained"));
        for (const QString &name : pretrained.entryList(QDir::Files)) {
            QVERIFY(QFile::copy(pretrained.filePath(name), repo + QStringLiteral("/blobs/") + name));
            QVERIFY(QFile::link(QStringLiteral("../../blobs/") + name, snapshot() + QLatin1Char('/') + name));
        }
        writeFile(repo + QStringLiteral("/refs/main"), kHash.toLatin1());
        writeFile(repo + QStringLiteral("/refs/v1"), kHash.toLatin1());

        m_cacheWasSet = qEnvironmentVariableIsSet("HF_HUB_CACHE");
        m_savedCache = qgetenv("HF_HUB_CACHE");
        qputenv("HF_HUB_CACHE", hub().toUtf8()); // the wemoe processes inherit it
    }

    void cleanupTestCase()
    {
        if (m_cacheWasSet)
            qputenv("HF_HUB_CACHE", m_savedCache);
        else
            qunsetenv("HF_HUB_CACHE");
    }

    void infoReadsAHubName()
    {
        for (const char *name : {"test-org/tiny-clip", "test-org/tiny-clip@v1"}) {
            const Result r = runWemoe({QStringLiteral("info"), QString::fromLatin1(name)});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(r.out.contains(QStringLiteral("checkpoint: ") + snapshot()), qPrintable(r.out + r.err));
            QVERIFY2(r.out.contains(QLatin1String("config: ")), qPrintable(r.out));
        }
    }

    void aLocalFolderOfTheSameNameWins()
    {
        QTemporaryDir work;
        const QString local = work.filePath(QStringLiteral("test-org/tiny-clip"));
        QVERIFY(QDir().mkpath(QFileInfo(local).path()));
        QVERIFY(QFile::link(m_poolFolder + QStringLiteral("/tasks/") + m_tasks.first(), local));
        const Result r = runWemoe({QStringLiteral("info"), QStringLiteral("test-org/tiny-clip")}, work.path());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("checkpoint: ") + local), qPrintable(r.out + r.err));
    }

    void aMissingHubNameSaysWhereItLooked()
    {
        const Result r = runWemoe({QStringLiteral("info"), QStringLiteral("test-org/absent@v2")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("test-org/absent@v2: no such file or folder")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("the cache folder %1 (chosen by HF_HUB_CACHE)").arg(hub())),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(hub() + QStringLiteral("/models--test-org--absent")), qPrintable(r.err));

        const Result revision = runWemoe({QStringLiteral("info"), QStringLiteral("test-org/tiny-clip@v2")});
        QCOMPARE(revision.exitCode, 1);
        QVERIFY2(revision.err.contains(QLatin1String("no revision 'v2'"))
                     && revision.err.contains(QLatin1String("refs: main, v1")),
                 qPrintable(revision.err));
    }

    void exportAndEvalTakeHubNames()
    {
        QTemporaryDir out;
        const QString copy = out.filePath(QStringLiteral("copy"));
        const Result exported = runWemoe(
            {QStringLiteral("export"), QStringLiteral("test-org/tiny-clip"), QStringLiteral("-o"), copy});
        QCOMPARE(exported.exitCode, 0);
        QVERIFY2(QFileInfo(copy + QStringLiteral("/model.safetensors")).isFile(), qPrintable(exported.err));

        const Result evaluated = runWemoe({QStringLiteral("eval"), m_poolFolder + QStringLiteral("/pool.json"),
                                           QStringLiteral("--model"), QStringLiteral("test-org/tiny-clip@main"),
                                           QStringLiteral("--threads"), QStringLiteral("1")});
        QCOMPARE(evaluated.exitCode, 0);
        QVERIFY2(evaluated.out.contains(QLatin1String("tiny-clip")) || evaluated.out.contains(kHash),
                 qPrintable(evaluated.out + evaluated.err));
    }

    void poolImportWritesAPoolFile()
    {
        QTemporaryDir work;
        const QString yaml = work.filePath(QStringLiteral("fusionbench/clip-tiny_TA3.yaml"));
        writeFile(yaml, QStringLiteral("_target_: fusion_bench.modelpool.CLIPVisionModelPool\n"
                                       "models:\n"
                                       "  _pretrained_: test-org/tiny-clip\n"
                                       "  %1: ../models/%1\n"
                                       "  %2: test-org/tiny-%2\n"
                                       "  mnist: test-org/tiny-mnist\n")
                            .arg(m_tasks[0], m_tasks[1])
                            .toUtf8());
        QVERIFY(QDir().mkpath(work.filePath(QStringLiteral("models"))));
        QVERIFY(QFile::link(m_poolFolder + QStringLiteral("/tasks/") + m_tasks[0],
                            work.filePath(QStringLiteral("models/") + m_tasks[0])));
        const QString output = work.filePath(QStringLiteral("pools/ta3.json"));
        QVERIFY(QDir().mkpath(QFileInfo(output).path()));
        const QStringList arguments{QStringLiteral("pool"),
                                    QStringLiteral("import"),
                                    yaml,
                                    QStringLiteral("--data"),
                                    m_poolFolder + QStringLiteral("/data"),
                                    QStringLiteral("-o"),
                                    output};
        const Result r = runWemoe(arguments);
        QCOMPARE(r.exitCode, 0);
        // The task without test data and the task without known templates are reported.
        QVERIFY2(r.err.contains(QLatin1String("wemoe: warning: "))
                     && r.err.contains(QLatin1String("task 'mnist' has no test data")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("no prompt templates are known for task '%1'").arg(m_tasks[0])),
                 qPrintable(r.err));

        const QJsonObject pool = readJson(output);
        QCOMPARE(pool.value(QStringLiteral("name")).toString(), QStringLiteral("clip-tiny_TA3"));
        QCOMPARE(pool.value(QStringLiteral("pretrained")).toString(), QStringLiteral("test-org/tiny-clip"));
        QCOMPARE(pool.value(QStringLiteral("clip")).toString(), QStringLiteral("test-org/tiny-clip"));
        const QJsonArray tasks = pool.value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), 3);
        // A path of the YAML file is rewritten for the pool's folder; hub names stay names.
        QCOMPARE(tasks[0].toObject().value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("../models/") + m_tasks[0]);
        QCOMPARE(tasks[1].toObject().value(QStringLiteral("checkpoint")).toString(),
                 QStringLiteral("test-org/tiny-") + m_tasks[1]);
        const QString testData = tasks[0].toObject().value(QStringLiteral("test_data")).toString();
        QVERIFY2(QDir::isRelativePath(testData), qPrintable(testData));
        QCOMPARE(QDir::cleanPath(QDir(QFileInfo(output).path()).absoluteFilePath(testData)),
                 QDir::cleanPath(m_poolFolder + QStringLiteral("/data/") + m_tasks[0] + QStringLiteral("/test")));
        QVERIFY(!tasks[2].toObject().contains(QStringLiteral("test_data")));
        const QJsonObject mnistHead = tasks[2].toObject().value(QStringLiteral("head")).toObject();
        QCOMPARE(mnistHead.value(QStringLiteral("zero_shot")).toObject().value(QStringLiteral("templates")).toArray(),
                 QJsonArray{QStringLiteral("a photo of the number: \"{}\".")});

        // An existing pool file is kept unless --force.
        const QByteArray before = [&] {
            QFile file(output);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        }();
        const Result again = runWemoe(arguments);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(output + QStringLiteral(": already exists (pass --force to replace it)")),
                 qPrintable(again.err));
        QCOMPARE(readJson(output), QJsonDocument::fromJson(before).object());
        QCOMPARE(runWemoe(arguments + QStringList{QStringLiteral("--force")}).exitCode, 0);
    }

    void poolImportExplainsBadFiles()
    {
        QTemporaryDir work;
        const QString yaml = work.filePath(QStringLiteral("broken.yaml"));
        writeFile(yaml, "models:\n  _pretrained_: [a\n");
        const QString output = work.filePath(QStringLiteral("pool.json"));
        Result r = runWemoe({QStringLiteral("pool"), QStringLiteral("import"), yaml, QStringLiteral("-o"), output});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("wemoe: error: %1: not valid YAML: line ").arg(yaml)),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(output));

        r = runWemoe({QStringLiteral("pool"), QStringLiteral("import"), yaml});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("--output is required")), qPrintable(r.err));

        r = runWemoe({QStringLiteral("pool"), QStringLiteral("import"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("Usage: wemoe pool import")) && r.out.contains(QLatin1String("--data")),
                 qPrintable(r.out));
        r = runWemoe({QStringLiteral("pool"), QStringLiteral("--help")});
        QVERIFY2(r.out.contains(QLatin1String("wemoe pool import MODELPOOL.yaml")), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestCliHubModels)
#include "test_cli_hub_models.moc"
