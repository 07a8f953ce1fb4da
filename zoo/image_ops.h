#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <opencv2/core/mat.hpp>

namespace wemoe {

class SeededRandom;

// Small image helpers the zoo's builders share. Images are OpenCV matrices in
// BGR(A) order, 8 bits per channel.

constexpr int kZooImageSize = 32;

// Decodes an image file (read through QFile, so any path works); throws
// wemoe::Error naming the file when it cannot be read or decoded.
cv::Mat readImageFile(const QString &file, int flags);

// Any 8/16-bit grey, grey+alpha, BGR or BGRA image as 8-bit BGR (alpha dropped).
cv::Mat toBgr(const cv::Mat &image);
// ... or as 8-bit BGRA (opaque alpha added when there is none).
cv::Mat toBgra(const cv::Mat &image);

// Shrinks (area averaging) so neither side exceeds maxSide; never enlarges.
cv::Mat shrinkToFit(const cv::Mat &image, int maxSide);
// Resizes to size×size: area averaging when shrinking, bilinear when enlarging.
cv::Mat resizeSquare(const cv::Mat &image, int size);

// The bounding box of the pixels whose alpha exceeds `threshold` (empty when none).
cv::Rect opaqueBounds(const cv::Mat &bgra, int threshold);

// One of the 8 symmetries of the square (0 = identity; 1..3 rotate by 90°
// steps; 4..7 the same after a horizontal flip).
cv::Mat dihedral(const cv::Mat &image, int which);

// A random square crop of side in [minSide, maxSide] (clamped to the image).
cv::Rect randomSquare(const cv::Size &size, int minSide, int maxSide, SeededRandom &random);

// Multiplies brightness by `gain` and adds `offset`, then saturates to 8 bits.
cv::Mat adjustBrightness(const cv::Mat &image, double gain, double offset);

// PNG bytes of an 8-bit image (deterministic: same pixels, same bytes).
QByteArray encodePng(const cv::Mat &image);

} // namespace wemoe
