#include "zoo/image_ops.h"

#include "common/error.h"
#include "zoo/seeded_random.h"

#include <QtCore/QFile>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <vector>

namespace wemoe {

cv::Mat readImageFile(const QString &file, int flags)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        throw Error(file, QStringLiteral("cannot be read: %1").arg(in.errorString()));
    const QByteArray bytes = in.readAll();
    if (bytes.isEmpty())
        throw Error(file, QStringLiteral("is empty"));
    cv::Mat image;
    try {
        image = cv::imdecode(cv::Mat(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char *>(bytes.constData())),
                             flags);
    } catch (const cv::Exception &e) {
        throw Error(file, QStringLiteral("cannot be decoded as an image: %1").arg(QString::fromStdString(e.msg)));
    }
    if (image.empty())
        throw Error(file, QStringLiteral("cannot be decoded as an image (%1 bytes)").arg(bytes.size()));
    return image;
}

namespace {

cv::Mat to8Bit(const cv::Mat &image)
{
    if (image.depth() == CV_8U)
        return image;
    cv::Mat converted;
    image.convertTo(converted, CV_8U, image.depth() == CV_16U ? 1.0 / 257.0 : 255.0);
    return converted;
}

} // namespace

cv::Mat toBgr(const cv::Mat &image)
{
    const cv::Mat bytes = to8Bit(image);
    cv::Mat bgr;
    switch (bytes.channels()) {
    case 1: cv::cvtColor(bytes, bgr, cv::COLOR_GRAY2BGR); break;
    case 2: {
        std::vector<cv::Mat> planes;
        cv::split(bytes, planes);
        cv::cvtColor(planes[0], bgr, cv::COLOR_GRAY2BGR);
        break;
    }
    case 3: bgr = bytes.clone(); break;
    case 4: cv::cvtColor(bytes, bgr, cv::COLOR_BGRA2BGR); break;
    default: throw Error(QStringLiteral("image with %1 channels cannot be converted to BGR").arg(bytes.channels()));
    }
    return bgr;
}

cv::Mat toBgra(const cv::Mat &image)
{
    const cv::Mat bytes = to8Bit(image);
    cv::Mat bgra;
    switch (bytes.channels()) {
    case 1: cv::cvtColor(bytes, bgra, cv::COLOR_GRAY2BGRA); break;
    case 2: {
        std::vector<cv::Mat> planes;
        cv::split(bytes, planes);
        cv::merge(std::vector<cv::Mat>{planes[0], planes[0], planes[0], planes[1]}, bgra);
        break;
    }
    case 3: cv::cvtColor(bytes, bgra, cv::COLOR_BGR2BGRA); break;
    case 4: bgra = bytes.clone(); break;
    default: throw Error(QStringLiteral("image with %1 channels cannot be converted to BGRA").arg(bytes.channels()));
    }
    return bgra;
}

cv::Mat shrinkToFit(const cv::Mat &image, int maxSide)
{
    const int longest = std::max(image.cols, image.rows);
    if (longest <= maxSide)
        return image;
    const double scale = double(maxSide) / longest;
    cv::Mat small;
    cv::resize(image, small,
               cv::Size(std::max(1, int(image.cols * scale + 0.5)), std::max(1, int(image.rows * scale + 0.5))), 0, 0,
               cv::INTER_AREA);
    return small;
}

cv::Mat resizeSquare(const cv::Mat &image, int size)
{
    if (image.cols == size && image.rows == size)
        return image.clone();
    cv::Mat resized;
    const bool shrinking = image.cols >= size && image.rows >= size;
    cv::resize(image, resized, cv::Size(size, size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return resized;
}

cv::Rect opaqueBounds(const cv::Mat &bgra, int threshold)
{
    CV_Assert(bgra.type() == CV_8UC4);
    cv::Mat alpha;
    cv::extractChannel(bgra, alpha, 3);
    cv::Mat mask = alpha > threshold;
    std::vector<cv::Point> points;
    cv::findNonZero(mask, points);
    if (points.empty())
        return {};
    return cv::boundingRect(points);
}

cv::Mat dihedral(const cv::Mat &image, int which)
{
    // Never in place: `image` may be a view into a shared picture.
    cv::Mat mirrored;
    if (which >= 4)
        cv::flip(image, mirrored, 1);
    else
        mirrored = image;
    static const int turns[] = {-1, cv::ROTATE_90_CLOCKWISE, cv::ROTATE_180, cv::ROTATE_90_COUNTERCLOCKWISE};
    const int turn = turns[which % 4];
    if (turn < 0)
        return mirrored.data == image.data ? image.clone() : mirrored;
    cv::Mat rotated;
    cv::rotate(mirrored, rotated, turn);
    return rotated;
}

cv::Rect randomSquare(const cv::Size &size, int minSide, int maxSide, SeededRandom &random)
{
    const int limit = std::min(size.width, size.height);
    const int high = std::max(1, std::min(maxSide, limit));
    const int low = std::max(1, std::min(minSide, high));
    const int side = random.between(low, high);
    const int x = random.between(0, size.width - side);
    const int y = random.between(0, size.height - side);
    return {x, y, side, side};
}

cv::Mat adjustBrightness(const cv::Mat &image, double gain, double offset)
{
    cv::Mat out;
    image.convertTo(out, image.type(), gain, offset);
    return out;
}

QByteArray encodePng(const cv::Mat &image)
{
    std::vector<uchar> bytes;
    if (!cv::imencode(".png", image, bytes))
        throw Error(QStringLiteral("PNG encoding of a %1×%2 image failed").arg(image.cols).arg(image.rows));
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

} // namespace wemoe
