#include "common/error.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "io/safetensors.h"
#include "io_test_util.h"
#include "pool/loaded_pool.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>
#include <cmath>

using namespace wemoe;
using namespace wemoe::test;

namespace {

torch::Tensor randomMatrix(int64_t rows, int64_t cols, quint64 seed)
{
    auto generator = at::detail::createCPUGenerator(seed);
    return at::normal(0.0, 1.0, {rows, cols}, generator).to(torch::kFloat32);
}

ClassificationHead makeHead(int classes, int features, quint64 seed)
{
    ClassificationHead head;
    head.weight = randomMatrix(classes, features, seed);
    for (int i = 0; i < classes; ++i)
        head.classNames << QStringLiteral("class %1").arg(i);
    return head;
}

// A pool on disk: models/{pretrained,<task>...}, heads/<task>.safetensors,
// data/<task>/test/, and pool.json with relative paths.
class PoolFixture
{
public:
    explicit PoolFixture(const QStringList &tasks)
        : m_tasks(tasks)
    {
        QDir().mkpath(path("heads"));
        writeModel("models/pretrained", tinyConfig(), 100);
        for (int i = 0; i < tasks.size(); ++i) {
            writeModel("models/" + tasks[i], tinyConfig(), 200 + i);
            makeHead(3, tinyConfig().projectionDim, 300 + i).save(path("heads/" + tasks[i] + ".safetensors"));
            QDir().mkpath(path("data/" + tasks[i] + "/test/class 0"));
        }
        writePool();
    }

    QString root() const { return m_dir.path(); }
    QString path(const QString &relative) const { return QDir::cleanPath(m_dir.filePath(relative)); }
    QString poolFile() const { return path("pool.json"); }

    void writeModel(const QString &relative, const ClipVisionConfig &config, quint64 seed,
                    const std::function<void(TensorMap &)> &change = {})
    {
        TensorMap vision = randomVisionWeights(config, seed);
        if (change)
            change(vision);
        writeModelFolder(path(relative), visionConfigJson(config), withFileKeys(vision, "vision_model."));
    }

    void writePool(const std::function<void(QJsonObject &)> &change = {})
    {
        QJsonArray tasks;
        for (const QString &task : m_tasks)
            tasks.append(QJsonObject{{"name", task},
                                     {"checkpoint", "models/" + task},
                                     {"head", "heads/" + task + ".safetensors"},
                                     {"test_data", "data/" + task + "/test"}});
        QJsonObject json{{"name", "tiny pool"}, {"pretrained", "models/pretrained"}, {"tasks", tasks}};
        if (change)
            change(json);
        writeJson(poolFile(), json);
    }

private:
    QTemporaryDir m_dir;
    QStringList m_tasks;
};

QJsonObject taskAt(const QJsonObject &json, int i)
{
    return json["tasks"].toArray()[i].toObject();
}

void setTask(QJsonObject &json, int i, const QJsonObject &task)
{
    QJsonArray tasks = json["tasks"].toArray();
    tasks[i] = task;
    json["tasks"] = tasks;
}

} // namespace

class TestModelPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void headRoundTripAndClipLogits()
    {
        QTemporaryDir dir;
        ClassificationHead head = makeHead(3, 4, 1);
        head.logitScale = 50.0;
        const QString path = dir.filePath("head.safetensors");
        head.save(path);
        const ClassificationHead back = ClassificationHead::load(path);
        QVERIFY(bitwiseEqual(back.weight, head.weight));
        QVERIFY(!back.bias.defined());
        QCOMPARE(back.classNames, head.classNames);
        QVERIFY(back.clipStyle);
        QCOMPARE(back.logitScale, 50.0);
        QCOMPARE(back.numClasses(), 3);
        QCOMPARE(back.featureDim(), 4);

        // By hand: logit[b][c] = scale * <f_b / |f_b|, w_c>.
        const torch::Tensor features = randomMatrix(2, 4, 2);
        const torch::Tensor logits = back.logits(features);
        QCOMPARE(logits.sizes(), c10::IntArrayRef({2, 3}));
        for (int b = 0; b < 2; ++b) {
            double norm = 0;
            for (int k = 0; k < 4; ++k)
                norm += std::pow(features[b][k].item<double>(), 2);
            norm = std::sqrt(norm);
            for (int c = 0; c < 3; ++c) {
                double dot = 0;
                for (int k = 0; k < 4; ++k)
                    dot += features[b][k].item<double>() / norm * head.weight[c][k].item<double>();
                QVERIFY2(
                    std::abs(logits[b][c].item<double>() - 50.0 * dot) < 1e-4,
                    qPrintable(
                        QString("b %1 c %2: %3 vs %4").arg(b).arg(c).arg(logits[b][c].item<double>()).arg(50 * dot)));
            }
        }
        // Features of another scale give the same CLIP logits.
        QVERIFY(torch::allclose(back.logits(features * 7.0), logits, 1e-5, 1e-4));
        QVERIFY(!errorOf([&] { back.logits(randomMatrix(2, 5, 3)); }).isEmpty());
        QVERIFY(back.to(c10::Device(c10::kCPU)).weight.defined());
    }

    void linearHead()
    {
        QTemporaryDir dir;
        ClassificationHead head = makeHead(2, 3, 4);
        head.clipStyle = false;
        head.bias = torch::tensor({0.5f, -1.0f});
        const QString path = dir.filePath("linear.safetensors");
        head.save(path);
        const ClassificationHead back = ClassificationHead::load(path);
        QVERIFY(!back.clipStyle);
        QVERIFY(bitwiseEqual(back.bias, head.bias));
        const torch::Tensor features = torch::tensor({{1.0f, 2.0f, 3.0f}});
        const torch::Tensor logits = back.logits(features);
        for (int c = 0; c < 2; ++c) {
            double expected = head.bias[c].item<double>();
            for (int k = 0; k < 3; ++k)
                expected += (k + 1) * head.weight[c][k].item<double>();
            QVERIFY(std::abs(logits[0][c].item<double>() - expected) < 1e-5);
        }
    }

    void headDefaults()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("head.safetensors");
        writeSafetensors(path, {{"weight", torch::ones({2, 4})}}, {{"class_names", R"(["cat", "dog"])"}});
        const ClassificationHead head = ClassificationHead::load(path);
        QVERIFY(head.clipStyle);
        QCOMPARE(head.logitScale, 100.0);
        QCOMPARE(head.classNames, QStringList({"cat", "dog"}));
    }

    void headErrors_data()
    {
        QTest::addColumn<QString>("weightShape");
        QTest::addColumn<QString>("classNames");
        QTest::addColumn<QString>("headType");
        QTest::addColumn<QString>("problem");
        QTest::newRow("no weight") << "none"
                                   << R"(["a","b"])"
                                   << ""
                                   << "has no \"weight\" tensor";
        QTest::newRow("1-d weight") << "1d"
                                    << R"(["a","b"])"
                                    << ""
                                    << "weight has shape [2]";
        QTest::newRow("no class names") << "2x4"
                                        << ""
                                        << ""
                                        << "lacks \"class_names\"";
        QTest::newRow("class names not array") << "2x4"
                                               << R"({"a":1})"
                                               << ""
                                               << "not a JSON array of strings";
        QTest::newRow("class names not strings") << "2x4"
                                                 << R"(["a",2])"
                                                 << ""
                                                 << "not a JSON array of strings";
        QTest::newRow("class count") << "2x4"
                                     << R"(["a","b","c"])"
                                     << ""
                                     << "has 3 class names, but weight has 2 rows";
        QTest::newRow("head type") << "2x4"
                                   << R"(["a","b"])"
                                   << "softmax"
                                   << "head_type 'softmax'";
    }

    void headErrors()
    {
        QFETCH(QString, weightShape);
        QFETCH(QString, classNames);
        QFETCH(QString, headType);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath("head.safetensors");
        TensorMap tensors{{"other", torch::ones({1})}};
        if (weightShape == "1d")
            tensors["weight"] = torch::ones({2});
        if (weightShape == "2x4")
            tensors["weight"] = torch::ones({2, 4});
        Metadata metadata;
        if (!classNames.isEmpty())
            metadata["class_names"] = classNames.toStdString();
        if (!headType.isEmpty())
            metadata["head_type"] = headType.toStdString();
        writeSafetensors(path, tensors, metadata);
        const QString message = errorOf([&] { ClassificationHead::load(path); });
        QVERIFY2(message.startsWith(path + ": ") && message.contains(problem), qPrintable(message));
    }

    void poolWithRelativePaths()
    {
        PoolFixture fixture({"mnist", "svhn"});
        const ModelPool pool = ModelPool::load(fixture.poolFile());
        QCOMPARE(pool.name, QStringLiteral("tiny pool"));
        QCOMPARE(pool.path, fixture.poolFile());
        QCOMPARE(pool.pretrained, fixture.path("models/pretrained"));
        QCOMPARE(pool.tasks.size(), 2);
        QCOMPARE(pool.tasks[1].name, QStringLiteral("svhn"));
        QCOMPARE(pool.tasks[1].checkpoint, fixture.path("models/svhn"));
        QCOMPARE(pool.tasks[1].head, fixture.path("heads/svhn.safetensors"));
        QCOMPARE(pool.tasks[1].testData.paths.first(), fixture.path("data/svhn/test"));
        QCOMPARE(pool.taskIndex("svhn"), 1);
        QCOMPARE(pool.taskIndex("dtd"), -1);
        QCOMPARE(pool.normalization.mean[0], 0.48145466f); // CLIP's by default
        QCOMPARE(pool.normalization.std[2], 0.27577711f);

        // Saved elsewhere, the paths are relative to the new file's folder.
        const QString elsewhere = fixture.path("pools/copy.json");
        QDir().mkpath(fixture.path("pools"));
        ModelPool changed = pool;
        changed.normalization.mean = {0.5f, 0.25f, 0.125f};
        changed.save(elsewhere);
        const QJsonObject json = QJsonDocument::fromJson(readBytes(elsewhere)).object();
        QCOMPARE(json["pretrained"].toString(), QStringLiteral("../models/pretrained"));
        QCOMPARE(taskAt(json, 0)["head"].toString(), QStringLiteral("../heads/mnist.safetensors"));
        QCOMPARE(taskAt(json, 0)["test_data"].toString(), QStringLiteral("../data/mnist/test"));
        const ModelPool back = ModelPool::load(elsewhere);
        QCOMPARE(back.pretrained, pool.pretrained);
        QCOMPARE(back.tasks[0].checkpoint, pool.tasks[0].checkpoint);
        QCOMPARE(back.normalization.mean[1], 0.25f);
        QCOMPARE(back.name, pool.name);
    }

    // Test and training data in every form a pool may name them: a folder of
    // Parquet shards, a list of .parquet files, a hub dataset's split, an
    // image folder; saved elsewhere, paths move and hub names stay names.
    void poolDataSources()
    {
        PoolFixture fixture({"mnist", "svhn"});
        const QString revision = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        const QString repo = fixture.path("hub/datasets--tanganke--svhn");
        QDir().mkpath(repo + "/refs");
        writeBytes(repo + "/refs/main", revision.toLatin1());
        const QString snapshot = repo + "/snapshots/" + revision;
        QDir().mkpath(snapshot + "/data");
        writeBytes(snapshot + "/data/test-00000-of-00001.parquet", "PAR1");
        QDir().mkpath(fixture.path("shards"));
        writeBytes(fixture.path("shards/train-1.parquet"), "PAR1");
        writeBytes(fixture.path("shards/train-0.parquet"), "PAR1");
        qputenv("HF_HUB_CACHE", fixture.path("hub").toUtf8());
        fixture.writePool([](QJsonObject &json) {
            QJsonObject mnist = json["tasks"].toArray()[0].toObject();
            mnist["train_data"] = "shards";
            setTask(json, 0, mnist);
            QJsonObject svhn = json["tasks"].toArray()[1].toObject();
            svhn["test_data"] = "tanganke/svhn:test";
            svhn["train_data"] = QJsonArray{"shards/train-1.parquet", "shards/train-0.parquet"};
            setTask(json, 1, svhn);
        });
        const ModelPool pool = ModelPool::load(fixture.poolFile());
        QVERIFY(!pool.tasks[0].testData.isParquet());
        QVERIFY(pool.tasks[0].trainData.isParquet());
        QCOMPARE(pool.tasks[0].trainData.paths,
                 (QStringList{fixture.path("shards/train-0.parquet"), fixture.path("shards/train-1.parquet")}));
        QCOMPARE(pool.tasks[1].testData.hubName, QStringLiteral("tanganke/svhn:test"));
        QCOMPARE(pool.tasks[1].testData.paths, QStringList{snapshot + "/data/test-00000-of-00001.parquet"});
        QCOMPARE(pool.tasks[1].trainData.paths, // a list keeps its order
                 (QStringList{fixture.path("shards/train-1.parquet"), fixture.path("shards/train-0.parquet")}));

        const QString elsewhere = fixture.path("pools/copy.json");
        QDir().mkpath(fixture.path("pools"));
        pool.save(elsewhere);
        const QJsonObject json = QJsonDocument::fromJson(readBytes(elsewhere)).object();
        QCOMPARE(taskAt(json, 0)["test_data"].toString(), QStringLiteral("../data/mnist/test"));
        QCOMPARE(taskAt(json, 0)["train_data"].toString(), QStringLiteral("../shards"));
        QCOMPARE(taskAt(json, 1)["test_data"].toString(), QStringLiteral("tanganke/svhn:test"));
        QCOMPARE(taskAt(json, 1)["train_data"].toArray(),
                 (QJsonArray{"../shards/train-1.parquet", "../shards/train-0.parquet"}));
        const ModelPool back = ModelPool::load(elsewhere);
        for (int t = 0; t < 2; ++t) {
            QCOMPARE(back.tasks[t].testData.paths, pool.tasks[t].testData.paths);
            QCOMPARE(back.tasks[t].trainData.paths, pool.tasks[t].trainData.paths);
        }

        // A list may only name .parquet files; a split that is not there names the ones that are.
        fixture.writePool([](QJsonObject &json) {
            QJsonObject svhn = json["tasks"].toArray()[1].toObject();
            svhn["train_data"] = QJsonArray{"data/svhn/test"};
            setTask(json, 1, svhn);
        });
        QString message = errorOf([&] { ModelPool::load(fixture.poolFile()); });
        QVERIFY2(message.contains("task 'svhn': train_data: data/svhn/test: a list of data files may only name "
                                  ".parquet files"),
                 qPrintable(message));
        fixture.writePool([](QJsonObject &json) {
            QJsonObject svhn = json["tasks"].toArray()[1].toObject();
            svhn["test_data"] = "tanganke/svhn:validation";
            setTask(json, 1, svhn);
        });
        message = errorOf([&] { ModelPool::load(fixture.poolFile()); });
        QVERIFY2(message.contains("no Parquet files of the split 'validation'")
                     && message.contains("splits there: test"),
                 qPrintable(message));
        qunsetenv("HF_HUB_CACHE");
    }

    void poolErrors_data()
    {
        QTest::addColumn<QString>("breakage");
        QTest::addColumn<QString>("problem");
        QTest::newRow("pretrained missing") << "pretrained"
                                            << "pretrained: models/nowhere: no such file or folder";
        QTest::newRow("checkpoint missing") << "checkpoint"
                                            << "task 'b': checkpoint: models/gone: no such file or folder";
        QTest::newRow("head missing") << "head"
                                      << "task 'a': head 'heads/gone.safetensors'";
        QTest::newRow("test data missing") << "test_data"
                                           << "task 'a': test_data: data/gone: no such file or folder";
        QTest::newRow("test data is a file") << "test_data file"
                                             << "not test data: expected an image folder";
        QTest::newRow("duplicate task") << "duplicate"
                                        << "task name 'a' appears twice";
        QTest::newRow("task lacks head") << "no head"
                                         << "task 'a': lacks \"head\"";
        QTest::newRow("no tasks array") << "no tasks"
                                        << "\"tasks\" must be an array";
        QTest::newRow("bad normalization") << "normalization"
                                           << "normalization \"std\" must be an array of 3 numbers in [0.0001, 100]";
        // 1e-300 is positive as a double but 0 as the float the preprocessor divides by.
        QTest::newRow("std that is 0 as a float")
            << "tiny std"
            << "normalization \"std\" must be an array of 3 numbers in [0.0001, 100]";
        QTest::newRow("mean far outside the pixel range")
            << "huge mean"
            << "normalization \"mean\" must be an array of 3 numbers in [-100, 100]";
        // Task names become folder names (wemoe collapse): a downloaded pool must not steer writes.
        QTest::newRow("task name climbs out")
            << "name ../x"
            << "task 1: name '../x' cannot be a file or folder name: it contains the path separator '/'";
        QTest::newRow("task name is absolute") << "name /home/me/thesis"
                                               << "task 1: name '/home/me/thesis' cannot be a file or folder name";
        QTest::newRow("task name is ..")
            << "name .."
            << "task 1: name '..' cannot be a file or folder name: it names a folder itself";
        QTest::newRow("task name is hidden") << "name .x"
                                             << "task 1: name '.x' cannot be a file or folder name: it starts with '.'";
        QTest::newRow("task name with a backslash") << "name a\\b"
                                                    << "it contains the path separator '\\'";
        QTest::newRow("task name with a terminal escape")
            << "name \x1b[2Jred"
            << "task 1: name '\\x1b[2Jred' cannot be a file or folder name: it contains the control character U+001b";
        QTest::newRow("task name too long")
            << ("name " + QString(256, QLatin1Char('t'))) << "it is 256 bytes long, more than 255";
        QTest::newRow("not json") << "not json"
                                  << "not valid JSON";
    }

    void poolErrors()
    {
        QFETCH(QString, breakage);
        QFETCH(QString, problem);
        PoolFixture fixture({"a", "b"});
        fixture.writePool([&](QJsonObject &json) {
            QJsonObject a = taskAt(json, 0);
            QJsonObject b = taskAt(json, 1);
            if (breakage == "pretrained")
                json["pretrained"] = "models/nowhere";
            if (breakage == "checkpoint")
                b["checkpoint"] = "models/gone";
            if (breakage == "head")
                a["head"] = "heads/gone.safetensors";
            if (breakage == "test_data")
                a["test_data"] = "data/gone";
            if (breakage == "test_data file")
                a["test_data"] = "heads/a.safetensors";
            if (breakage == "duplicate")
                b["name"] = "a";
            if (breakage == "no head")
                a.remove("head");
            if (breakage == "no tasks")
                json.remove("tasks");
            if (breakage.startsWith("name "))
                a["name"] = breakage.mid(5);
            if (breakage == "tiny std")
                json["normalization"] = QJsonObject{{"mean", QJsonArray{0, 0, 0}},
                                                    {"std", QJsonArray{0.5, 1e-300, 0.5}}};
            if (breakage == "huge mean")
                json["normalization"] = QJsonObject{{"mean", QJsonArray{0, 1e300, 0}}, {"std", QJsonArray{1, 1, 1}}};
            if (breakage == "normalization")
                json["normalization"] = QJsonObject{{"mean", QJsonArray{0, 0, 0}}, {"std", QJsonArray{1, 0, 1}}};
            if (json.contains("tasks")) {
                setTask(json, 0, a);
                setTask(json, 1, b);
            }
        });
        if (breakage == "not json")
            writeBytes(fixture.poolFile(), "{\"tasks\": [");
        const QString message = errorOf([&] { ModelPool::load(fixture.poolFile()); });
        QVERIFY2(message.startsWith(fixture.poolFile() + ": ") && message.contains(problem), qPrintable(message));
    }

    void loadedPool()
    {
        PoolFixture fixture({"a", "b"});
        QVector<qint64> done;
        QStringList warnings;
        JobContext context;
        context.onProgress = [&](qint64 d, qint64 total, const QString &) {
            QCOMPARE(total, qint64(3));
            done << d;
        };
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        const LoadedPool loaded = LoadedPool::load(fixture.poolFile(), context);
        QCOMPARE(loaded.taskCount(), 2);
        QCOMPARE(loaded.taskNames(), QStringList({"a", "b"}));
        QCOMPARE(loaded.heads.size(), size_t(2));
        QCOMPARE(done.last(), qint64(3));
        QVERIFY(std::is_sorted(done.begin(), done.end()));
        QVERIFY(warnings.isEmpty());
        const auto weights = loaded.taskWeights();
        QCOMPARE(weights.size(), size_t(2));
        QCOMPARE(weights[1], &loaded.tasks[1].vision);
        QCOMPARE(firstDifference(*weights[1], randomVisionWeights(tinyConfig(), 201)), QString());
        QCOMPARE(firstDifference(loaded.pretrained.vision, randomVisionWeights(tinyConfig(), 100)), QString());
    }

    void loadedPoolArchitectureMismatch()
    {
        PoolFixture fixture({"a", "b"});
        ClipVisionConfig narrower = tinyConfig();
        narrower.intermediateSize = 12;
        fixture.writeModel("models/b", narrower, 7);
        const QString message = errorOf([&] { LoadedPool::load(fixture.poolFile()); });
        QVERIFY2(message.startsWith(fixture.path("models/b") + ": ")
                     && message.contains("'vision_model.encoder.layers.0.mlp.fc1.bias' has shape [12]"),
                 qPrintable(message));
    }

    void loadedPoolHeadMismatch()
    {
        PoolFixture fixture({"a", "b"});
        makeHead(3, tinyConfig().hiddenSize, 9).save(fixture.path("heads/b.safetensors")); // width, not projection
        const QString message = errorOf([&] { LoadedPool::load(fixture.poolFile()); });
        QVERIFY2(message.startsWith(fixture.path("heads/b.safetensors") + ": ")
                     && message.contains("takes 8 features, but the model outputs 4"),
                 qPrintable(message));
    }

    // A head of all-Inf weights makes every logit NaN: said when the pool loads.
    void loadedPoolWarnsAboutNonFiniteHeads()
    {
        PoolFixture fixture({"a", "b"});
        ClassificationHead head = makeHead(3, tinyConfig().projectionDim, 9);
        head.weight.fill_(std::numeric_limits<float>::infinity());
        head.bias = torch::tensor({0.0f, NAN, 0.0f});
        head.save(fixture.path("heads/b.safetensors"));
        QStringList warnings;
        JobContext context;
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        LoadedPool::load(fixture.poolFile(), context);
        QCOMPARE(warnings,
                 (QStringList{
                     fixture.path("heads/b.safetensors") + ": tensor 'bias' holds 1 NaN and 0 Inf value(s) of 3",
                     fixture.path("heads/b.safetensors") + ": tensor 'weight' holds 0 NaN and 12 Inf value(s) of 12"}));
    }

    void loadedPoolWarnsAboutNaN()
    {
        PoolFixture fixture({"a", "b"});
        fixture.writeModel("models/a", tinyConfig(), 11, [](TensorMap &vision) {
            vision["encoder.layers.1.self_attn.q_proj.weight"][2][5] = std::numeric_limits<float>::quiet_NaN();
        });
        QStringList warnings;
        JobContext context;
        context.onWarning = [&](const QString &warning) { warnings << warning; };
        LoadedPool::load(fixture.poolFile(), context);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(fixture.path("models/a"))
                     && warnings[0].contains("encoder.layers.1.self_attn.q_proj.weight")
                     && warnings[0].contains("1 NaN"),
                 qPrintable(warnings[0]));
    }

    void loadedPoolWithoutTasks()
    {
        PoolFixture fixture({});
        const QString message = errorOf([&] { LoadedPool::load(fixture.poolFile()); });
        QVERIFY2(message.startsWith(fixture.poolFile() + ": ") && message.contains("pool has no tasks"),
                 qPrintable(message));
    }

    void loadedPoolCancel()
    {
        PoolFixture fixture({"a", "b"});
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        int reports = 0;
        context.onProgress = [&](qint64 done, qint64, const QString &) {
            ++reports;
            if (done == 1)
                cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, LoadedPool::load(fixture.poolFile(), context));
        QCOMPARE(reports, 2); // 0 before the pretrained model, 1 after it
    }
};

QTEST_GUILESS_MAIN(TestModelPool)
#include "test_model_pool.moc"
