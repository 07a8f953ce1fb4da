// Test images as researchers have them: Hugging Face datasets' Parquet files
// (one row per image, the encoded bytes and a label, class names in the
// metadata), from a file, a folder of shards or a hub cache name, decoded
// exactly as the same images in an image folder, with every problem named.

#include "data/batch_loader.h"
#include "data/dataset_subset.h"
#include "data/hugging_face_features.h"
#include "data/image_folder_dataset.h"
#include "data/open_dataset.h"
#include "data/parquet_dataset.h"
#include "data/row_group_cache.h"
#include "data/sample_images.h"
#include "io/data_source.h"
#include "parquet/parquet_file.h"

#include "common/error.h"
#include "parquet_writer.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <torch/torch.h>

#include <ATen/Parallel.h>

#include <mutex>
#include <numeric>
#include <set>
#include <thread>

using namespace wemoe;
using namespace wemoe::test;

namespace {

constexpr int kImageSize = 8;
const QStringList kClasses{QStringLiteral("annual crop"), QStringLiteral("forest"), QStringLiteral("sea lake")};

QByteArray encoded(const cv::Mat &image, const char *extension)
{
    std::vector<uchar> bytes;
    if (!cv::imencode(extension, image, bytes))
        return {};
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

// Images of every kind the decoder must bring to RGB: colour PNG and JPEG,
// grey PNG and JPEG, RGBA, 16-bit; sizes that need resizing and cropping.
QVector<QByteArray> assortedImages(int count)
{
    QVector<QByteArray> images;
    cv::RNG random(12345);
    for (int i = 0; i < count; ++i) {
        const int width = 6 + (i * 5) % 17;
        const int height = 7 + (i * 3) % 13;
        switch (i % 6) {
        case 0: {
            cv::Mat colour(height, width, CV_8UC3);
            random.fill(colour, cv::RNG::UNIFORM, 0, 256);
            images << encoded(colour, ".png");
            break;
        }
        case 1: {
            cv::Mat colour(height, width, CV_8UC3);
            random.fill(colour, cv::RNG::UNIFORM, 0, 256);
            images << encoded(colour, ".jpg");
            break;
        }
        case 2: {
            cv::Mat grey(height, width, CV_8UC1);
            random.fill(grey, cv::RNG::UNIFORM, 0, 256);
            images << encoded(grey, ".png");
            break;
        }
        case 3: {
            cv::Mat rgba(height, width, CV_8UC4);
            random.fill(rgba, cv::RNG::UNIFORM, 0, 256);
            images << encoded(rgba, ".png");
            break;
        }
        case 4: {
            cv::Mat grey(height, width, CV_8UC1);
            random.fill(grey, cv::RNG::UNIFORM, 0, 256);
            images << encoded(grey, ".jpg");
            break;
        }
        default: {
            cv::Mat deep(height, width, CV_16UC3);
            random.fill(deep, cv::RNG::UNIFORM, 0, 65536);
            images << encoded(deep, ".png");
            break;
        }
        }
    }
    return images;
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QVERIFY2(writeFileBytes(path, bytes), qPrintable(path));
}

// An image dataset whose decoding notes the threads it runs on.
class ThreadRecordingDataset : public ImageDataset
{
public:
    explicit ThreadRecordingDataset(QVector<QByteArray> images)
        : m_images(std::move(images))
    {
    }
    QString source() const override { return QStringLiteral("recording"); }
    const QStringList &classNames() const override { return kClasses; }
    int size() const override { return m_images.size(); }
    int label(int index) const override { return index % 3; }
    QByteArray encodedImage(int index) const override
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_threads.insert(std::this_thread::get_id());
        return m_images.at(index);
    }
    QString sampleName(int index) const override { return QStringLiteral("image %1").arg(index); }
    std::size_t threadsUsed() const { return m_threads.size(); }

private:
    QVector<QByteArray> m_images;
    mutable std::mutex m_mutex;
    mutable std::set<std::thread::id> m_threads;
};

} // namespace

class TestParquetDataset : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QVector<QByteArray> m_images;
    std::vector<int> m_labels;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    std::vector<HfImageRow> rows(int first, int count) const
    {
        std::vector<HfImageRow> out;
        for (int i = first; i < first + count; ++i) {
            HfImageRow row;
            row.bytes = m_images[i];
            row.path = QStringLiteral("%1.png").arg(i);
            row.label = m_labels[static_cast<std::size_t>(i)];
            out.push_back(row);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_images = assortedImages(24);
        for (int i = 0; i < m_images.size(); ++i) {
            QVERIFY(!m_images[i].isEmpty());
            m_labels.push_back((i * 7) % 3);
        }
    }

    // The same images as an image folder and as Parquet (two shards, small row
    // groups, every codec): the same tensors and labels, batch by batch.
    void parquetMatchesTheImageFolder_data()
    {
        QTest::addColumn<int>("codec");
        QTest::addColumn<int>("pageVersion");
        QTest::addColumn<bool>("dictionary");
        QTest::newRow("uncompressed v1") << 0 << 1 << false;
        QTest::newRow("snappy v1") << 1 << 1 << false;
        QTest::newRow("gzip v2") << 2 << 2 << false;
        QTest::newRow("zstd v2 dictionary") << 6 << 2 << true;
    }
    void parquetMatchesTheImageFolder()
    {
        QFETCH(int, codec);
        QFETCH(int, pageVersion);
        QFETCH(bool, dictionary);
        const QString folder = path(QStringLiteral("folder-%1").arg(QTest::currentDataTag()));
        // Image folders list a class's files in name order: name them so that
        // order is the Parquet rows' order (class by class).
        std::vector<int> order(m_images.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return m_labels[std::size_t(a)] < m_labels[std::size_t(b)]; });
        std::vector<HfImageRow> sorted;
        for (const int i : order) {
            const QString className = QString(kClasses[m_labels[std::size_t(i)]]).replace(' ', '_');
            writeBytes(QStringLiteral("%1/%2/%3.png").arg(folder, className).arg(i, 3, 10, QLatin1Char('0')),
                       m_images[i]);
            sorted.push_back(rows(i, 1).front());
        }
        ParquetWriteOptions options;
        options.codec = codec;
        options.pageVersion = pageVersion;
        options.dictionary = dictionary;
        options.rowsPerRowGroup = 5;
        options.rowsPerPage = 2;
        const QString shards = path(QStringLiteral("shards-%1").arg(QTest::currentDataTag()));
        const auto half = static_cast<std::ptrdiff_t>(sorted.size() / 2);
        writeBytes(shards + QStringLiteral("/test-00000-of-00002.parquet"),
                   huggingFaceImageParquet({sorted.begin(), sorted.begin() + half}, kClasses, options));
        writeBytes(shards + QStringLiteral("/test-00001-of-00002.parquet"),
                   huggingFaceImageParquet({sorted.begin() + half, sorted.end()}, kClasses, options));

        const DataSource folderSource = resolveDataSource(folder, QString());
        const DataSource parquetSource = resolveDataSource(shards, QString());
        QVERIFY(!folderSource.isParquet());
        QVERIFY(parquetSource.isParquet());
        QCOMPARE(parquetSource.paths.size(), 2);
        const SharedImageDataset fromFolder = openImageDataset(folderSource, kClasses);
        const SharedImageDataset fromParquet = openImageDataset(parquetSource, kClasses);
        QCOMPARE(fromParquet->size(), m_images.size());
        QCOMPARE(fromParquet->classNames(), kClasses);
        QCOMPARE(classNamesOf(parquetSource), kClasses);

        const ImagePreprocessor preprocess(kImageSize, Normalization{});
        const BatchLoader a(*fromFolder, preprocess, 7);
        const BatchLoader b(*fromParquet, preprocess, 7);
        QCOMPARE(b.batchCount(), a.batchCount());
        for (int i = 0; i < a.batchCount(); ++i) {
            const auto x = a.batch(i);
            const auto y = b.batch(i);
            QVERIFY(torch::equal(x.images, y.images));
            QVERIFY(torch::equal(x.labels, y.labels));
        }
        // And the bytes are the very bytes written.
        for (int i = 0; i < fromParquet->size(); ++i)
            QCOMPARE(fromParquet->encodedImage(i), sorted[std::size_t(i)].bytes.value());
    }

    // A routing capture names its images by sample name; the studio reads
    // them again for thumbnails, from files and from Parquet rows alike.
    void sampleNamesLeadBackToTheirImages()
    {
        const QString shards = path(QStringLiteral("thumbnails"));
        ParquetWriteOptions options;
        options.codec = 1;
        options.rowsPerRowGroup = 4;
        writeBytes(shards + QStringLiteral("/a.parquet"), huggingFaceImageParquet(rows(0, 10), kClasses, options));
        writeBytes(shards + QStringLiteral("/b.parquet"), huggingFaceImageParquet(rows(10, 6), kClasses, options));
        const auto dataset = ParquetDataset::open(resolveDataSource(shards, QString()), kClasses);
        SampleImageReader reader;
        for (const int i : {0, 5, 9, 3, 10, 15, 2}) // across row groups and files, back and forth
            QCOMPARE(reader.read(dataset->sampleName(i)), m_images[i]);
        const QString file = path(QStringLiteral("one.png"));
        writeBytes(file, m_images[1]);
        QCOMPARE(reader.read(file), m_images[1]);
        QString problem = errorOf([&] { reader.read(shards + QStringLiteral("/b.parquet, row 6")); });
        QVERIFY2(problem == shards + QStringLiteral("/b.parquet: has no row 6 (6 rows)"), qPrintable(problem));
        problem = errorOf([&] { reader.read(path(QStringLiteral("gone.png"))); });
        QVERIFY2(problem.startsWith(path(QStringLiteral("gone.png"))), qPrintable(problem));
    }

    // Labels follow the head's order, matched by name, with '_' read as a space.
    void labelsFollowTheHeadsClassOrder()
    {
        const QString file = path(QStringLiteral("reordered.parquet"));
        const QStringList fileClasses{QStringLiteral("sea_lake"), QStringLiteral("annual crop"),
                                      QStringLiteral("forest")};
        writeBytes(file, huggingFaceImageParquet(rows(0, 6), fileClasses));
        const auto dataset = ParquetDataset::open(resolveDataSource(file, QString()), kClasses);
        const int toHead[3] = {2, 0, 1};
        for (int i = 0; i < 6; ++i)
            QCOMPARE(dataset->label(i), toHead[m_labels[std::size_t(i)]]);
        // Without the head's classes, the file's own order.
        const auto own = ParquetDataset::open(resolveDataSource(file, QString()));
        QCOMPARE(own->classNames(), fileClasses);
        QCOMPARE(own->label(1), m_labels[1]);

        const QString problem = errorOf([&] {
            ParquetDataset::open(resolveDataSource(file, QString()),
                                 {QStringLiteral("annual crop"), QStringLiteral("forest"), QStringLiteral("river")});
        });
        QVERIFY2(problem.contains(file) && problem.contains(QStringLiteral("the head has no class 'sea_lake'")),
                 qPrintable(problem));
    }

    // Files without class names take the head's; with neither, a clear message.
    void filesWithoutClassNames()
    {
        const QString file = path(QStringLiteral("unnamed.parquet"));
        writeBytes(file, huggingFaceImageParquet(rows(0, 4), {}));
        QVERIFY(classNamesOf(resolveDataSource(file, QString())).isEmpty());
        const auto dataset = ParquetDataset::open(resolveDataSource(file, QString()), kClasses);
        QCOMPARE(dataset->classNames(), kClasses);
        QCOMPARE(dataset->label(2), m_labels[2]);
        const QString problem = errorOf([&] { ParquetDataset::open(resolveDataSource(file, QString())); });
        QVERIFY2(problem.startsWith(file) && problem.contains(QStringLiteral("names no classes")), qPrintable(problem));
    }

    // The Hugging Face cache: datasets--ORG--NAME, refs/main, snapshot, data/SPLIT-*.parquet.
    void hubNamesWithASplit()
    {
        const QString cache = path(QStringLiteral("hub"));
        const QString revision = QStringLiteral("0123456789abcdef0123456789abcdef01234567");
        const QString repo = cache + QStringLiteral("/datasets--test-org--scenes");
        writeBytes(repo + QStringLiteral("/refs/main"), revision.toLatin1());
        const QString data = repo + QStringLiteral("/snapshots/") + revision + QStringLiteral("/data");
        writeBytes(data + QStringLiteral("/test-00001-of-00002.parquet"),
                   huggingFaceImageParquet(rows(3, 3), kClasses));
        writeBytes(data + QStringLiteral("/test-00000-of-00002.parquet"),
                   huggingFaceImageParquet(rows(0, 3), kClasses));
        writeBytes(data + QStringLiteral("/train-00000-of-00001.parquet"),
                   huggingFaceImageParquet(rows(6, 4), kClasses));
        qputenv("HF_HUB_CACHE", cache.toUtf8());

        QVERIFY(isHubDatasetName(QStringLiteral("test-org/scenes:test")));
        QVERIFY(isHubDatasetName(QStringLiteral("test-org/scenes@main:test")));
        QVERIFY(!isHubDatasetName(QStringLiteral("test-org/scenes")));
        QVERIFY(!isHubDatasetName(QStringLiteral("/abs/scenes:test")));
        QVERIFY(!isHubDatasetName(QStringLiteral("test-org/scenes:..")));
        // What `wemoe info` and `wemoe heads` take for Parquet data rather than a model or a list.
        QVERIFY(namesParquetData(QStringLiteral("test-org/scenes:test"), m_dir.path()));
        QVERIFY(namesParquetData(data, m_dir.path()));
        QVERIFY(namesParquetData(data + QStringLiteral("/train-00000-of-00001.parquet"), QString()));
        QVERIFY(!namesParquetData(cache, QString())); // only its sub-folders hold Parquet files
        QVERIFY(!namesParquetData(QStringLiteral("test-org/scenes"), m_dir.path())); // a model's name

        const DataSource test = resolveDataSource(QStringLiteral("test-org/scenes:test"), m_dir.path());
        QVERIFY(test.isParquet());
        QCOMPARE(test.hubName, QStringLiteral("test-org/scenes:test"));
        QCOMPARE(test.paths.size(), 2);
        QVERIFY(test.paths[0].endsWith(QStringLiteral("test-00000-of-00002.parquet"))); // shards in order
        const auto dataset = ParquetDataset::open(test, kClasses);
        QCOMPARE(dataset->size(), 6);
        QCOMPARE(dataset->label(4), m_labels[4]);
        QVERIFY(dataset->sampleName(4).endsWith(QStringLiteral("test-00001-of-00002.parquet, row 1")));
        QCOMPARE(resolveDataSource(QStringLiteral("test-org/scenes:train"), m_dir.path()).paths.size(), 1);

        QString problem = errorOf(
            [&] { resolveDataSource(QStringLiteral("test-org/scenes:validation"), m_dir.path()); });
        QVERIFY2(problem.contains(QStringLiteral("splits there: test, train")), qPrintable(problem));
        problem = errorOf([&] { resolveDataSource(QStringLiteral("test-org/absent:test"), m_dir.path()); });
        QVERIFY2(problem.startsWith(QStringLiteral("test-org/absent:test")) && problem.contains(cache),
                 qPrintable(problem));
        qunsetenv("HF_HUB_CACHE");
    }

    // Each kind of bad data gets one message naming the file (and the row).
    void badDataIsNamed()
    {
        // A label outside the class names.
        std::vector<HfImageRow> bad = rows(0, 4);
        bad[2].label = 7;
        const QString outOfRange = path(QStringLiteral("out-of-range.parquet"));
        writeBytes(outOfRange, huggingFaceImageParquet(bad, kClasses));
        QString problem = errorOf([&] { ParquetDataset::open(resolveDataSource(outOfRange, QString())); });
        QVERIFY2(problem == outOfRange + QStringLiteral(": row 2: label 7 is outside the 3 class names"),
                 qPrintable(problem));

        // A null label.
        bad = rows(0, 4);
        bad[3].label.reset();
        const QString nullLabel = path(QStringLiteral("null-label.parquet"));
        writeBytes(nullLabel, huggingFaceImageParquet(bad, kClasses));
        problem = errorOf([&] { ParquetDataset::open(resolveDataSource(nullLabel, QString())); });
        QVERIFY2(problem == nullLabel + QStringLiteral(": row 3: the label is null"), qPrintable(problem));

        // An image that does not decode, and a null image: named by row when a batch needs them.
        bad = rows(0, 6);
        bad[4].bytes = QByteArray("not an image at all");
        bad[5].imageNull = true;
        bad[5].bytes.reset();
        const QString broken = path(QStringLiteral("broken-image.parquet"));
        writeBytes(broken, huggingFaceImageParquet(bad, kClasses));
        const auto dataset = ParquetDataset::open(resolveDataSource(broken, QString()));
        const ImagePreprocessor preprocess(kImageSize, Normalization{});
        problem = errorOf([&] { BatchLoader(*dataset, preprocess, 6).batch(0); });
        QVERIFY2(problem.startsWith(broken + QStringLiteral(", row 4: not a decodable image")), qPrintable(problem));
        problem = errorOf([&] { BatchLoader(*dataset, preprocess, 1, {5}).batch(0); });
        QVERIFY2(problem == broken + QStringLiteral(", row 5: the image is null"), qPrintable(problem));

        // A schema without the columns: say which exist.
        const QString noLabel = path(QStringLiteral("no-label.parquet"));
        ParquetFixtureTable table;
        table.columns.push_back(ParquetFixtureColumn::ofBytes(QStringLiteral("picture"), {QByteArray("x")}));
        table.columns.push_back(ParquetFixtureColumn::ofIntegers(QStringLiteral("target"), parquet_ids::Int64, {1}));
        writeBytes(noLabel, parquetFileBytes(table));
        problem = errorOf([&] { ParquetDataset::open(resolveDataSource(noLabel, QString()), kClasses); });
        QVERIFY2(problem.startsWith(noLabel
                                    + QStringLiteral(": not an image classification dataset: it has no "
                                                     "image column 'image'"))
                     && problem.contains(QStringLiteral("and no label column 'label'; its columns are: picture, "
                                                        "target")),
                 qPrintable(problem));

        // Shards that disagree about the classes.
        const QString mixed = path(QStringLiteral("mixed"));
        writeBytes(mixed + QStringLiteral("/a.parquet"), huggingFaceImageParquet(rows(0, 2), kClasses));
        writeBytes(mixed + QStringLiteral("/b.parquet"), huggingFaceImageParquet(rows(2, 2), kClasses.mid(0, 2)));
        problem = errorOf([&] { ParquetDataset::open(resolveDataSource(mixed, QString())); });
        QVERIFY2(problem.startsWith(mixed + QStringLiteral("/b.parquet")) && problem.contains(QStringLiteral("differ")),
                 qPrintable(problem));

        // Not Parquet at all, and a path that is neither data nor there.
        const QString fake = path(QStringLiteral("fake.parquet"));
        writeBytes(fake, QByteArray("PAR1 but not really a parquet file"));
        problem = errorOf([&] { ParquetDataset::open(resolveDataSource(fake, QString())); });
        QVERIFY2(problem.startsWith(fake + QStringLiteral(": ")), qPrintable(problem));
        problem = errorOf([&] { resolveDataSource(QStringLiteral("no/such/folder"), m_dir.path()); });
        QVERIFY2(problem.startsWith(QStringLiteral("no/such/folder: no such file or folder")), qPrintable(problem));
        const QString text = path(QStringLiteral("notes.txt"));
        writeBytes(text, QByteArray("x"));
        problem = errorOf([&] { resolveDataSource(text, QString()); });
        QVERIFY2(problem.contains(QStringLiteral("not test data")), qPrintable(problem));
    }

    // `datasets`' metadata, read by hand-written examples.
    void huggingFaceFeatures()
    {
        const HuggingFaceFeatures features = parseHuggingFaceFeatures(
            QStringLiteral(R"({"info": {"features": {"img": {"_type": "Image"}, "fine_label": {"names": ["a", "b"],
               "_type": "ClassLabel"}, "coarse": {"_type": "Value", "dtype": "int64"}}}})"),
            QStringLiteral("f"));
        QCOMPARE(features.imageColumn, QStringLiteral("img"));
        QCOMPARE(features.labelColumn, QStringLiteral("fine_label"));
        QCOMPARE(features.classNames, (QStringList{"a", "b"}));
        // Two class labels: the one named "label" wins.
        const HuggingFaceFeatures two = parseHuggingFaceFeatures(
            QStringLiteral(R"({"info": {"features": {"coarse": {"_type": "ClassLabel", "names": ["x"]},
               "label": {"_type": "ClassLabel", "names": ["p", "q"]}}}})"),
            QStringLiteral("f"));
        QCOMPARE(two.labelColumn, QStringLiteral("label"));
        QCOMPARE(two.classNames, (QStringList{"p", "q"}));
        QVERIFY(parseHuggingFaceFeatures(QStringLiteral("{}"), QStringLiteral("f")).labelColumn.isEmpty());
        QString problem = errorOf([] { parseHuggingFaceFeatures(QStringLiteral("{"), QStringLiteral("f.parquet")); });
        QVERIFY2(problem.startsWith(QStringLiteral("f.parquet: the \"huggingface\" metadata is not a JSON object")),
                 qPrintable(problem));
        problem = errorOf([] {
            parseHuggingFaceFeatures(QStringLiteral(R"({"info": {"features": {"label": {"_type": "ClassLabel",
                                                       "names": ["a", "a"]}}}})"),
                                     QStringLiteral("f"));
        });
        QVERIFY2(problem.contains(QStringLiteral("names the class 'a' twice")), qPrintable(problem));
    }

    // A seeded subset: the same samples every time, in the dataset's order.
    void seededSubsets()
    {
        const auto whole = std::make_shared<ThreadRecordingDataset>(m_images);
        const SharedImageDataset a = seededSubset(whole, 5, 42);
        const SharedImageDataset b = seededSubset(whole, 5, 42);
        const SharedImageDataset c = seededSubset(whole, 5, 43);
        QCOMPARE(a->size(), 5);
        QStringList namesA;
        QStringList namesB;
        QStringList namesC;
        for (int i = 0; i < 5; ++i) {
            namesA << a->sampleName(i);
            namesB << b->sampleName(i);
            namesC << c->sampleName(i);
            QCOMPARE(a->encodedImage(i), m_images.at(a->sampleName(i).mid(6).toInt()));
            QCOMPARE(a->label(i), a->sampleName(i).mid(6).toInt() % 3);
        }
        QCOMPARE(namesA, namesB);
        QVERIFY(namesA != namesC);
        // The first 5 of the engine's seeded shuffle, sorted.
        std::vector<int> expected = BatchLoader::shuffledOrder(whole->size(), 42);
        expected.resize(5);
        std::sort(expected.begin(), expected.end());
        for (int i = 0; i < 5; ++i)
            QCOMPARE(namesA[i], QStringLiteral("image %1").arg(expected[std::size_t(i)]));
        QCOMPARE(seededSubset(whole, 0, 1).get(), whole.get());
        QCOMPARE(seededSubset(whole, 1000, 1).get(), whole.get());
    }

    // The batch loader's decoding runs on more than one thread: the project
    // is compiled with OpenMP, so at::parallel_for is not a serial loop.
    void decodingRunsInParallel()
    {
        if (at::get_num_threads() < 2)
            QSKIP("needs two intra-op threads (OMP_NUM_THREADS=2)");
        const ThreadRecordingDataset dataset(m_images);
        const ImagePreprocessor preprocess(kImageSize, Normalization{});
        BatchLoader(dataset, preprocess, 16).batch(0);
        QVERIFY2(dataset.threadsUsed() >= 2, qPrintable(QString::number(dataset.threadsUsed())));
    }

    // The row-group cache reads each group once while it is held, keeps at
    // most its budget, and a failed read is retried.
    void rowGroupCache()
    {
        RowGroupCache cache(100);
        int reads = 0;
        const auto read = [&](int bytes) {
            return [&reads, bytes] {
                ++reads;
                ParquetColumnValues values;
                values.present = {true};
                values.bytes = {QByteArray(bytes, 'x')};
                return values;
            };
        };
        QCOMPARE(cache.get(1, read(60))->bytes[0].size(), 60);
        cache.get(1, read(60));
        QCOMPARE(reads, 1);
        cache.get(2, read(60)); // over budget: 1 goes
        QCOMPARE(reads, 2);
        cache.get(2, read(60));
        QCOMPARE(reads, 2);
        cache.get(1, read(60));
        QCOMPARE(reads, 3);
        bool failOnce = true;
        const auto flaky = [&]() -> ParquetColumnValues {
            if (failOnce) {
                failOnce = false;
                throw Error(QStringLiteral("damaged page"));
            }
            return read(10)();
        };
        QVERIFY_THROWS_EXCEPTION(Error, cache.get(3, flaky));
        QCOMPARE(cache.get(3, flaky)->bytes[0].size(), 10);
    }
};

QTEST_APPLESS_MAIN(TestParquetDataset)
#include "test_parquet_dataset.moc"
