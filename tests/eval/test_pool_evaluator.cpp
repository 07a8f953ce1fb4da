// PoolEvaluator against a naive evaluation written here: one image at a time,
// decoded and classified by hand-called engine pieces, counted in a loop.

#include "common/error.h"
#include "data/image_folder_dataset.h"
#include "data/image_preprocessor.h"
#include "demo/synthetic_pool.h"
#include "eval/evaluator.h"
#include "merge/merge_methods.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

#include <atomic>

using namespace wemoe;

namespace {

double naiveAccuracy(const LoadedPool &pool, const TensorMap &vision, int task)
{
    torch::NoGradGuard noGrad;
    const ClipVisionModel model(pool.pretrained.config, vision, torch::kCPU);
    const ImagePreprocessor preprocessor(pool.pretrained.config.imageSize, pool.pool.normalization);
    const auto dataset = ImageFolderDataset::open(pool.pool.tasks.at(task).testData.paths.first(),
                                                  pool.heads.at(task).classNames);
    int correct = 0;
    for (const auto &sample : dataset.samples()) {
        const auto features = model.encode(preprocessor.load(sample.file).unsqueeze(0));
        const auto logits = pool.heads.at(task).logits(features);
        correct += logits.argmax(1).item<int64_t>() == sample.label ? 1 : 0;
    }
    return double(correct) / dataset.size();
}

} // namespace

class TestPoolEvaluator : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_poolFile;

private Q_SLOTS:
    void initTestCase()
    {
        SyntheticPoolOptions options;
        options.tasks = 2;
        options.classes = 3;
        options.imagesPerClass = 5;
        m_poolFile = writeSyntheticPool(m_dir.filePath(QStringLiteral("pool")), options);
    }

    void matchesOneImageAtATime()
    {
        const auto pool = LoadedPool::load(m_poolFile);
        EvalOptions options;
        options.batchSize = 4; // several batches and a partial last one
        const PoolEvaluator evaluator(pool, options);

        const auto pretrained = evaluator.evaluateModel(pool.pretrained.vision);
        MergeInputs inputs{&pool.pretrained.vision, pool.taskWeights()};
        const auto merged = taskArithmetic(inputs, 0.3);
        const auto ta = evaluator.evaluateModel(merged);
        for (int t = 0; t < pool.taskCount(); ++t) {
            QCOMPARE(pretrained[t], naiveAccuracy(pool, pool.pretrained.vision, t));
            QCOMPARE(ta[t], naiveAccuracy(pool, merged, t));
        }
        // The synthetic pool's labels come from each task's own model.
        MergeSpec individual;
        individual.method = MergeSpec::Method::Individual;
        QCOMPARE(evaluator.evaluateMethod(individual), (QVector<double>{1.0, 1.0}));
    }

    void progressCoversAllTasksAndCancelStops()
    {
        const auto pool = LoadedPool::load(m_poolFile);
        const PoolEvaluator evaluator(pool, EvalOptions{});
        qint64 last = 0;
        qint64 total = 0;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 all, const QString &) {
            QVERIFY(done >= last);
            last = done;
            total = all;
        };
        evaluator.evaluateModel(pool.pretrained.vision, context);
        QCOMPARE(total, evaluator.totalImages());
        QCOMPARE(last, total);

        std::atomic<bool> cancel{true};
        JobContext cancelled;
        cancelled.cancelFlag = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, evaluator.evaluateModel(pool.pretrained.vision, cancelled));
    }

    void headClassesMustMatchFolders()
    {
        QTemporaryDir dir;
        SyntheticPoolOptions options;
        options.tasks = 1;
        options.classes = 2;
        options.imagesPerClass = 1;
        const QString poolFile = writeSyntheticPool(dir.filePath(QStringLiteral("p")), options);
        QVERIFY(QDir().rename(dir.filePath(QStringLiteral("p/data/alpha/test/class1")),
                              dir.filePath(QStringLiteral("p/data/alpha/test/cat"))));
        const auto pool = LoadedPool::load(poolFile);
        try {
            PoolEvaluator evaluator(pool, EvalOptions{});
            QFAIL("a folder that is not one of the head's classes was accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().contains(QLatin1String("cat")) && e.message().contains(QLatin1String("class1")),
                     qPrintable(e.message()));
        }
    }
};

QTEST_GUILESS_MAIN(TestPoolEvaluator)
#include "test_pool_evaluator.moc"
