#include "data/image_folder_dataset.h"

#include "common/error.h"
#include "data/image_preprocessor.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>

#include <algorithm>

namespace wemoe {

namespace {

const QStringList &imageExtensions()
{
    static const QStringList extensions{QStringLiteral("png"),  QStringLiteral("jpg"), QStringLiteral("jpeg"),
                                        QStringLiteral("bmp"),  QStringLiteral("tif"), QStringLiteral("tiff"),
                                        QStringLiteral("webp"), QStringLiteral("ppm"), QStringLiteral("pgm")};
    return extensions;
}

bool isImageFile(const QString &fileName)
{
    const int dot = fileName.lastIndexOf(QLatin1Char('.'));
    if (dot < 0)
        return false;
    return imageExtensions().contains(fileName.mid(dot + 1).toLower());
}

// Sorted by UTF-16 code units, not QDir's sorting, so the order (and therefore
// every seeded batch) does not depend on the locale; it is also Python's
// sorted() order that torchvision's ImageFolder uses.
QStringList sortedEntries(const QString &folder, QDir::Filters filters)
{
    QStringList names = QDir(folder).entryList(filters | QDir::NoDotAndDotDot, QDir::Unsorted);
    std::sort(names.begin(), names.end());
    return names;
}

void checkIsFolder(const QString &root)
{
    const QFileInfo info(root);
    if (!info.exists())
        throw Error(root, QCoreApplication::translate("wemoe::Error", "image folder not found"));
    if (!info.isDir())
        throw Error(root, QCoreApplication::translate("wemoe::Error",
                                                      "not a folder (expected <root>/<class name>/<image files>)"));
}

QStringList imagesIn(const QString &classFolder)
{
    QStringList images;
    for (const QString &name : sortedEntries(classFolder, QDir::Files)) {
        if (isImageFile(name))
            images.append(QDir(classFolder).filePath(name));
    }
    return images;
}

} // namespace

QByteArray ImageFolderDataset::encodedImage(int index) const
{
    return readImageFile(m_samples.at(index).file);
}

QStringList ImageFolderDataset::discoverClasses(const QString &root)
{
    checkIsFolder(root);
    return sortedEntries(root, QDir::Dirs);
}

ImageFolderDataset ImageFolderDataset::open(const QString &root, const QStringList &classNames)
{
    const QStringList folders = discoverClasses(root);
    if (folders.isEmpty())
        throw Error(root, QCoreApplication::translate(
                              "wemoe::Error", "no class sub-folders (expected <root>/<class name>/<image files>)"));

    QSet<QString> headClasses;
    for (const QString &name : classNames) {
        if (headClasses.contains(name))
            throw Error(root, QCoreApplication::translate("wemoe::Error",
                                                          "the class name '%1' appears twice in the head's classes")
                                  .arg(name));
        headClasses.insert(name);
    }
    // A class named with spaces ("annual crop") may live in a folder that spells
    // them as underscores ("annual_crop"), as folders of zero-shot classes do.
    const QSet<QString> folderSet(folders.begin(), folders.end());
    QStringList classFolders;
    QString missing;
    for (const QString &name : classNames) {
        QString folder = name;
        if (!folderSet.contains(folder))
            folder = QString(name).replace(QLatin1Char(' '), QLatin1Char('_'));
        if (!folderSet.contains(folder) && missing.isEmpty())
            missing = name;
        classFolders.append(folder);
    }
    const QSet<QString> matched(classFolders.begin(), classFolders.end());
    QString unexpected;
    for (const QString &name : folders) {
        if (!matched.contains(name)) {
            unexpected = name;
            break;
        }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
        QStringList problems;
        if (!missing.isEmpty())
            problems.append(QStringLiteral("no folder for the head's class '%1'").arg(missing));
        if (!unexpected.isEmpty())
            problems.append(QStringLiteral("folder '%1' is not one of the head's classes").arg(unexpected));
        throw Error(root, QCoreApplication::translate(
                              "wemoe::Error", "class folders do not match the head's %1 classes (%2 folders): %3")
                              .arg(classNames.size())
                              .arg(folders.size())
                              .arg(problems.join(QStringLiteral("; "))));
    }

    // Labels follow the head's order, so label i is the head's logit i.
    QVector<QStringList> imagesPerClass;
    qsizetype total = 0;
    for (const QString &folder : classFolders) {
        imagesPerClass.append(imagesIn(QDir(root).filePath(folder)));
        total += imagesPerClass.constLast().size();
    }
    if (total == 0)
        throw Error(root, QCoreApplication::translate("wemoe::Error", "no images in any class folder (extensions: %1)")
                              .arg(imageExtensions().join(QStringLiteral(", "))));

    ImageFolderDataset dataset;
    dataset.m_root = root;
    dataset.m_classNames = classNames;
    dataset.m_samples.reserve(total);
    for (int label = 0; label < classNames.size(); ++label) {
        if (imagesPerClass[label].isEmpty())
            throw Error(QDir(root).filePath(classFolders[label]),
                        QCoreApplication::translate("wemoe::Error", "class folder holds no images (extensions: %1)")
                            .arg(imageExtensions().join(QStringLiteral(", "))));
        for (const QString &file : imagesPerClass[label])
            dataset.m_samples.append(Sample{file, label});
    }
    return dataset;
}

} // namespace wemoe
