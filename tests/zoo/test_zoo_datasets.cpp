// Every demo task built from the real package files (packaging/install-deps.sh
// --demo-data) with a few images per class: layout, counts, image format,
// held-out sources, determinism, and facts about the sources checked against
// knowledge from outside the code (Messier objects, the digit sheet's rows,
// the Fashion-MNIST label file read with zlib's own gz reader).
#include "common/error.h"
#include "data/image_folder_dataset.h"
#include "zoo/zoo_builder.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtGui/QGuiApplication>
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

#include <zlib.h>

#include <memory>

using namespace wemoe;

namespace {

constexpr int kTrainPerClass = 6;
constexpr int kTestPerClass = 3;

QMap<QString, QByteArray> filesUnderFolder(const QString &root)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            files.insert(QDir(root).relativeFilePath(path), file.readAll());
    }
    return files;
}

// Every source id of a split and class, drawn once each.
QStringList allSources(const DatasetGenerator &generator, ZooSplit split, int label)
{
    QStringList ids;
    SeededRandom random(1);
    for (int source = 0; source < generator.sourceCount(split, label); ++source)
        ids.append(generator.draw(split, label, source, 0, random).source);
    return ids;
}

// "X on photo.jpg" → the part before / after " on ".
QSet<QString> sourceParts(const QSet<QString> &ids, int part)
{
    QSet<QString> parts;
    for (const QString &id : ids) {
        const QStringList pieces = id.split(QStringLiteral(" on "));
        parts.insert(pieces.value(part));
    }
    return parts;
}

struct TaskRun
{
    DatasetRecipe recipe;
    std::unique_ptr<DatasetGenerator> generator;
    DatasetManifest manifest;
    std::unique_ptr<QTemporaryDir> root;
};

// Builds the task and checks what every task must satisfy; QTest failures inside
// leave `ok` false so the caller can stop.
TaskRun buildAndCheck(const QString &name, bool &ok)
{
    ok = false;
    TaskRun run;
    run.recipe = demoZooRecipe(name);
    run.generator = run.recipe.load(QStringLiteral("/"), {});
    run.root = std::make_unique<QTemporaryDir>();
    DatasetBuildOptions options;
    options.trainPerClass = kTrainPerClass;
    options.testPerClass = kTestPerClass;
    options.seed = 3;
    options.threads = 2;
    run.manifest = writeDataset(run.recipe, *run.generator, run.root->path(), options);
    const QString folder = run.root->filePath(name);

    [&] {
        QVERIFY(run.recipe.classNames.size() >= 5);
        QCOMPARE(run.manifest.classNames, run.recipe.classNames);
        for (const QString &split : {QStringLiteral("train"), QStringLiteral("test")}) {
            const ImageFolderDataset dataset = ImageFolderDataset::open(folder + QLatin1Char('/') + split,
                                                                        run.recipe.classNames);
            QVector<int> perClass(run.recipe.classNames.size(), 0);
            for (const ImageFolderDataset::Sample &sample : dataset.samples()) {
                ++perClass[sample.label];
                const cv::Mat image = cv::imread(sample.file.toStdString(), cv::IMREAD_UNCHANGED);
                QVERIFY2(image.rows == 32 && image.cols == 32 && image.type() == CV_8UC3, qPrintable(sample.file));
            }
            const int expected = split == QLatin1String("train") ? kTrainPerClass : kTestPerClass;
            for (int count : perClass)
                QCOMPARE(count, expected);
        }
        QVERIFY(QFileInfo::exists(folder + QStringLiteral("/dataset.json")));

        // Held-out sources: no test image comes from a train image's source.
        const QSet<QString> train = run.manifest.sources(ZooSplit::Train);
        const QSet<QString> test = run.manifest.sources(ZooSplit::Test);
        QVERIFY(!train.isEmpty() && !test.isEmpty());
        const QSet<QString> shared = QSet<QString>(train).intersect(test);
        QVERIFY2(shared.isEmpty(), qPrintable(QStringList(shared.values()).join(QStringLiteral(", "))));

        // Same seed, other thread count: the same bytes. Other seed: other images.
        QTemporaryDir again, reseeded;
        DatasetBuildOptions sameSeed = options;
        sameSeed.threads = 1;
        writeDataset(run.recipe, *run.generator, again.path(), sameSeed);
        DatasetBuildOptions otherSeed = options;
        otherSeed.seed = 4;
        writeDataset(run.recipe, *run.generator, reseeded.path(), otherSeed);
        const auto first = filesUnderFolder(folder);
        QCOMPARE(first.size(), run.recipe.classNames.size() * (kTrainPerClass + kTestPerClass) + 1);
        QVERIFY(first == filesUnderFolder(again.filePath(name)));
        const auto other = filesUnderFolder(reseeded.filePath(name));
        int differing = 0;
        for (auto it = first.cbegin(); it != first.cend(); ++it)
            differing += other.value(it.key()) != it.value();
        QVERIFY2(differing > first.size() / 2,
                 qPrintable(QStringLiteral("%1 of %2 files differ").arg(differing).arg(first.size())));
        ok = true;
    }();
    return run;
}

} // namespace

class TestZooDatasets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The house numbers render fonts, which needs a QGuiApplication (offscreen in CTest).
        QVERIFY(qobject_cast<QGuiApplication *>(QCoreApplication::instance()));
    }

    void digits()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("digits"), ok);
        QVERIFY(ok);
        // digits.png: rows of 5 per digit; the zoo holds out each digit's last row.
        const cv::Mat sheet = cv::imread("/usr/share/doc/opencv-doc/examples/data/digits.png", cv::IMREAD_GRAYSCALE);
        QCOMPARE(sheet.cols, 2000);
        static const QRegularExpression cell(QStringLiteral("cell (\\d+),(\\d+)"));
        for (const DatasetManifest::Entry &entry : run.manifest.entries) {
            const QRegularExpressionMatch match = cell.match(entry.source);
            QVERIFY(match.hasMatch());
            const int row = match.captured(1).toInt(), column = match.captured(2).toInt();
            QCOMPARE(row / 5, entry.label);
            QCOMPARE(row % 5 == 4, entry.split == ZooSplit::Test);
            // Pass 0 (fewer samples than cells): the cell itself, centred on black.
            const cv::Mat image = cv::imread(run.root->filePath(QStringLiteral("digits/") + entry.file).toStdString(),
                                             cv::IMREAD_GRAYSCALE);
            QCOMPARE(
                cv::norm(image(cv::Rect(6, 6, 20, 20)), sheet(cv::Rect(column * 20, row * 20, 20, 20)), cv::NORM_INF),
                0.0);
            QCOMPARE(cv::countNonZero(image) - cv::countNonZero(image(cv::Rect(6, 6, 20, 20))), 0);
        }
    }

    void fashion()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("fashion"), ok);
        QVERIFY(ok);
        // The labels, read with zlib's gz reader (not the zoo's gunzip).
        auto readLabels = [](const char *file) {
            QByteArray bytes;
            gzFile in = gzopen(file, "rb");
            char buffer[65536];
            int read = 0;
            while (in && (read = gzread(in, buffer, sizeof(buffer))) > 0)
                bytes.append(buffer, read);
            if (in)
                gzclose(in);
            return bytes.mid(8); // magic and count
        };
        const QByteArray trainLabels = readLabels("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
        const QByteArray testLabels = readLabels("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz");
        QCOMPARE(trainLabels.size(), 60000);
        QCOMPARE(testLabels.size(), 10000);
        static const QRegularExpression item(QStringLiteral("^(train|t10k)-images #(\\d+)$"));
        for (const DatasetManifest::Entry &entry : run.manifest.entries) {
            const QRegularExpressionMatch match = item.match(entry.source);
            QVERIFY2(match.hasMatch(), qPrintable(entry.source));
            const bool test = match.captured(1) == QLatin1String("t10k");
            QCOMPARE(test, entry.split == ZooSplit::Test);
            QCOMPARE(int((test ? testLabels : trainLabels).at(match.captured(2).toInt())), entry.label);
        }
    }

    void deepSky()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("deep_sky"), ok);
        QVERIFY(ok);
        const QStringList classes = run.recipe.classNames;
        QHash<QString, QString> classOf;
        for (int label = 0; label < classes.size(); ++label) {
            int total = 0;
            for (ZooSplit split : {ZooSplit::Train, ZooSplit::Test}) {
                const QStringList ids = allSources(*run.generator, split, label);
                total += ids.size();
                for (const QString &id : ids) {
                    QVERIFY2(!classOf.contains(id), qPrintable(id)); // one class, one split per photo
                    classOf.insert(id, classes[label]);
                }
            }
            QVERIFY2(total >= 40, qPrintable(QStringLiteral("%1: %2 photos").arg(classes[label]).arg(total)));
            // 80/20 by photo.
            const int test = run.generator->sourceCount(ZooSplit::Test, label);
            QVERIFY(test >= total / 5 - 1 && test <= total / 5 + 1);
        }
        // Known objects: M31 Andromeda galaxy, M13 globular cluster, M44 Beehive
        // open cluster, M57 Ring planetary nebula, M42 Orion emission nebula.
        QCOMPARE(classOf.value(QStringLiteral("m31.png")), QStringLiteral("galaxy"));
        QCOMPARE(classOf.value(QStringLiteral("m13.png")), QStringLiteral("globular_cluster"));
        QCOMPARE(classOf.value(QStringLiteral("m44.png")), QStringLiteral("open_cluster"));
        QCOMPARE(classOf.value(QStringLiteral("m57dumont.png")), QStringLiteral("planetary_nebula"));
        QCOMPARE(classOf.value(QStringLiteral("m42.png")), QStringLiteral("emission_nebula"));
        // M1 is a supernova remnant and lmc_01.png a wide mosaic: both left out.
        QVERIFY(!classOf.contains(QStringLiteral("m1dumont.png")));
        QVERIFY(!classOf.contains(QStringLiteral("lmc_01.png")));
    }

    void biomes()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("biomes"), ok);
        QVERIFY(ok);
        // Test patches lie wholly inside the held-out 30° bands 2, 6, 10 of the 2700-pixel mosaic.
        static const QRegularExpression patch(QStringLiteral("patch at (\\d+),(\\d+)"));
        for (const DatasetManifest::Entry &entry : run.manifest.entries) {
            const QRegularExpressionMatch match = patch.match(entry.source);
            QVERIFY(match.hasMatch());
            const int x = match.captured(1).toInt();
            const int band = x / 225;
            QCOMPARE((x + 31) / 225, band);
            QCOMPARE(band == 2 || band == 6 || band == 10, entry.split == ZooSplit::Test);
        }
    }

    void objects()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("objects"), ok);
        QVERIFY(ok);
        // Neither the stamp nor the background photo of a test image occurs in train.
        for (int part : {0, 1}) {
            const QSet<QString> train = sourceParts(run.manifest.sources(ZooSplit::Train), part);
            QVERIFY(!QSet<QString>(train).intersects(sourceParts(run.manifest.sources(ZooSplit::Test), part)));
        }
        // One animal class gathers the mammals, birds, insects and fish.
        const int animal = int(run.recipe.classNames.indexOf(QStringLiteral("animal")));
        QSet<QString> animalFolders;
        for (ZooSplit split : {ZooSplit::Train, ZooSplit::Test}) {
            for (const QString &id : allSources(*run.generator, split, animal)) {
                QVERIFY2(id.startsWith(QLatin1String("animals/")), qPrintable(id));
                animalFolders.insert(id.section(QLatin1Char('/'), 1, 1));
            }
        }
        for (const char *folder : {"mammals", "birds", "insects", "fish"})
            QVERIFY2(animalFolders.contains(QLatin1String(folder)), folder);
        const int coin = int(run.recipe.classNames.indexOf(QStringLiteral("coin")));
        for (ZooSplit split : {ZooSplit::Train, ZooSplit::Test}) {
            for (const QString &id : allSources(*run.generator, split, coin))
                QVERIFY2(id.startsWith(QLatin1String("symbols/money/")) && !id.contains(QLatin1String("00_symbols")),
                         qPrintable(id));
        }
    }

    void textures()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("textures"), ok);
        QVERIFY(ok);
        const int wood = int(run.recipe.classNames.indexOf(QStringLiteral("wood")));
        const QStringList testWood = allSources(*run.generator, ZooSplit::Test, wood);
        QVERIFY(testWood.contains(QStringLiteral("Wood/walnut.pat")));
        QVERIFY(!allSources(*run.generator, ZooSplit::Train, wood).contains(QStringLiteral("Wood/walnut.pat")));
        for (int label = 0; label < run.recipe.classNames.size(); ++label) {
            const QStringList train = allSources(*run.generator, ZooSplit::Train, label);
            const QStringList test = allSources(*run.generator, ZooSplit::Test, label);
            for (const QString &id : test)
                QVERIFY2(!train.contains(id), qPrintable(id));
        }
    }

    void roadSigns()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("road_signs"), ok);
        QVERIFY(ok);
        // Sign designs are shared by the splits; the background photos are not.
        const QSet<QString> trainPhotos = sourceParts(run.manifest.sources(ZooSplit::Train), 1);
        QVERIFY(!trainPhotos.intersects(sourceParts(run.manifest.sources(ZooSplit::Test), 1)));
        for (const DatasetManifest::Entry &entry : run.manifest.entries)
            QVERIFY(!entry.source.contains(QLatin1String("stop_sign_right_font_mig_")));
    }

    void houseNumbers()
    {
        bool ok = false;
        const TaskRun run = buildAndCheck(QStringLiteral("house_numbers"), ok);
        QVERIFY(ok);
        // Test fonts come from families no train font belongs to.
        auto families = [](const QSet<QString> &fonts) {
            QSet<QString> names;
            for (const QString &font : fonts)
                names.insert(font.section(QLatin1Char('-'), 0, 0)
                                 .remove(QRegularExpression(QStringLiteral("(Bold|Oblique|Italic|\\.ttf|\\.otf)+$"))));
            return names;
        };
        const QSet<QString> trainFamilies = families(sourceParts(run.manifest.sources(ZooSplit::Train), 0));
        const QSet<QString> testFamilies = families(sourceParts(run.manifest.sources(ZooSplit::Test), 0));
        QVERIFY(!trainFamilies.isEmpty() && !testFamilies.isEmpty());
        QVERIFY2(
            !QSet<QString>(trainFamilies).intersects(testFamilies),
            qPrintable(
                QStringList(QSet<QString>(trainFamilies).intersect(testFamilies).values()).join(QLatin1Char(' '))));
        QVERIFY(!sourceParts(run.manifest.sources(ZooSplit::Train), 1)
                     .intersects(sourceParts(run.manifest.sources(ZooSplit::Test), 1)));
    }

    void missingPackagesAreNamed()
    {
        QTemporaryDir emptyRoot;
        for (const DatasetRecipe &recipe : demoZooRecipes()) {
            try {
                recipe.load(emptyRoot.path(), {});
                QFAIL(qPrintable(recipe.name + QStringLiteral(" loaded from an empty folder")));
            } catch (const Error &error) {
                const QString message = error.message();
                QVERIFY2(message.contains(emptyRoot.path() + QStringLiteral("/usr/share/")), qPrintable(message));
                QVERIFY2(message.contains(QStringLiteral("packaging/install-deps.sh --demo-data")),
                         qPrintable(message));
                bool namesPackage = false;
                for (const QString &package : recipe.packages)
                    namesPackage = namesPackage || message.contains(QStringLiteral("package ") + package);
                QVERIFY2(namesPackage, qPrintable(message));
            }
        }
    }

    void buildSeveralAndSkipExisting()
    {
        QTemporaryDir root;
        DatasetBuildOptions options;
        options.trainPerClass = 2;
        options.testPerClass = 1;
        qint64 lastDone = -1, lastTotal = -1;
        JobContext context;
        context.onProgress = [&](qint64 done, qint64 total, const QString &) {
            QVERIFY(done <= total);
            lastDone = done;
            lastTotal = total;
        };
        const QStringList tasks{QStringLiteral("digits"), QStringLiteral("biomes")};
        const QVector<DatasetManifest> built = buildDemoZoo(root.path(), options, context, tasks);
        QCOMPARE(built.size(), 2);
        QCOMPARE(lastTotal, qint64(10 * 3 + 7 * 3));
        QCOMPARE(lastDone, lastTotal);
        QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 tasks.mid(1) + tasks.mid(0, 1));

        options.existing = DatasetBuildOptions::Existing::Skip;
        for (const DatasetManifest &manifest : buildDemoZoo(root.path(), options, {}, tasks))
            QVERIFY(manifest.skipped);
    }
};

QTEST_MAIN(TestZooDatasets)
#include "test_zoo_datasets.moc"
