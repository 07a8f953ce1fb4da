#include "data/image_preprocessor.h"

#include "common/error.h"
#include "io/regular_file.h"

#include <QtCore/QFileInfo>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <cmath>
#include <cstdint>

namespace wemoe {

namespace {

// Bounds the intermediate resized image of a strip-like picture (a 1 x 10^6
// image would otherwise become gigabytes before the crop throws most away).
constexpr int kMaxResizedSide = 100000;

// Python's round() on (d / 2.0): half-way cases go to the even neighbour,
// which is what torchvision's CenterCrop computes for odd differences.
int halfRoundedToEven(int difference)
{
    const int floorHalf = difference / 2;
    if (difference % 2 == 0)
        return floorHalf;
    return floorHalf % 2 == 0 ? floorHalf : floorHalf + 1;
}

QString depthName(int depth)
{
    switch (depth) {
    case CV_8S: return QStringLiteral("8-bit signed");
    case CV_16S: return QStringLiteral("16-bit signed");
    case CV_32S: return QStringLiteral("32-bit integer");
    case CV_32F: return QStringLiteral("32-bit float");
    case CV_64F: return QStringLiteral("64-bit float");
    default: return QStringLiteral("depth %1").arg(depth);
    }
}

// Any decoded image as 8-bit RGB.
cv::Mat toRgb8(const cv::Mat &image, const QString &source)
{
    cv::Mat eightBit;
    if (image.depth() == CV_8U)
        eightBit = image;
    else if (image.depth() == CV_16U)
        image.convertTo(eightBit, CV_8U, 255.0 / 65535.0); // 65535 -> 255, 257 -> 1
    else
        throw Error(
            source,
            QStringLiteral("unsupported pixel type (%1); expected 8- or 16-bit images").arg(depthName(image.depth())));

    cv::Mat rgb;
    switch (eightBit.channels()) {
    case 1: cv::cvtColor(eightBit, rgb, cv::COLOR_GRAY2RGB); break;
    case 2: { // gray + alpha: keep the gray
        cv::Mat gray;
        cv::extractChannel(eightBit, gray, 0);
        cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
        break;
    }
    case 3: cv::cvtColor(eightBit, rgb, cv::COLOR_BGR2RGB); break;
    case 4: cv::cvtColor(eightBit, rgb, cv::COLOR_BGRA2RGB); break;
    default: throw Error(source, QStringLiteral("unsupported channel count %1").arg(eightBit.channels()));
    }
    return rgb;
}

} // namespace

ImagePreprocessor::ImagePreprocessor(int imageSize, const Normalization &normalization)
    : m_imageSize(imageSize)
    , m_normalization(normalization)
{
    if (imageSize <= 0)
        throw Error(QStringLiteral("image size must be positive, got %1").arg(imageSize));
    for (int c = 0; c < 3; ++c) {
        if (!(normalization.std[c] > 0.0f) || !std::isfinite(normalization.std[c])
            || !std::isfinite(normalization.mean[c]))
            throw Error(QStringLiteral("normalization of channel %1 is invalid (mean %2, std %3); std must be > 0")
                            .arg(c)
                            .arg(normalization.mean[c])
                            .arg(normalization.std[c]));
    }
}

QByteArray readImageFile(const QString &file)
{
    const QFileInfo info(file);
    if (!info.exists())
        throw Error(file, QStringLiteral("cannot read image: file missing"));
    if (info.isDir())
        throw Error(file, QStringLiteral("cannot read image: it is a folder"));
    const QByteArray bytes = readRegularFile(file, kMaxImageFileBytes);
    if (bytes.isEmpty())
        throw Error(file, QStringLiteral("not a decodable image (the file is empty)"));
    return bytes;
}

torch::Tensor ImagePreprocessor::load(const QString &file) const
{
    // Read with Qt and decode from memory (the same decoders and flags as
    // cv::imread) so any file name works and I/O errors keep their cause.
    return fromEncoded(readImageFile(file), file);
}

torch::Tensor ImagePreprocessor::fromEncoded(const QByteArray &encoded, const QString &source) const
{
    if (encoded.isEmpty())
        throw Error(source, QStringLiteral("not a decodable image (no bytes)"));
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, static_cast<int>(encoded.size()), CV_8U, const_cast<char *>(encoded.constData()));
        decoded = cv::imdecode(buffer, cv::IMREAD_UNCHANGED);
    } catch (const cv::Exception &e) {
        throw Error(source, QStringLiteral("not a decodable image (%1)").arg(QString::fromStdString(e.msg)));
    }
    if (decoded.empty())
        throw Error(source, QStringLiteral("not a decodable image (unknown or corrupt format)"));
    return fromMat(decoded, source);
}

torch::Tensor ImagePreprocessor::fromMat(const cv::Mat &image, const QString &source) const
{
    if (image.empty() || image.dims != 2)
        throw Error(source, QStringLiteral("empty image"));

    const int size = m_imageSize;
    try {
        cv::Mat rgb = toRgb8(image, source);

        // torchvision Resize(int): the shorter side becomes `size`, the longer
        // int(size * long / short) (truncated, as Python's int()).
        const int width = rgb.cols;
        const int height = rgb.rows;
        const int shortSide = std::min(width, height);
        const int longSide = std::max(width, height);
        const double newLongExact = static_cast<double>(std::int64_t(size) * longSide) / shortSide;
        if (newLongExact > kMaxResizedSide)
            throw Error(source, QStringLiteral("aspect ratio %1 x %2 is too extreme: resizing would need a %3-pixel "
                                               "side (limit %4)")
                                    .arg(width)
                                    .arg(height)
                                    .arg(newLongExact, 0, 'f', 0)
                                    .arg(kMaxResizedSide));
        const int newLong = static_cast<int>(newLongExact);
        const int newWidth = width <= height ? size : newLong;
        const int newHeight = width <= height ? newLong : size;
        if (newWidth != width || newHeight != height) {
            // Bicubic aliases badly when shrinking a lot; area averaging does not.
            const bool bigShrink = shortSide > 2 * size;
            cv::Mat resized;
            cv::resize(rgb, resized, cv::Size(newWidth, newHeight), 0, 0, bigShrink ? cv::INTER_AREA : cv::INTER_CUBIC);
            rgb = resized;
        }

        const int top = halfRoundedToEven(rgb.rows - size);
        const int left = halfRoundedToEven(rgb.cols - size);
        const cv::Mat crop = rgb(cv::Rect(left, top, size, size));

        // HWC uint8 -> CHW float: ToTensor (x / 255) then Normalize ((x - mean) / std),
        // in float32 and in that order, as torchvision computes it.
        auto output = torch::empty({3, size, size}, torch::kFloat32);
        float *planes = output.data_ptr<float>();
        const std::int64_t plane = std::int64_t(size) * size;
        const auto &mean = m_normalization.mean;
        const auto &deviation = m_normalization.std;
        for (int y = 0; y < size; ++y) {
            const std::uint8_t *row = crop.ptr<std::uint8_t>(y);
            for (int x = 0; x < size; ++x) {
                const std::int64_t at = std::int64_t(y) * size + x;
                for (int c = 0; c < 3; ++c)
                    planes[c * plane + at] = (static_cast<float>(row[3 * x + c]) / 255.0f - mean[c]) / deviation[c];
            }
        }
        return output;
    } catch (const cv::Exception &e) {
        throw Error(source, QStringLiteral("cannot preprocess image: %1").arg(QString::fromStdString(e.msg)));
    }
}

} // namespace wemoe
