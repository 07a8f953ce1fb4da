#pragma once

#include "data/image_dataset.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe {

// An image classification folder: root/<class name>/<image files>, the layout
// of torchvision's ImageFolder. Files with the extensions OpenCV decodes
// (png, jpg, jpeg, bmp, tif, tiff, webp, ppm, pgm) are taken, in sorted order.
class ImageFolderDataset : public ImageDataset
{
public:
    struct Sample
    {
        QString file;
        int label = 0; // index into classNames()
    };

    // Opens `root` with labels numbered in the order of `classNames` (the
    // head's order). Throws wemoe::Error naming the folder when it is missing,
    // holds no images, or its class folders are not exactly `classNames`
    // (names the first missing and the first unexpected class). A class
    // "sea lake" may be the folder "sea_lake".
    static ImageFolderDataset open(const QString &root, const QStringList &classNames);

    // The class sub-folders of root, sorted by name.
    static QStringList discoverClasses(const QString &root);

    QString root() const { return m_root; }
    QString source() const override { return m_root; }
    const QStringList &classNames() const override { return m_classNames; }
    int size() const override { return m_samples.size(); }
    int label(int index) const override { return m_samples.at(index).label; }
    QByteArray encodedImage(int index) const override;
    QString sampleName(int index) const override { return m_samples.at(index).file; }
    const Sample &sample(int index) const { return m_samples.at(index); }
    const QVector<Sample> &samples() const { return m_samples; }

private:
    QString m_root;
    QStringList m_classNames;
    QVector<Sample> m_samples;
};

} // namespace wemoe
