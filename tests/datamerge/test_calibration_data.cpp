// CalibrationData: which images a data-based merge learns from (train_data,
// or test images only when asked), how many, which ones for a seed, and the
// words the table's row uses for them.

#include "common/error.h"
#include "datamerge/calibration_data.h"
#include "demo/synthetic_pool.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace wemoe;

namespace {

QStringList sampleNames(const ImageDataset &dataset)
{
    QStringList names;
    for (int i = 0; i < dataset.size(); ++i)
        names << dataset.sampleName(i);
    return names;
}

} // namespace

class TestCalibrationData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_withTrain;    // trained tasks, train_data named
    QString m_withoutTrain; // test images only
    int m_trainPerTask = 0;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        SyntheticPoolOptions options;
        options.tasks = 3;
        options.classes = 3;
        options.imagesPerClass = 4;
        options.fineTuneSteps = 2;
        options.writeTrainImages = true;
        m_withTrain = writeSyntheticPool(m_dir.filePath(QStringLiteral("train")), options);
        m_trainPerTask = options.classes * 2 * options.imagesPerClass; // the writer's train share: 2 per test image
        options.writeTrainImages = false;
        m_withoutTrain = writeSyntheticPool(m_dir.filePath(QStringLiteral("test-only")), options);
    }

    void trainImagesComeFromTheTrainFolders()
    {
        const LoadedPool pool = LoadedPool::load(m_withTrain);
        CalibrationOptions options;
        options.examplesPerTask = 1000; // more than there are: all of them
        const CalibrationData data = CalibrationData::open(pool, options);
        QCOMPARE(data.taskCount(), 3);
        qint64 total = 0;
        for (int t = 0; t < data.taskCount(); ++t) {
            QVERIFY(!data.usesTestImages(t));
            QCOMPARE(data.dataset(t).size(), m_trainPerTask);
            QVERIFY2(data.dataset(t).sampleName(0).contains(QStringLiteral("/train/")),
                     qPrintable(data.dataset(t).sampleName(0)));
            total += data.dataset(t).size();
        }
        QCOMPARE(data.totalImages(), total);
        QVERIFY(data.tasksUsingTestImages().isEmpty());
        QCOMPARE(describeCalibration(options), QStringLiteral("1000 train images/task"));
    }

    void aTaskWithoutTrainDataIsAnErrorUnlessTestImagesAreAllowed()
    {
        const LoadedPool pool = LoadedPool::load(m_withoutTrain);
        const QString message = test::errorOf([&] { CalibrationData::open(pool, CalibrationOptions{}); });
        QVERIFY2(message.contains(pool.pool.tasks.first().name), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("train_data")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("data=train_or_test")), qPrintable(message));

        CalibrationOptions fallback;
        fallback.images = CalibrationImages::TrainOrTest;
        fallback.examplesPerTask = 5;
        const CalibrationData data = CalibrationData::open(pool, fallback);
        for (int t = 0; t < data.taskCount(); ++t) {
            QVERIFY(data.usesTestImages(t));
            QCOMPARE(data.dataset(t).size(), 5);
            QVERIFY(data.dataset(t).sampleName(0).contains(QStringLiteral("/test/")));
        }
        QCOMPARE(data.tasksUsingTestImages(), pool.taskNames());
        QCOMPARE(describeCalibration(fallback), QStringLiteral("5 train-or-test images/task"));
    }

    void mixedPoolsSayWhichTasksUsedTestImages()
    {
        LoadedPool pool = LoadedPool::load(m_withTrain);
        pool.pool.tasks[1].trainData = DataSource{};
        CalibrationOptions options;
        options.images = CalibrationImages::TrainOrTest;
        options.examplesPerTask = 7;
        const CalibrationData data = CalibrationData::open(pool, options);
        QVERIFY(!data.usesTestImages(0));
        QVERIFY(data.usesTestImages(1));
        QVERIFY(!data.usesTestImages(2));
        QCOMPARE(data.tasksUsingTestImages(), QStringList{pool.pool.tasks[1].name});

        options.images = CalibrationImages::Test;
        const CalibrationData test = CalibrationData::open(pool, options);
        for (int t = 0; t < test.taskCount(); ++t)
            QVERIFY(test.usesTestImages(t));
        QCOMPARE(describeCalibration(options), QStringLiteral("7 test images/task"));
    }

    void theSeedPicksTheImages()
    {
        const LoadedPool pool = LoadedPool::load(m_withTrain);
        CalibrationOptions options;
        options.examplesPerTask = 6;
        options.seed = 11;
        const CalibrationData a = CalibrationData::open(pool, options);
        const CalibrationData b = CalibrationData::open(pool, options);
        options.seed = 12;
        const CalibrationData c = CalibrationData::open(pool, options);
        QCOMPARE(sampleNames(a.dataset(0)), sampleNames(b.dataset(0)));
        QVERIFY(sampleNames(a.dataset(0)) != sampleNames(c.dataset(0)));
        const QStringList names = sampleNames(a.dataset(0));
        QCOMPARE(names.size(), 6);
        QCOMPARE(QSet<QString>(names.cbegin(), names.cend()).size(), 6); // drawn without replacement
    }

    void batchesCoverTheSubsetInOrder()
    {
        const LoadedPool pool = LoadedPool::load(m_withTrain);
        CalibrationOptions options;
        options.examplesPerTask = 10;
        options.batchSize = 4;
        const CalibrationData data = CalibrationData::open(pool, options);
        QCOMPARE(data.batchCount(0), 3);
        const int size = pool.pretrained.config.imageSize;
        QCOMPARE(data.batch(0, 0).sizes().vec(), (std::vector<int64_t>{4, 3, size, size}));
        QCOMPARE(data.batch(0, 2).size(0), 2); // 10 = 4 + 4 + 2
        // Batch 1's second image is the subset's sixth, decoded on its own.
        const ImagePreprocessor preprocessor(size, pool.pool.normalization);
        const auto alone = preprocessor.fromEncoded(data.dataset(0).encodedImage(5), data.dataset(0).sampleName(5));
        QVERIFY(torch::equal(data.batch(0, 1)[1], alone));
    }

    void badCountsAreRefused()
    {
        const LoadedPool pool = LoadedPool::load(m_withTrain);
        CalibrationOptions options;
        options.examplesPerTask = 0;
        QVERIFY(test::errorOf([&] { CalibrationData::open(pool, options); }).contains(QStringLiteral("at least 1")));
        options.examplesPerTask = 4;
        options.batchSize = 0;
        QVERIFY(test::errorOf([&] { CalibrationData::open(pool, options); }).contains(QStringLiteral("batch")));
    }
};

QTEST_GUILESS_MAIN(TestCalibrationData)
#include "test_calibration_data.moc"
