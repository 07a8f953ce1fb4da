#include "zoo/cutout.h"

#include "common/error.h"
#include "zoo/image_ops.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace wemoe {

Cutout loadCutout(const QString &file, const QString &name, int maxSide)
{
    const cv::Mat bgra = toBgra(readImageFile(file, cv::IMREAD_UNCHANGED));
    const cv::Rect bounds = opaqueBounds(bgra, 8);
    if (bounds.empty())
        throw Error(file, QStringLiteral("has no opaque pixel to cut out"));

    cv::Mat premultiplied;
    bgra(bounds).convertTo(premultiplied, CV_32FC4, 1.0 / 255);
    premultiplied.forEach<cv::Vec4f>([](cv::Vec4f &p, const int *) {
        p[0] *= p[3];
        p[1] *= p[3];
        p[2] *= p[3];
    });
    premultiplied = shrinkToFit(premultiplied, maxSide);
    Cutout cutout;
    cutout.name = name;
    premultiplied.convertTo(cutout.premultiplied, CV_8UC4, 255.0);
    return cutout;
}

void pasteCutout(cv::Mat &canvas, const Cutout &cutout, const CutoutPlacement &placement)
{
    CV_Assert(canvas.type() == CV_8UC3 && cutout.premultiplied.type() == CV_8UC4);
    const cv::Mat &source = cutout.premultiplied;
    const double scale = placement.longestSide / std::max(source.cols, source.rows);
    const cv::Size scaledSize(std::max(1, int(std::lround(source.cols * scale))),
                              std::max(1, int(std::lround(source.rows * scale))));
    cv::Mat scaled;
    cv::resize(source, scaled, scaledSize, 0, 0, scale < 1 ? cv::INTER_AREA : cv::INTER_LINEAR);
    if (placement.mirror)
        cv::flip(scaled, scaled, 1);

    const cv::Point2f centre(float(scaled.cols) / 2, float(scaled.rows) / 2);
    cv::Mat transform = cv::getRotationMatrix2D(centre, placement.angle, 1.0);
    transform.at<double>(0, 2) += placement.centreX - centre.x;
    transform.at<double>(1, 2) += placement.centreY - centre.y;
    cv::Mat layer;
    cv::warpAffine(scaled, layer, transform, canvas.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));

    // out = gain·colour + (1 − alpha)·background, colour clamped to alpha so a
    // gain above 1 cannot make a half-transparent edge glow.
    for (int y = 0; y < canvas.rows; ++y) {
        auto *out = canvas.ptr<cv::Vec3b>(y);
        const auto *in = layer.ptr<cv::Vec4b>(y);
        for (int x = 0; x < canvas.cols; ++x) {
            const double alpha = in[x][3];
            if (alpha <= 0)
                continue;
            for (int c = 0; c < 3; ++c) {
                const double colour = std::min(alpha, in[x][c] * placement.gain[c]);
                out[x][c] = cv::saturate_cast<uchar>(colour + out[x][c] * (1.0 - alpha / 255.0));
            }
        }
    }
}

} // namespace wemoe
