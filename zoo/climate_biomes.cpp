#include "zoo/climate_biomes.h"

#include "common/error.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <iterator>

namespace wemoe {

namespace {

template<size_t N>
double interpolate(double x, const std::array<double, N> &xs, const std::array<double, N> &ys)
{
    if (x <= xs.front())
        return ys.front();
    for (size_t i = 1; i < N; ++i) {
        if (x <= xs[i])
            return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
    }
    return ys.back();
}

// Lookup tables over the 256 grey levels.
std::array<double, 256> table(double (*curve)(int))
{
    std::array<double, 256> values{};
    for (int g = 0; g < 256; ++g)
        values[size_t(g)] = curve(g);
    return values;
}

cv::Mat resampled(const cv::Mat &map, const cv::Size &size, const char *what)
{
    if (map.empty() || map.type() != CV_8UC1)
        throw Error(QStringLiteral("climate map %1 must be a non-empty 8-bit grey image").arg(QLatin1String(what)));
    if (map.size() == size)
        return map;
    cv::Mat out;
    cv::resize(map, out, size, 0, 0, cv::INTER_LINEAR);
    return out;
}

} // namespace

QStringList biomeNames()
{
    return {QStringLiteral("water"),    QStringLiteral("ice"),        QStringLiteral("boreal"),
            QStringLiteral("desert"),   QStringLiteral("rainforest"), QStringLiteral("savanna"),
            QStringLiteral("temperate")};
}

double temperatureFromGrey(int grey)
{
    static const std::array<double, 5> stops{0, .25, .43, .83, 1};
    static const std::array<double, 5> celsius{-69, -27, 1, 23, 42};
    return interpolate(grey / 255.0, stops, celsius);
}

double rainfallFromGrey(int grey)
{
    static const std::array<double, 10> stops{0, .04, .16, .25, .35, .5, .75, .87, .93, 1};
    static const std::array<double, 10> millimetres{0, 10, 40, 63, 89, 127, 256, 512, 1024, 1400};
    return interpolate(grey / 255.0, stops, millimetres);
}

bool isWhitePixel(int red, int green, int blue)
{
    return std::min({red, green, blue}) >= 190;
}

Biome classifyBiome(const ClimateSample &s)
{
    const double coldest = std::min(s.temperatureJuly, s.temperatureDecember);
    const double warmest = std::max(s.temperatureJuly, s.temperatureDecember);
    const double driest = std::min(s.rainfallJuly, s.rainfallDecember);
    const double meanRain = (s.rainfallJuly + s.rainfallDecember) / 2;

    Biome biome = Biome::Temperate;
    if (coldest >= 18) {
        biome = Biome::Savanna;
        if (driest >= 60)
            biome = Biome::Rainforest;
    }
    if (meanRain < 20 && warmest >= 10)
        biome = Biome::Desert;
    if (coldest < -3 && warmest >= 10 && meanRain >= 20)
        biome = Biome::Boreal;
    if (warmest < 0 || isWhitePixel(s.red, s.green, s.blue))
        biome = Biome::Ice;
    if (s.blue > s.red + 12 && s.blue >= s.green)
        biome = Biome::Water;
    return biome;
}

cv::Mat biomeLabelMap(const cv::Mat &blueMarble, const cv::Mat &temperatureJuly, const cv::Mat &temperatureDecember,
                      const cv::Mat &rainfallJuly, const cv::Mat &rainfallDecember)
{
    if (blueMarble.empty() || blueMarble.type() != CV_8UC3)
        throw Error(QStringLiteral("the Blue Marble mosaic must be a non-empty 8-bit BGR image"));
    const cv::Size size = blueMarble.size();
    const cv::Mat tJuly = resampled(temperatureJuly, size, "temp-july");
    const cv::Mat tDec = resampled(temperatureDecember, size, "temp-dec");
    const cv::Mat pJuly = resampled(rainfallJuly, size, "precip-july");
    const cv::Mat pDec = resampled(rainfallDecember, size, "precip-dec");
    static const std::array<double, 256> temperature = table(&temperatureFromGrey);
    static const std::array<double, 256> rainfall = table(&rainfallFromGrey);

    cv::Mat labels(size, CV_8UC1);
    for (int y = 0; y < size.height; ++y) {
        const auto *bgr = blueMarble.ptr<cv::Vec3b>(y);
        for (int x = 0; x < size.width; ++x) {
            ClimateSample s;
            s.temperatureJuly = temperature[tJuly.at<uchar>(y, x)];
            s.temperatureDecember = temperature[tDec.at<uchar>(y, x)];
            s.rainfallJuly = rainfall[pJuly.at<uchar>(y, x)];
            s.rainfallDecember = rainfall[pDec.at<uchar>(y, x)];
            s.blue = bgr[x][0];
            s.green = bgr[x][1];
            s.red = bgr[x][2];
            labels.at<uchar>(y, x) = static_cast<uchar>(classifyBiome(s));
        }
    }
    return labels;
}

} // namespace wemoe
