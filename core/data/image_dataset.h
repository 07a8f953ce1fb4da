#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>
#include <vector>

namespace wemoe {

// Labelled images, however they are stored (an image folder, Parquet files):
// what evaluation and adaptation read. Labels are indices into classNames(),
// the head's order. Implementations are immutable after opening, and
// encodedImage() is safe to call from several threads at once.
class ImageDataset
{
public:
    virtual ~ImageDataset() = default;

    // Where the images are, for people: a folder, a file, a hub name.
    virtual QString source() const = 0;
    virtual const QStringList &classNames() const = 0;
    virtual int size() const = 0;
    virtual int label(int index) const = 0;
    // The encoded image (PNG, JPEG, ...) of sample `index`. Throws
    // wemoe::Error naming sampleName(index) when it cannot be read.
    virtual QByteArray encodedImage(int index) const = 0;
    // How messages name one sample: its file, or "<file>, row 17".
    virtual QString sampleName(int index) const = 0;
};

using SharedImageDataset = std::shared_ptr<const ImageDataset>;
using TaskDatasets = std::vector<SharedImageDataset>;

} // namespace wemoe
