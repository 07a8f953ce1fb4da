// The quick demo zoo end to end on the real package files (needs
// `packaging/install-deps.sh --demo-data`): built into a temporary cache
// folder over an incomplete folder left at its place, loaded by LoadedPool,
// evaluated by PoolEvaluator (fine-tuned above pretrained), reused from the
// cache, never replaced by a cancelled or failed rebuild.
#include "common/error.h"
#include "eval/evaluator.h"
#include "merge/merge_spec.h"
#include "model/clip_vision_model.h"
#include "pool/loaded_pool.h"
#include "zoo/prediction_entropy.h"
#include "zoo/training_images.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_pool_builder.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtTest/QtTest>

#include <cmath>
#include <numeric>

using namespace wemoe;

namespace {

double mean(const QVector<double> &values)
{
    return std::accumulate(values.begin(), values.end(), 0.0) / std::max<qsizetype>(1, values.size());
}

QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestZooPool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quickZooEndToEnd()
    {
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        ZooBuildOptions options;
        options.quick = true;
        options.cacheFolder = cache.path();
        const QString folder = zooFolder(options);
        QVERIFY(folder.startsWith(cache.path()));
        QVERIFY(folder.endsWith(QStringLiteral("-quick")));
        QVERIFY(builtZooPoolFile(options).isEmpty());

        // An interrupted build's leftovers at the zoo's place: not a zoo.
        QVERIFY(QDir().mkpath(QDir(folder).filePath(QStringLiteral("models"))));
        QFile junk(QDir(folder).filePath(QStringLiteral("pool.json")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("{ half a pool");
        junk.close();
        QVERIFY(builtZooPoolFile(options).isEmpty());

        qint64 lastDone = -1;
        qint64 lastTotal = 0;
        bool monotonic = true;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            monotonic = monotonic && done >= lastDone && done <= total;
            lastDone = done;
            lastTotal = total;
        };
        const ZooBuildResult built = buildZoo(options, context);
        QVERIFY(!built.reused);
        QVERIFY(monotonic);
        QCOMPARE(lastDone, lastTotal);
        QCOMPARE(built.folder, folder);
        QCOMPARE(builtZooPoolFile(options), built.poolFile);
        QVERIFY(isCompleteZoo(folder));
        QCOMPARE(entriesOf(cache.path()), QStringList{QFileInfo(folder).fileName()}); // no staging, no lock left
        for (const char *file : {"README.md", "zoo.json", "pool.json", ".zoo-complete"})
            QVERIFY2(QFileInfo(QDir(folder).filePath(QString::fromLatin1(file))).isFile(), file);
        QFile readme(QDir(folder).filePath(QStringLiteral("README.md")));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString readmeText = QString::fromUtf8(readme.readAll());
        for (const char *credit : {"Fashion-MNIST", "NASA", "Openclipart", "Stellarium", "opencv-doc", "gimp-data"})
            QVERIFY2(readmeText.contains(QString::fromLatin1(credit)), credit);
        QCOMPARE(built.log.value(QStringLiteral("version")).toString(), zooRecipe(options).version());

        const LoadedPool pool = LoadedPool::load(built.poolFile);
        QCOMPARE(pool.taskNames(),
                 (QStringList{QStringLiteral("digits"), QStringLiteral("fashion"), QStringLiteral("deep_sky"),
                              QStringLiteral("biomes"), QStringLiteral("objects"), QStringLiteral("textures"),
                              QStringLiteral("road_signs"), QStringLiteral("house_numbers")}));
        QCOMPARE(pool.pretrained.config.hiddenSize, zooRecipe(options).model.hiddenSize);
        QCOMPARE(pool.pretrained.keyPrefix, QStringLiteral("vision_model."));
        for (int t = 0; t < pool.taskCount(); ++t) {
            QVERIFY(pool.heads[size_t(t)].clipStyle);
            if (zooRecipe(options).headTargetEntropy == 0.0)
                QCOMPARE(pool.heads[size_t(t)].logitScale, zooRecipe(options).headLogitScale);
            QVERIFY(
                pool.pool.tasks[t].testData.paths.first().startsWith(QDir(folder).filePath(QStringLiteral("data"))));
            QVERIFY(pool.pool.tasks[t].testData.paths.first().endsWith(QStringLiteral("/test")));
            // Fine-tuning moved the weights; the head rows are unit vectors.
            QVERIFY(!torch::equal(pool.tasks[size_t(t)].vision.at("encoder.layers.0.mlp.fc1.weight"),
                                  pool.pretrained.vision.at("encoder.layers.0.mlp.fc1.weight")));
            const torch::Tensor norms = pool.heads[size_t(t)].weight.norm(2, {1});
            QVERIFY(torch::allclose(norms, torch::ones_like(norms), 1e-4, 1e-5));
            if (zooRecipe(options).finetuneMlpOnly)
                QVERIFY(torch::equal(pool.tasks[size_t(t)].vision.at("encoder.layers.0.self_attn.q_proj.weight"),
                                     pool.pretrained.vision.at("encoder.layers.0.self_attn.q_proj.weight")));
        }
        if (zooRecipe(options).headTargetEntropy > 0.0) {
            // The calibrated scale, end to end: the pretrained model's mean entropy on
            // the digits train split, through the written head, is the recipe's target.
            torch::NoGradGuard noGrad;
            const ClassificationHead &head = pool.heads[0];
            const TrainingImages train = loadTrainingImages(
                DataSource::imageFolder(QDir(folder).filePath(QStringLiteral("data/digits/train"))), head.classNames,
                32, pool.pool.normalization);
            const torch::Tensor logits = head.logits(
                ClipVisionModel(pool.pretrained.config, pool.pretrained.vision, torch::kCPU).encode(train.images));
            const double entropy =
                -(torch::softmax(logits, 1) * torch::log_softmax(logits, 1)).sum(1).mean().item<double>()
                / std::log(double(head.numClasses()));
            QVERIFY2(std::abs(entropy - zooRecipe(options).headTargetEntropy) < 1e-3,
                     qPrintable(QString::number(entropy)));
        }

        EvalOptions evalOptions;
        const PoolEvaluator evaluator(pool, evalOptions);
        MergeSpec pretrained;
        pretrained.method = MergeSpec::Method::Pretrained;
        MergeSpec individual;
        individual.method = MergeSpec::Method::Individual;
        const QVector<double> before = evaluator.evaluateMethod(pretrained);
        const QVector<double> after = evaluator.evaluateMethod(individual);
        QCOMPARE(after.size(), 8);
        QVERIFY2(mean(after) > mean(before),
                 qPrintable(QStringLiteral("individual %1 vs pretrained %2").arg(mean(after)).arg(mean(before))));

        // The entropy matrix agrees with the evaluator on the diagonal.
        const CrossTaskMeasures measures = measureCrossTask(pool, 128);
        QCOMPARE(measures.modelNames.size(), 9);
        for (int t = 0; t < 8; ++t) {
            QVERIFY(std::abs(measures.accuracy[t + 1][t] - after[t]) < 1e-9);
            QVERIFY(std::abs(measures.accuracy[0][t] - before[t]) < 1e-9);
            for (int m = 0; m < 9; ++m)
                QVERIFY(measures.normalizedEntropy[m][t] >= 0.0 && measures.normalizedEntropy[m][t] <= 1.0 + 1e-6);
        }

        // Built: the next call reuses it.
        const ZooBuildResult again = buildZoo(options);
        QVERIFY(again.reused);
        QCOMPARE(again.poolFile, built.poolFile);

        // A forced rebuild that is cancelled leaves the finished zoo as it was.
        std::atomic<bool> cancel{false};
        JobContext cancelling;
        cancelling.cancelFlag = &cancel;
        cancelling.onProgress = [&](qint64 done, qint64, const QString &) {
            if (done > 0)
                cancel = true;
        };
        options.force = true;
        QVERIFY_THROWS_EXCEPTION(Cancelled, buildZoo(options, cancelling));
        QVERIFY(isCompleteZoo(folder));
        QCOMPARE(entriesOf(cache.path()), QStringList{QFileInfo(folder).fileName()});
        LoadedPool::load(built.poolFile);

        // A rebuild whose package files are missing fails clearly and leaves nothing behind.
        QTemporaryDir emptyRoot;
        options.systemRoot = emptyRoot.path();
        QVERIFY_THROWS_EXCEPTION(Error, buildZoo(options));
        QVERIFY(isCompleteZoo(folder));
        QCOMPARE(entriesOf(cache.path()), QStringList{QFileInfo(folder).fileName()});
    }
};

QTEST_MAIN(TestZooPool)
#include "test_zoo_pool.moc"
