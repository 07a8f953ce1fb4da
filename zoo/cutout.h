#pragma once

#include <QtCore/QString>

#include <opencv2/core/mat.hpp>

namespace wemoe {

// A picture with transparency (a Tux Paint photo stamp, an Openclipart road
// sign) to paste onto a background. Stored premultiplied (colour × alpha), so
// shrinking and rotating never pull the colour of transparent pixels into
// the edge.
struct Cutout
{
    QString name;
    cv::Mat premultiplied; // CV_8UC4, trimmed to its opaque pixels
};

// Reads `file`, trims the fully transparent margin (alpha ≤ 8) and shrinks it
// so its longest side is at most maxSide. Throws wemoe::Error when the file
// has no opaque pixel.
Cutout loadCutout(const QString &file, const QString &name, int maxSide);

// Where and how a cutout lands on a canvas.
struct CutoutPlacement
{
    double longestSide = 24; // of the pasted cutout, canvas pixels
    double angle = 0;        // degrees, counter-clockwise
    double centreX = 16, centreY = 16;
    bool mirror = false;
    double gain[3] = {1, 1, 1}; // colour gain per B, G, R channel
};

// Pastes the cutout onto an 8-bit BGR canvas in place.
void pasteCutout(cv::Mat &canvas, const Cutout &cutout, const CutoutPlacement &placement);

} // namespace wemoe
