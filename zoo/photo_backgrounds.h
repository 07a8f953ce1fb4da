#pragma once

#include "jobs/job_context.h"
#include "zoo/dataset_recipe.h"

#include <QtCore/QString>

#include <opencv2/core/mat.hpp>

#include <array>
#include <vector>

namespace wemoe {

// The photographs among OpenCV's sample data (opencv-doc,
// /usr/share/doc/opencv-doc/examples/data/*.jpg|png): the backgrounds of the
// objects, road signs and house numbers tasks. Drawings, logos, charts, text
// scans and the digit sheet are left out, and of the 26 stereo-calibration
// shots of one chessboard only left01.jpg is kept. Every fifth photo in name
// order is reserved for test images, so no test image shares a background
// photo with a train image.
class PhotoBackgrounds
{
public:
    static PhotoBackgrounds load(const QString &systemRoot, const JobContext &context);

    // Names of the photos a split draws from.
    QStringList names(ZooSplit split) const;

    // A random square crop of a random photo of `split` (side between
    // minFraction and 1 of the photo's shorter side), resized to size×size BGR.
    // The photo's file name goes to *name.
    cv::Mat randomCrop(ZooSplit split, int size, double minFraction, SeededRandom &random, QString *name) const;

private:
    struct Photo
    {
        QString name;
        cv::Mat bgr; // longest side at most kStoredSide
    };
    std::array<std::vector<Photo>, 2> m_photos;
};

} // namespace wemoe
