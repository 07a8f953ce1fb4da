#include "data/image_folder_dataset.h"
#include "test_support.h"

#include "common/error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace wemoe;
using wemoe::test::errorOf;

namespace {

// The dataset only lists files, so their bytes need not be images.
void touch(const QString &file)
{
    QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
}

} // namespace

class TestImageFolderDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samplesFollowTheHeadsOrder()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.filePath(QStringLiteral("test"));
        for (const char *name : {"cat/b.png", "cat/a.jpg", "cat/D.PNG", "cat/notes.txt", "cat/c.JpEg", "dog/x.bmp",
                                 "dog/w.webp", "dog/readme", "bird/1.tif", "bird/2.TIFF", "bird/3.ppm", "bird/4.pgm"})
            touch(root + QLatin1Char('/') + QString::fromLatin1(name));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/dog/nested.png"))); // a folder, not an image

        QCOMPARE(ImageFolderDataset::discoverClasses(root),
                 QStringList({QStringLiteral("bird"), QStringLiteral("cat"), QStringLiteral("dog")}));

        const QStringList head{QStringLiteral("dog"), QStringLiteral("cat"), QStringLiteral("bird")};
        const auto dataset = ImageFolderDataset::open(root, head);
        QCOMPARE(dataset.root(), root);
        QCOMPARE(dataset.classNames(), head);
        // Labels are the head's indices; files sorted by code unit (upper case first).
        const QVector<QPair<QString, int>> expected{
            {QStringLiteral("dog/w.webp"), 0}, {QStringLiteral("dog/x.bmp"), 0},   {QStringLiteral("cat/D.PNG"), 1},
            {QStringLiteral("cat/a.jpg"), 1},  {QStringLiteral("cat/b.png"), 1},   {QStringLiteral("cat/c.JpEg"), 1},
            {QStringLiteral("bird/1.tif"), 2}, {QStringLiteral("bird/2.TIFF"), 2}, {QStringLiteral("bird/3.ppm"), 2},
            {QStringLiteral("bird/4.pgm"), 2}};
        QCOMPARE(dataset.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            QCOMPARE(dataset.sample(i).file, root + QLatin1Char('/') + expected[i].first);
            QCOMPARE(dataset.sample(i).label, expected[i].second);
        }
        QCOMPARE(dataset.samples().size(), expected.size());
    }

    void classMismatchNamesBothSides()
    {
        QTemporaryDir dir;
        const QString root = dir.path();
        touch(root + QStringLiteral("/cat/a.png"));
        touch(root + QStringLiteral("/fish/a.png"));
        touch(root + QStringLiteral("/dog/a.png"));
        const QString message = errorOf([&] {
            ImageFolderDataset::open(root, {QStringLiteral("cat"), QStringLiteral("bird"), QStringLiteral("dog")});
        });
        QVERIFY2(message.startsWith(root), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("'bird'")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("'fish'")), qPrintable(message));

        // Only one side wrong: the head lacks a folder's class.
        const QString extra = errorOf([&] {
            ImageFolderDataset::open(root, {QStringLiteral("cat"), QStringLiteral("dog")});
        });
        QVERIFY2(extra.contains(QStringLiteral("folder 'fish' is not one of the head's classes")), qPrintable(extra));
        QVERIFY2(!extra.contains(QStringLiteral("no folder for")), qPrintable(extra));

        // The folder lacks a head class.
        const QString missing = errorOf([&] {
            ImageFolderDataset::open(
                root, {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("fish"), QStringLiteral("zebra")});
        });
        QVERIFY2(missing.contains(QStringLiteral("no folder for the head's class 'zebra'")), qPrintable(missing));
        QVERIFY2(!missing.contains(QStringLiteral("is not one of")), qPrintable(missing));
    }

    void emptyClassFolder()
    {
        QTemporaryDir dir;
        const QString root = dir.path();
        touch(root + QStringLiteral("/cat/a.png"));
        touch(root + QStringLiteral("/dog/readme.txt"));
        const QString message = errorOf([&] {
            ImageFolderDataset::open(root, {QStringLiteral("cat"), QStringLiteral("dog")});
        });
        QVERIFY2(message.startsWith(root + QStringLiteral("/dog:")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("no images")), qPrintable(message));
    }

    void noImagesAtAll()
    {
        QTemporaryDir dir;
        const QString root = dir.path();
        QVERIFY(QDir().mkpath(root + QStringLiteral("/cat")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/dog")));
        const QString message = errorOf([&] {
            ImageFolderDataset::open(root, {QStringLiteral("cat"), QStringLiteral("dog")});
        });
        QVERIFY2(message.startsWith(root + QStringLiteral(": no images in any class folder")), qPrintable(message));
    }

    void badRoots()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("nowhere"));
        QString message = errorOf([&] { ImageFolderDataset::open(missing, {QStringLiteral("a")}); });
        QVERIFY2(message.startsWith(missing) && message.contains(QStringLiteral("not found")), qPrintable(message));
        message = errorOf([&] { ImageFolderDataset::discoverClasses(missing); });
        QVERIFY2(message.startsWith(missing), qPrintable(message));

        const QString file = dir.filePath(QStringLiteral("file.png"));
        touch(file);
        message = errorOf([&] { ImageFolderDataset::open(file, {QStringLiteral("a")}); });
        QVERIFY2(message.startsWith(file) && message.contains(QStringLiteral("not a folder")), qPrintable(message));

        const QString flat = dir.filePath(QStringLiteral("flat"));
        touch(flat + QStringLiteral("/a.png"));
        message = errorOf([&] { ImageFolderDataset::open(flat, {QStringLiteral("a")}); });
        QVERIFY2(message.startsWith(flat) && message.contains(QStringLiteral("no class sub-folders")),
                 qPrintable(message));
    }

    void duplicateHeadClass()
    {
        QTemporaryDir dir;
        touch(dir.filePath(QStringLiteral("cat/a.png")));
        const QString message = errorOf([&] {
            ImageFolderDataset::open(dir.path(), {QStringLiteral("cat"), QStringLiteral("cat")});
        });
        QVERIFY2(message.contains(QStringLiteral("'cat' appears twice")), qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestImageFolderDataset)
#include "test_image_folder_dataset.moc"
