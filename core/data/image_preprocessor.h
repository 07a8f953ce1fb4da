#pragma once

#include "io/model_pool.h"

#include <torch/types.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace cv {
class Mat;
}

namespace wemoe {

// CLIP's image transform: decode (OpenCV; grayscale is replicated to RGB, alpha
// dropped), resize the shorter side to imageSize (bicubic, area when
// shrinking by more than 2x), centre-crop imageSize x imageSize, scale to
// [0, 1], normalise per channel. Images from files and from memory take the
// same path (OpenCV's imdecode, IMREAD_UNCHANGED), so an image gives the same
// tensor whichever way it is stored.
class ImagePreprocessor
{
public:
    ImagePreprocessor(int imageSize, const Normalization &normalization);

    int imageSize() const { return m_imageSize; }

    // [3, imageSize, imageSize] float32. Throws wemoe::Error(file, ...) for a
    // missing, unreadable or undecodable image.
    torch::Tensor load(const QString &file) const;
    // The same from an encoded image in memory (a Parquet row's bytes);
    // `source` names it in errors.
    torch::Tensor fromEncoded(const QByteArray &encoded, const QString &source) const;
    // The same transform on an already decoded 8-bit image (BGR, BGRA or gray).
    torch::Tensor fromMat(const cv::Mat &image, const QString &source) const;

private:
    int m_imageSize;
    Normalization m_normalization;
};

// The bytes of an image file: a regular file of a sane size (test folders come
// from elsewhere). Throws wemoe::Error naming the file when it is missing, a
// folder, unreadable, empty or too large.
QByteArray readImageFile(const QString &file);

} // namespace wemoe
