#pragma once

#include <QtCore/QStringList>

#include <opencv2/core/mat.hpp>

namespace wemoe {

// Labels the NASA Blue Marble mosaic of marble-qt-data with a biome per pixel
// from Marble's climate maps (July and December temperature and rainfall,
// grey-coded; legends in tempcolors.leg / precipcolors.leg). The grey→value
// curves and the rules are docs/DEMO-DATA.md's; they are approximate, on purpose
// coarse, and good enough to tell a rainforest patch from a desert one.

enum class Biome { Water = 0, Ice, Boreal, Desert, Rainforest, Savanna, Temperate, Count };

// Folder names, indexed by Biome.
QStringList biomeNames();

// Linear interpolation of grey/255 through the legend's stops.
double temperatureFromGrey(int grey); // °C
double rainfallFromGrey(int grey);    // mm per month

struct ClimateSample
{
    double temperatureJuly = 0, temperatureDecember = 0; // °C
    double rainfallJuly = 0, rainfallDecember = 0;       // mm
    int red = 0, green = 0, blue = 0;                    // Blue Marble pixel
};

// The rules, later ones win: temperate by default; savanna if the coldest
// month is ≥ 18 °C; rainforest if also the driest month has ≥ 60 mm; desert
// if mean rain < 20 mm and the warmest month ≥ 10 °C; boreal if coldest
// < −3 °C, warmest ≥ 10 °C and rain ≥ 20 mm; ice if warmest < 0 °C or the
// pixel is white; water if blue > red + 12 and blue ≥ green.
Biome classifyBiome(const ClimateSample &sample);
// "White" for the ice rule: every channel ≥ 190.
bool isWhitePixel(int red, int green, int blue);

// A CV_8U map of Biome values the size of `blueMarble` (8-bit BGR). The four
// climate maps are 8-bit grey of any size covering the same longitude and
// latitude range (equirectangular); they are resampled to the mosaic's size.
cv::Mat biomeLabelMap(const cv::Mat &blueMarble, const cv::Mat &temperatureJuly, const cv::Mat &temperatureDecember,
                      const cv::Mat &rainfallJuly, const cv::Mat &rainfallDecember);

} // namespace wemoe
