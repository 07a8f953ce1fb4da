// The demo zoo's parsers and its writer, on small inputs made by hand here.
#include "common/error.h"
#include "zoo/climate_biomes.h"
#include "zoo/gimp_pattern.h"
#include "zoo/gzip_file.h"
#include "zoo/idx_file.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"
#include "zoo/parallel_for.h"
#include "zoo/seeded_random.h"
#include "zoo/stellarium_catalog.h"
#include "zoo/zoo_builder.h"

#include <QtCore/QDataStream>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <opencv2/imgcodecs.hpp>

#include <atomic>
#include <set>

using namespace wemoe;

namespace {

// `printf hello | gzip -n` and `printf ' world' | gzip -n`.
const QByteArray kHelloGz = QByteArray::fromHex("1f8b0800000000000003cb48cdc9c9070086a6103605000000");
const QByteArray kWorldGz = QByteArray::fromHex("1f8b08000000000000035328cf2fca490100cb423b4a06000000");

QByteArray bigEndian(quint32 value)
{
    QByteArray bytes(4, '\0');
    bytes[0] = char(value >> 24);
    bytes[1] = char(value >> 16);
    bytes[2] = char(value >> 8);
    bytes[3] = char(value);
    return bytes;
}

QByteArray patBytes(quint32 width, quint32 height, quint32 bpp, const QByteArray &name, const QByteArray &pixels)
{
    const QByteArray nameField = name + '\0';
    QByteArray bytes = bigEndian(quint32(24 + nameField.size())) + bigEndian(1) + bigEndian(width) + bigEndian(height)
                       + bigEndian(bpp) + QByteArrayLiteral("GPAT") + nameField;
    return bytes + pixels;
}

// One catalogue record, written field by field in docs/DEMO-DATA.md's order.
void writeRecord(QDataStream &out, quint32 id, double ra, double dec, quint32 type, const QString &mtype, quint32 ngc,
                 quint32 messier, const QString &pk)
{
    out << id << ra << dec << 9.5 << 8.25 << type << mtype << 1.5 << 0.75 << quint32(30);
    for (int i = 0; i < 6; ++i)
        out << double(i) / 10;           // z, zerr, plx, plxerr, dist, disterr
    out << ngc << quint32(0) << messier; // NGC, IC, M
    for (int i = 0; i < 11; ++i)
        out << quint32(100 + i);                              // C, B, Sh2, VdB, RCW, LDN, LBN, Cr, Mel, PGC, UGC
    out << QStringLiteral("ced") << quint32(7) << quint32(8); // Ced, Arp, VV
    out << pk << QString() << QString() << QString() << QString() << QString() << QString(); // PK..VdBH
    for (int i = 0; i < 5; ++i)
        out << quint32(200 + i); // DWB, Tr, St, Ru, VdBHa
}

QByteArray catalogBytes(int records)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_5_2);
    out << QStringLiteral("3.16") << QStringLiteral("test");
    if (records > 0)
        writeRecord(out, 1, 0.5, -0.25, 11, QStringLiteral("PN"), 7293, 0, QStringLiteral("036-57.1"));
    if (records > 1)
        writeRecord(out, 2, 1.5, 0.75, 0, QStringLiteral("SA(s)b"), 224, 31, QString());
    return bytes;
}

// A generator with two classes whose images encode (split, class, source, pass) and a random draw.
class FakeGenerator : public DatasetGenerator
{
public:
    int sourceCount(ZooSplit split, int label) const override { return split == ZooSplit::Train ? 3 + label : 2; }
    ZooImage draw(ZooSplit split, int label, int source, int pass, SeededRandom &random) const override
    {
        cv::Mat image(kZooImageSize, kZooImageSize, CV_8UC3, cv::Scalar(int(split) * 100, label * 50, source * 20));
        image.at<cv::Vec3b>(0, 0) = cv::Vec3b(uchar(pass), uchar(random.below(256)), uchar(random.below(256)));
        return {image, QStringLiteral("%1-%2-%3").arg(zooSplitName(split)).arg(label).arg(source)};
    }
};

DatasetRecipe fakeRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("fake");
    recipe.classNames = {QStringLiteral("alpha"), QStringLiteral("beta")};
    recipe.defaultTrainPerClass = 4;
    recipe.defaultTestPerClass = 2;
    return recipe;
}

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

} // namespace

class TestZooFormats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void gunzipReadsMembers()
    {
        QCOMPARE(gunzip(kHelloGz, QStringLiteral("mem")), QByteArray("hello"));
        QCOMPARE(gunzip(kHelloGz + kWorldGz, QStringLiteral("mem")), QByteArray("hello world"));
    }

    void gunzipRejectsBadData()
    {
        QVERIFY_THROWS_EXCEPTION(Error, gunzip(QByteArray("plain text, not gzip at all"), QStringLiteral("mem")));
        QVERIFY_THROWS_EXCEPTION(Error, gunzip(kHelloGz.left(kHelloGz.size() - 6), QStringLiteral("mem")));
        QByteArray corrupt = kHelloGz;
        corrupt[12] = char(0xff);
        QVERIFY_THROWS_EXCEPTION(Error, gunzip(corrupt, QStringLiteral("mem")));
    }

    void idxParsesHandMadeArray()
    {
        QByteArray bytes = QByteArray::fromHex("00000803") + bigEndian(2) + bigEndian(2) + bigEndian(3);
        for (int i = 0; i < 12; ++i)
            bytes.append(char(i * 10));
        const IdxArray array = parseIdx(bytes, QStringLiteral("mem"));
        QCOMPARE(array.dims, (QVector<int>{2, 2, 3}));
        QCOMPARE(array.count(), qsizetype(2));
        QCOMPARE(array.itemSize(), qsizetype(6));
        QCOMPARE(int(array.item(1)[0]), 60);
        QCOMPARE(int(array.item(1)[5]), 110);
    }

    void idxRejectsBadHeaders()
    {
        const QByteArray good = QByteArray::fromHex("00000801") + bigEndian(3) + QByteArray("abc");
        QCOMPARE(parseIdx(good, QStringLiteral("mem")).count(), qsizetype(3));
        QVERIFY_THROWS_EXCEPTION(Error, parseIdx(QByteArray::fromHex("00000d01") + bigEndian(3) + QByteArray("abc"),
                                                 QStringLiteral("float type")));
        QVERIFY_THROWS_EXCEPTION(Error, parseIdx(good.left(good.size() - 1), QStringLiteral("short")));
        QVERIFY_THROWS_EXCEPTION(Error, parseIdx(good + "x", QStringLiteral("long")));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 parseIdx(QByteArray::fromHex("01000801") + bigEndian(0), QStringLiteral("magic")));
    }

    void idxFileIsGunzipped()
    {
        QTemporaryDir dir;
        // kHelloGz inflates to "hello": not an idx array, so the error must name the file.
        const QString file = dir.filePath(QStringLiteral("bad-idx1-ubyte.gz"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(kHelloGz);
        out.close();
        try {
            readIdxFile(file);
            QFAIL("expected an error");
        } catch (const Error &error) {
            QVERIFY2(error.message().contains(file), qPrintable(error.message()));
        }
    }

    void gimpPatternRgb()
    {
        const QByteArray pixels = QByteArray::fromHex("0a141e28323c");
        const GimpPattern pattern = parseGimpPattern(patBytes(2, 1, 3, "Tiny", pixels), QStringLiteral("mem"));
        QCOMPARE(pattern.name, QStringLiteral("Tiny"));
        QCOMPARE(pattern.bytesPerPixel, 3);
        QCOMPARE(pattern.image.cols, 2);
        QCOMPARE(pattern.image.rows, 1);
        QCOMPARE(pattern.image.at<cv::Vec3b>(0, 0), cv::Vec3b(30, 20, 10)); // RGB in the file, BGR here
        QCOMPARE(pattern.image.at<cv::Vec3b>(0, 1), cv::Vec3b(60, 50, 40));
    }

    void gimpPatternGreyAndErrors()
    {
        const GimpPattern grey = parseGimpPattern(patBytes(1, 2, 1, "G", QByteArray::fromHex("0580")),
                                                  QStringLiteral("mem"));
        QCOMPARE(grey.image.type(), CV_8UC3);
        QCOMPARE(grey.image.at<cv::Vec3b>(1, 0), cv::Vec3b(128, 128, 128));

        QByteArray badMagic = patBytes(1, 1, 3, "x", "abc");
        badMagic[20] = 'X';
        QVERIFY_THROWS_EXCEPTION(Error, parseGimpPattern(badMagic, QStringLiteral("magic")));
        QVERIFY_THROWS_EXCEPTION(Error, parseGimpPattern(patBytes(2, 2, 3, "x", "abc"), QStringLiteral("short")));
        QVERIFY_THROWS_EXCEPTION(Error, parseGimpPattern(patBytes(1, 1, 5, "x", "abcde"), QStringLiteral("bpp")));
        QVERIFY_THROWS_EXCEPTION(Error, parseGimpPattern(QByteArray("GPAT"), QStringLiteral("tiny")));
    }

    void nebulaCatalogRecords()
    {
        const QByteArray bytes = catalogBytes(2);
        // QDataStream's QString: u32 byte length, UTF-16BE; "3.16" is 8 bytes.
        QCOMPARE(bytes.left(6), QByteArray::fromHex("000000080033"));
        const NebulaCatalog catalog = parseNebulaCatalog(bytes, QStringLiteral("mem"));
        QCOMPARE(catalog.version, QStringLiteral("3.16"));
        QCOMPARE(catalog.edition, QStringLiteral("test"));
        QCOMPARE(catalog.records.size(), 2);
        const NebulaRecord &first = catalog.records[0];
        QCOMPARE(first.id, 1u);
        QCOMPARE(first.ra, 0.5);
        QCOMPARE(first.dec, -0.25);
        QCOMPARE(first.vMag, 8.25);
        QCOMPARE(first.type, NebulaType::kPlanetaryNebula);
        QCOMPARE(first.morphology, QStringLiteral("PN"));
        QCOMPARE(first.orientation, 30u);
        QCOMPARE(first.distanceError, 0.5);
        QCOMPARE(first.ngc, 7293u);
        QCOMPARE(first.caldwell, 100u);
        QCOMPARE(first.ugc, 110u);
        QCOMPARE(first.ced, QStringLiteral("ced"));
        QCOMPARE(first.vv, 8u);
        QCOMPARE(first.pk, QStringLiteral("036-57.1"));
        QCOMPARE(first.vdbha, 204u);
        QCOMPARE(catalog.records[1].messier, 31u);
        QCOMPARE(catalog.records[1].type, NebulaType::kGalaxy);
    }

    void nebulaCatalogCutShort()
    {
        const QByteArray bytes = catalogBytes(2);
        QVERIFY_THROWS_EXCEPTION(Error, parseNebulaCatalog(bytes.left(bytes.size() - 3), QStringLiteral("mem")));
        QCOMPARE(parseNebulaCatalog(catalogBytes(0), QStringLiteral("mem")).records.size(), 0);
    }

    void nebulaTexturesJson()
    {
        QCOMPARE(restoreLeadingZeros("[-.5, .25, \"a.5 \\\".9\", 1.5, [.0]]"),
                 QByteArray("[-0.5, 0.25, \"a.5 \\\".9\", 1.5, [0.0]]"));
        const QByteArray json = "{\"subTiles\": [{\"imageUrl\": \"m1.png\", \"worldCoords\": "
                                "[[[83.6, 21.9], [83.5, -.9], [83.56, 22.09], [83.7, 22.08]]]}]}";
        const QVector<NebulaTexture> textures = parseNebulaTextures(json, QStringLiteral("mem"));
        QCOMPARE(textures.size(), 1);
        QCOMPARE(textures[0].image, QStringLiteral("m1.png"));
        QCOMPARE(textures[0].corners.size(), 4);
        QCOMPARE(textures[0].corners[1], QPointF(83.5, -0.9));
        QVERIFY_THROWS_EXCEPTION(Error, parseNebulaTextures("{\"subTiles\": 3}", QStringLiteral("mem")));
    }

    void climateCurves()
    {
        QCOMPARE(temperatureFromGrey(0), -69.0);
        QCOMPARE(temperatureFromGrey(255), 42.0);
        // By hand: grey 64 = 0.25098 lies between the stops .25 (−27) and .43 (1).
        QVERIFY(qAbs(temperatureFromGrey(64) - (-27 + 28 * (64.0 / 255 - 0.25) / 0.18)) < 1e-9);
        QVERIFY(qAbs(temperatureFromGrey(64) - (-26.8475)) < 1e-3);
        // grey 51 = 0.2 lies between .16 (40 mm) and .25 (63 mm).
        QVERIFY(qAbs(rainfallFromGrey(51) - 50.2222) < 1e-3);
        QCOMPARE(rainfallFromGrey(0), 0.0);
        QCOMPARE(rainfallFromGrey(255), 1400.0);
    }

    void biomeRules()
    {
        auto sample = [](double tJuly, double tDec, double pJuly, double pDec, int r = 90, int g = 90, int b = 60) {
            ClimateSample s;
            s.temperatureJuly = tJuly;
            s.temperatureDecember = tDec;
            s.rainfallJuly = pJuly;
            s.rainfallDecember = pDec;
            s.red = r;
            s.green = g;
            s.blue = b;
            return classifyBiome(s);
        };
        QCOMPARE(sample(15, 5, 50, 50), Biome::Temperate);
        QCOMPARE(sample(27, 25, 200, 30), Biome::Savanna);                 // coldest ≥ 18, driest < 60
        QCOMPARE(sample(27, 25, 200, 80), Biome::Rainforest);              // and driest ≥ 60
        QCOMPARE(sample(35, 15, 5, 10), Biome::Desert);                    // mean rain 7.5, warmest 35
        QCOMPARE(sample(27, 25, 10, 10), Biome::Desert);                   // desert wins over savanna
        QCOMPARE(sample(15, -20, 40, 30), Biome::Boreal);                  // coldest −20, warmest 15, rain 35
        QCOMPARE(sample(-2, -30, 10, 10), Biome::Ice);                     // warmest < 0
        QCOMPARE(sample(15, 5, 50, 50, 230, 235, 240), Biome::Ice);        // white pixel
        QCOMPARE(sample(27, 25, 200, 80, 20, 40, 90), Biome::Water);       // blue > red + 12, blue ≥ green
        QCOMPARE(sample(27, 25, 200, 80, 20, 100, 90), Biome::Rainforest); // green above blue: not water
        QCOMPARE(biomeNames().size(), int(Biome::Count));

        // The per-pixel map on a 2×1 mosaic with 1×1 climate maps (resampled).
        cv::Mat mosaic(1, 2, CV_8UC3);
        mosaic.at<cv::Vec3b>(0, 0) = cv::Vec3b(200, 50, 20);  // BGR: blue water
        mosaic.at<cv::Vec3b>(0, 1) = cv::Vec3b(40, 120, 100); // green land
        const cv::Mat hot(1, 1, CV_8UC1, cv::Scalar(230)), wet(1, 1, CV_8UC1, cv::Scalar(200));
        const cv::Mat labels = biomeLabelMap(mosaic, hot, hot, wet, wet);
        QCOMPARE(int(labels.at<uchar>(0, 0)), int(Biome::Water));
        QCOMPARE(int(labels.at<uchar>(0, 1)), int(Biome::Rainforest));
    }

    void seededRandom()
    {
        // FNV-1a 64 of "a", the published test vector.
        QCOMPARE(SeededRandom::hashName(QStringLiteral("a")), Q_UINT64_C(0xaf63dc4c8601ec8c));
        QVERIFY(SeededRandom::mix({1, 2}) != SeededRandom::mix({2, 1}));
        SeededRandom a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const quint64 x = a.next();
            QCOMPARE(x, b.next());
            differs = differs || x != c.next();
        }
        QVERIFY(differs);
        std::vector<int> counts(7, 0);
        for (int i = 0; i < 7000; ++i) {
            const quint64 v = a.below(7);
            QVERIFY(v < 7);
            ++counts[size_t(v)];
            const double u = a.unit();
            QVERIFY(u >= 0 && u < 1);
            const int k = a.between(-3, 3);
            QVERIFY(k >= -3 && k <= 3);
        }
        for (int count : counts)
            QVERIFY2(count > 850 && count < 1150, qPrintable(QString::number(count))); // 1000 ± 5σ
        std::vector<int> order = a.permutation(50);
        std::sort(order.begin(), order.end());
        for (int i = 0; i < 50; ++i)
            QCOMPARE(order[size_t(i)], i);
    }

    void dihedralTurnsAndMirrorsACopy()
    {
        // A 2×2 grey image [[1, 2], [3, 4]] inside a larger picture (a view, as the biome patches are).
        cv::Mat picture = cv::Mat::zeros(4, 4, CV_8UC1);
        cv::Mat view = picture(cv::Rect(1, 1, 2, 2));
        view.at<uchar>(0, 0) = 1;
        view.at<uchar>(0, 1) = 2;
        view.at<uchar>(1, 0) = 3;
        view.at<uchar>(1, 1) = 4;
        const cv::Mat before = picture.clone();
        auto values = [](const cv::Mat &m) {
            return QVector<int>{m.at<uchar>(0, 0), m.at<uchar>(0, 1), m.at<uchar>(1, 0), m.at<uchar>(1, 1)};
        };
        QCOMPARE(values(dihedral(view, 0)), (QVector<int>{1, 2, 3, 4}));
        QCOMPARE(values(dihedral(view, 1)), (QVector<int>{3, 1, 4, 2})); // quarter turn clockwise
        QCOMPARE(values(dihedral(view, 2)), (QVector<int>{4, 3, 2, 1}));
        QCOMPARE(values(dihedral(view, 3)), (QVector<int>{2, 4, 1, 3}));
        QCOMPARE(values(dihedral(view, 4)), (QVector<int>{2, 1, 4, 3})); // mirrored left-right
        QCOMPARE(values(dihedral(view, 5)), (QVector<int>{4, 2, 3, 1}));
        QCOMPARE(cv::norm(picture, before, cv::NORM_INF), 0.0); // the picture is untouched
        cv::Mat copy = dihedral(view, 0);
        copy.at<uchar>(0, 0) = 9;
        QCOMPARE(int(view.at<uchar>(0, 0)), 1);
    }

    void missingPackageFileNamesPackageAndCommand()
    {
        QTemporaryDir root;
        try {
            requirePackageFile(root.path(), QStringLiteral("/usr/share/doc/opencv-doc/examples/data/digits.png"),
                               QStringLiteral("opencv-doc"));
            QFAIL("expected an error");
        } catch (const Error &error) {
            QVERIFY2(error.message().contains(root.path()
                                              + QStringLiteral("/usr/share/doc/opencv-doc/examples/data/digits.png")),
                     qPrintable(error.message()));
            QVERIFY(error.message().contains(QStringLiteral("opencv-doc")));
            QVERIFY(error.message().contains(QStringLiteral("packaging/install-deps.sh --demo-data")));
        }
        QVERIFY(QDir().mkpath(root.filePath(QStringLiteral("usr/share/x"))));
        QCOMPARE(requirePackageFolder(root.path(), QStringLiteral("/usr/share/x"), QStringLiteral("p")),
                 root.filePath(QStringLiteral("usr/share/x")));
    }

    void parallelForRunsEveryIndexOnce()
    {
        std::vector<std::atomic<int>> hits(1000);
        int lastProgress = 0;
        parallelFor(
            1000, 3, {}, [&](int i) { hits[size_t(i)].fetch_add(1); }, [&](int done) { lastProgress = done; });
        for (const auto &hit : hits)
            QCOMPARE(hit.load(), 1);
        QCOMPARE(lastProgress, 1000);

        QVERIFY_THROWS_EXCEPTION(Error, parallelFor(100, 2, {}, [](int i) {
                                     if (i == 37)
                                         throw Error(QStringLiteral("boom"));
                                 }));
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        QVERIFY_THROWS_EXCEPTION(Cancelled, parallelFor(100, 2, context, [&](int i) {
                                     if (i == 5)
                                         cancel = true;
                                 }));
    }

    void writeDatasetLayoutAndManifest()
    {
        QTemporaryDir root;
        DatasetBuildOptions options;
        options.trainPerClass = 5; // more than class alpha's 3 train sources: sources are reused
        options.seed = 9;
        const DatasetManifest manifest = writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options);
        QCOMPARE(manifest.entries.size(), 2 * 5 + 2 * 2);
        QCOMPARE(manifest.testPerClass, 2); // the recipe's default
        QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral(".fake.partial"))));

        const QString image = root.filePath(QStringLiteral("fake/train/beta/00004.png"));
        const cv::Mat decoded = cv::imread(image.toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(decoded.rows, 32);
        QCOMPARE(decoded.cols, 32);
        QCOMPARE(decoded.channels(), 3);
        QCOMPARE(int(decoded.at<cv::Vec3b>(5, 5)[1]), 50); // class beta
        QVERIFY(QFileInfo::exists(root.filePath(QStringLiteral("fake/test/alpha/00001.png"))));
        QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("fake/test/alpha/00002.png"))));

        // Class alpha has 3 train sources: samples 0..2 use each once (pass 0), 3..4 again (pass 1).
        std::set<QString> firstPass, secondPass;
        for (const DatasetManifest::Entry &entry : manifest.entries) {
            if (entry.split != ZooSplit::Train || entry.label != 0)
                continue;
            const int n = QFileInfo(entry.file).baseName().toInt();
            (n < 3 ? firstPass : secondPass).insert(entry.source);
            const cv::Mat im = cv::imread(root.filePath(QStringLiteral("fake/") + entry.file).toStdString());
            QCOMPARE(int(im.at<cv::Vec3b>(0, 0)[0]), n < 3 ? 0 : 1);
        }
        QCOMPARE(int(firstPass.size()), 3);
        QCOMPARE(int(secondPass.size()), 2);

        QFile json(root.filePath(QStringLiteral("fake/dataset.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject manifestJson = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(manifestJson.value(QStringLiteral("seed")).toString(), QStringLiteral("9"));
        QCOMPARE(manifestJson.value(QStringLiteral("classes")).toArray().size(), 2);
        QCOMPARE(manifestJson.value(QStringLiteral("images")).toObject().value(QStringLiteral("test")).toArray().size(),
                 4);
    }

    void writeDatasetIsDeterministic()
    {
        QTemporaryDir one, two, three;
        DatasetBuildOptions options;
        options.seed = 5;
        options.threads = 1;
        writeDataset(fakeRecipe(), FakeGenerator(), one.path(), options);
        options.threads = 3;
        writeDataset(fakeRecipe(), FakeGenerator(), two.path(), options);
        options.seed = 6;
        writeDataset(fakeRecipe(), FakeGenerator(), three.path(), options);
        const auto first = filesUnderFolder(one.path());
        QCOMPARE(first.size(), 2 * 4 + 2 * 2 + 1);
        QVERIFY(first == filesUnderFolder(two.path()));
        QVERIFY(first != filesUnderFolder(three.path()));
    }

    void existingTaskFolder()
    {
        QTemporaryDir root;
        DatasetBuildOptions options;
        writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options);
        QVERIFY_THROWS_EXCEPTION(Error, writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options));

        options.existing = DatasetBuildOptions::Existing::Skip;
        QVERIFY(writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options).skipped);

        options.existing = DatasetBuildOptions::Existing::Replace;
        options.trainPerClass = 1;
        const DatasetManifest replaced = writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options);
        QVERIFY(!replaced.skipped);
        QVERIFY(!QFileInfo::exists(root.filePath(QStringLiteral("fake/train/alpha/00001.png"))));
        QVERIFY(QFileInfo::exists(root.filePath(QStringLiteral("fake/train/alpha/00000.png"))));
        QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("fake")});
    }

    void cancelledBuildLeavesNoFolder()
    {
        QTemporaryDir root;
        std::atomic<bool> cancel{false};
        JobContext context;
        context.cancelFlag = &cancel;
        context.onProgress = [&](qint64 done, qint64, const QString &) {
            if (done >= 3)
                cancel = true;
        };
        DatasetBuildOptions options;
        options.trainPerClass = 50;
        options.threads = 2;
        QVERIFY_THROWS_EXCEPTION(Cancelled, writeDataset(fakeRecipe(), FakeGenerator(), root.path(), options, context));
        QVERIFY(QDir(root.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).isEmpty());
    }

    void unknownTaskIsAnError()
    {
        try {
            demoZooRecipe(QStringLiteral("cifar"));
            QFAIL("expected an error");
        } catch (const Error &error) {
            QVERIFY(error.message().contains(QStringLiteral("house_numbers")));
        }
        QCOMPARE(demoZooRecipes().size(), 8);
    }
};

QTEST_GUILESS_MAIN(TestZooFormats)
#include "test_zoo_formats.moc"
