#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/climate_biomes.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <vector>

namespace wemoe {

namespace {

const QString kPackage = QStringLiteral("marble-qt-data");
const QString kMaps = QStringLiteral("/usr/share/marble/data/maps/earth");
constexpr int kClasses = int(Biome::Count);
constexpr int kPatch = kZooImageSize; // patches are taken at the mosaic's own resolution (~4° at the equator)
constexpr int kStride = 8;
constexpr double kMajority = 0.6;
// Twelve 30° longitude bands; patches wholly inside bands 2, 6 and 10
// (120–90°W: North America; 0–30°E: Europe, Sahara, Congo; 120–150°E:
// Siberia, Australia, New Guinea) are test patches, the rest train.
constexpr int kBands = 12;
constexpr std::array<int, 3> kTestBands{2, 6, 10};

class BiomesGenerator : public DatasetGenerator
{
public:
    BiomesGenerator(cv::Mat mosaic, std::array<std::array<std::vector<cv::Point>, kClasses>, 2> patches)
        : m_mosaic(std::move(mosaic))
        , m_patches(std::move(patches))
    {
    }

    int sourceCount(ZooSplit split, int label) const override
    {
        return int(m_patches[size_t(split)][size_t(label)].size());
    }

    ZooImage draw(ZooSplit split, int label, int source, int, SeededRandom &random) const override
    {
        const cv::Point origin = m_patches[size_t(split)][size_t(label)][size_t(source)];
        // Seen from above, every turn and mirror image of a patch is as real as the patch.
        const cv::Mat patch = dihedral(m_mosaic(cv::Rect(origin.x, origin.y, kPatch, kPatch)), random.between(0, 7));
        const int bandWidth = m_mosaic.cols / kBands;
        const int band = origin.x / bandWidth;
        return {patch, QStringLiteral("longitudes %1..%2, patch at %3,%4")
                           .arg(-180 + 30 * band)
                           .arg(-150 + 30 * band)
                           .arg(origin.x)
                           .arg(origin.y)};
    }

private:
    cv::Mat m_mosaic;
    std::array<std::array<std::vector<cv::Point>, kClasses>, 2> m_patches;
};

cv::Mat readMap(const QString &systemRoot, const QString &name, int flags)
{
    const QString file = requirePackageFile(systemRoot, QStringLiteral("%1/%2/%2.jpg").arg(kMaps, name), kPackage);
    return readImageFile(file, flags);
}

std::unique_ptr<DatasetGenerator> loadBiomes(const QString &systemRoot, const JobContext &context)
{
    context.progress(0, 2, QStringLiteral("biomes: reading the Blue Marble mosaic and climate maps"));
    const cv::Mat mosaic = readMap(systemRoot, QStringLiteral("bluemarble"), cv::IMREAD_COLOR);
    const cv::Mat labels = biomeLabelMap(mosaic, readMap(systemRoot, QStringLiteral("temp-july"), cv::IMREAD_GRAYSCALE),
                                         readMap(systemRoot, QStringLiteral("temp-dec"), cv::IMREAD_GRAYSCALE),
                                         readMap(systemRoot, QStringLiteral("precip-july"), cv::IMREAD_GRAYSCALE),
                                         readMap(systemRoot, QStringLiteral("precip-dec"), cv::IMREAD_GRAYSCALE));
    context.throwIfCancelled();
    context.progress(1, 2, QStringLiteral("biomes: cutting labelled patches"));
    if (mosaic.cols < kBands * kPatch || mosaic.rows < kPatch)
        throw Error(
            QStringLiteral("%1/bluemarble/bluemarble.jpg").arg(kMaps),
            QStringLiteral("is %1×%2 pixels, too small for the biome patches").arg(mosaic.cols).arg(mosaic.rows));

    // Per class, the number of its pixels in every patch (integral images).
    const int needed = int(kMajority * kPatch * kPatch + 0.5);
    const int bandWidth = mosaic.cols / kBands;
    std::array<std::array<std::vector<cv::Point>, kClasses>, 2> patches;
    for (int label = 0; label < kClasses; ++label) {
        cv::Mat sums;
        cv::integral(labels == label, sums, CV_32S);
        // labels == label is 255 where true: scale the threshold alike.
        for (int y = 0; y + kPatch <= mosaic.rows; y += kStride) {
            for (int x = 0; x + kPatch <= mosaic.cols; x += kStride) {
                const int band = x / bandWidth;
                if ((x + kPatch - 1) / bandWidth != band || band >= kBands)
                    continue; // straddles two bands (or the leftover columns)
                const int count = (sums.at<int>(y + kPatch, x + kPatch) - sums.at<int>(y, x + kPatch)
                                   - sums.at<int>(y + kPatch, x) + sums.at<int>(y, x))
                                  / 255;
                if (count < needed)
                    continue;
                const bool test = std::find(kTestBands.begin(), kTestBands.end(), band) != kTestBands.end();
                patches[size_t(test ? ZooSplit::Test : ZooSplit::Train)][size_t(label)].push_back(cv::Point(x, y));
            }
        }
    }
    const QStringList names = biomeNames();
    for (int split = 0; split < 2; ++split) {
        for (int label = 0; label < kClasses; ++label) {
            if (patches[size_t(split)][size_t(label)].empty())
                throw Error(QStringLiteral("%1/bluemarble/bluemarble.jpg").arg(kMaps),
                            QStringLiteral("no %1 patch is ≥ %2 % %3")
                                .arg(zooSplitName(ZooSplit(split)))
                                .arg(int(kMajority * 100))
                                .arg(names[label]));
        }
    }
    return std::make_unique<BiomesGenerator>(mosaic, std::move(patches));
}

} // namespace

DatasetRecipe biomesRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("biomes");
    recipe.standsFor = QStringLiteral("EuroSAT / RESISC45 (satellite land cover)");
    recipe.packages = {kPackage};
    recipe.credit = QStringLiteral(
        "NASA Blue Marble mosaic and climate maps shipped with Marble (package "
        "marble-qt-data; LGPL-2.1+; Blue Marble imagery by NASA, public domain; climate maps "
        "by Legates and Willmott, CC BY-SA 3.0)");
    recipe.classNames = biomeNames();
    // 4200 train images: 1050 were memorised by the fine-tunes (docs/ZOO.md, recipe 4).
    recipe.defaultTrainPerClass = 600;
    recipe.defaultTestPerClass = 45;
    recipe.load = &loadBiomes;
    return recipe;
}

} // namespace wemoe
