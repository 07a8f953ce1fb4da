#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/gimp_pattern.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"
#include "zoo/parallel_for.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <vector>

namespace wemoe {

namespace {

const QString kGimpPackage = QStringLiteral("gimp-data");
const QString kMyPaintPackage = QStringLiteral("mypaint-data-extras");
const QString kStellariumPackage = QStringLiteral("stellarium-data");
const QString kGimpPatterns = QStringLiteral("/usr/share/gimp/2.0/patterns");
const QString kMyPaintBackgrounds = QStringLiteral("/usr/share/mypaint/backgrounds");
const QString kLandscapes = QStringLiteral("/usr/share/stellarium/landscapes");
constexpr int kClasses = 7;
constexpr int kMinCrop = 24;
constexpr int kMaxCrop = 96;

enum TextureClass { Wood, Stone, Marble, Paper, Fabric, Foliage, WaterSky };
// GIMP patterns and MyPaint papers are seamless tiles; Stellarium's landscape
// panels are photos with a transparent sky, whose lower half is vegetation.
enum class Origin { GimpPattern, MyPaintBackground, StellariumLandscape };
enum class Holdout { Train, Test };

struct TextureEntry
{
    TextureClass label;
    Origin origin;
    const char *path;
    Holdout holdout;
};

// Sorted into classes by eye. One to three sources per class are held out for
// the test split. GIMP has a single, small foliage tile, so foliage adds the
// grass and rapeseed fields of two Stellarium landscapes.
const std::vector<TextureEntry> &textureEntries()
{
    using O = Origin;
    using H = Holdout;
    static const std::vector<TextureEntry> entries{
        {Wood, O::GimpPattern, "Wood/bark.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/burlwood.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/parque1.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/parque2.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/parque3.pat", H::Test},
        {Wood, O::GimpPattern, "Wood/pine.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/walnut.pat", H::Test},
        {Wood, O::GimpPattern, "Wood/wood1.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/wood2.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/wood3.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/wood4.pat", H::Train},
        {Wood, O::GimpPattern, "Wood/wood5.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/brick.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/cracked.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/Craters.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/granite1.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/ground1.pat", H::Test},
        {Stone, O::GimpPattern, "Stone/Moonfoot.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/rock.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/slate.pat", H::Train},
        {Stone, O::GimpPattern, "Stone/stone33.pat", H::Test},
        {Stone, O::GimpPattern, "Stone/terra.pat", H::Train},
        {Marble, O::GimpPattern, "Stone/marble1.pat", H::Train},
        {Marble, O::GimpPattern, "Stone/marble2.pat", H::Test},
        {Marble, O::GimpPattern, "Stone/marble3.pat", H::Train},
        {Marble, O::GimpPattern, "Stone/pink_marble.pat", H::Train},
        {Paper, O::GimpPattern, "Paper/paper.pat", H::Train},
        {Paper, O::GimpPattern, "Paper/crinklepaper.pat", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_DecoPaper.png", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_PastelPaper 01.png", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_PastelPaper 02.png", H::Test},
        {Paper, O::MyPaintBackground, "ramon/HR_RoughPaper.png", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_SketchPaper.png", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_SketchPaper 02.png", H::Train},
        {Paper, O::MyPaintBackground, "ramon/HR_WaterColor.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_a_1.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_a_2.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_b_1.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_c_3.png", H::Test},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_e_1.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_e_2.png", H::Train},
        {Paper, O::MyPaintBackground, "mrmamurk/mamurk_f_1.png", H::Train},
        {Fabric, O::GimpPattern, "Fabric/burlap.pat", H::Train},
        {Fabric, O::MyPaintBackground, "ramon/HR_Canvas 01.png", H::Train},
        {Fabric, O::MyPaintBackground, "ramon/HR_Canvas 02.png", H::Test},
        {Foliage, O::GimpPattern, "Plant/leaves.pat", H::Train},
        {Foliage, O::StellariumLandscape, "garching/garching-gl1.png", H::Train},
        {Foliage, O::StellariumLandscape, "garching/garching-gl2.png", H::Train},
        {Foliage, O::StellariumLandscape, "garching/garching-gl3.png", H::Train},
        {Foliage, O::StellariumLandscape, "garching/garching-gl4.png", H::Test},
        {Foliage, O::StellariumLandscape, "garching/garching-ground3.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins1.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins2.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins3.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins4.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins5.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins6.png", H::Train},
        {Foliage, O::StellariumLandscape, "guereins/guereins7.png", H::Test},
        {Foliage, O::StellariumLandscape, "guereins/guereins8.png", H::Test},
        {WaterSky, O::GimpPattern, "Water/pool.pat", H::Test},
        {WaterSky, O::GimpPattern, "Water/rain.pat", H::Train},
        {WaterSky, O::GimpPattern, "Water/electric.pat", H::Train},
        {WaterSky, O::GimpPattern, "Sky/sky.pat", H::Train}};
    return entries;
}

struct TextureSource
{
    QString name;
    cv::Mat image; // BGR; seamless tiles are repeated so any crop up to kMaxCrop fits
    // For landscape photos: the allowed crops (opaque squares of the lower
    // half). Empty: any square of kMinCrop..kMaxCrop pixels.
    std::vector<cv::Rect> crops;
};

class TexturesGenerator : public DatasetGenerator
{
public:
    explicit TexturesGenerator(std::array<std::array<std::vector<TextureSource>, kClasses>, 2> sources)
        : m_sources(std::move(sources))
    {
    }

    int sourceCount(ZooSplit split, int label) const override
    {
        return int(m_sources[size_t(split)][size_t(label)].size());
    }

    ZooImage draw(ZooSplit split, int label, int source, int, SeededRandom &random) const override
    {
        const TextureSource &texture = m_sources[size_t(split)][size_t(label)][size_t(source)];
        const cv::Rect crop = texture.crops.empty() ? randomSquare(texture.image.size(), kMinCrop, kMaxCrop, random)
                                                    : texture.crops[size_t(random.below(texture.crops.size()))];
        // Textures have no up: any flip and quarter turn.
        const cv::Mat patch = dihedral(resizeSquare(texture.image(crop), kZooImageSize), random.between(0, 7));
        return {patch, texture.name};
    }

private:
    std::array<std::array<std::vector<TextureSource>, kClasses>, 2> m_sources;
};

// A seamless tile repeated until both sides are at least 2·kMaxCrop.
cv::Mat tiled(const cv::Mat &tile)
{
    const int across = std::max(1, int(std::ceil(2.0 * kMaxCrop / tile.cols)));
    const int down = std::max(1, int(std::ceil(2.0 * kMaxCrop / tile.rows)));
    cv::Mat out;
    cv::repeat(tile, down, across, out);
    return out;
}

// Square crops of kMinCrop..kMaxCrop pixels lying inside `region` whose
// pixels are (nearly) all opaque.
std::vector<cv::Rect> opaqueCrops(const cv::Mat &bgra, const cv::Rect &region)
{
    cv::Mat alpha;
    cv::extractChannel(bgra, alpha, 3);
    cv::Mat sums;
    cv::integral(alpha < 250, sums, CV_32S);
    std::vector<cv::Rect> crops;
    for (int side = kMinCrop; side <= kMaxCrop; side += 8) {
        const int allowed = int(0.01 * side * side) * 255; // ≤ 1 % see-through pixels
        for (int y = region.y; y + side <= region.y + region.height; y += 4) {
            for (int x = region.x; x + side <= region.x + region.width; x += 4) {
                const int holes = sums.at<int>(y + side, x + side) - sums.at<int>(y, x + side)
                                  - sums.at<int>(y + side, x) + sums.at<int>(y, x);
                if (holes <= allowed)
                    crops.push_back(cv::Rect(x, y, side, side));
            }
        }
    }
    return crops;
}

std::unique_ptr<DatasetGenerator> loadTextures(const QString &systemRoot, const JobContext &context)
{
    const std::vector<TextureEntry> &entries = textureEntries();
    std::vector<QString> files;
    for (const TextureEntry &entry : entries) {
        switch (entry.origin) {
        case Origin::GimpPattern:
            files.push_back(requirePackageFile(systemRoot, kGimpPatterns + QLatin1Char('/') + QLatin1String(entry.path),
                                               kGimpPackage));
            break;
        case Origin::MyPaintBackground:
            files.push_back(requirePackageFile(
                systemRoot, kMyPaintBackgrounds + QLatin1Char('/') + QLatin1String(entry.path), kMyPaintPackage));
            break;
        case Origin::StellariumLandscape:
            files.push_back(requirePackageFile(systemRoot, kLandscapes + QLatin1Char('/') + QLatin1String(entry.path),
                                               kStellariumPackage));
            break;
        }
    }

    std::vector<cv::Mat> images(entries.size());
    parallelFor(
        int(entries.size()), 0, context,
        [&](int i) {
            const Origin origin = entries[size_t(i)].origin;
            const QString &file = files[size_t(i)];
            if (origin == Origin::GimpPattern)
                images[size_t(i)] = readGimpPatternFile(file).image;
            else if (origin == Origin::MyPaintBackground)
                images[size_t(i)] = toBgr(readImageFile(file, cv::IMREAD_UNCHANGED));
            else
                images[size_t(i)] = toBgra(readImageFile(file, cv::IMREAD_UNCHANGED));
        },
        [&](int done) {
            context.progress(done, qint64(entries.size()),
                             QStringLiteral("textures: reading %1 patterns and papers").arg(entries.size()));
        });

    std::array<std::array<std::vector<TextureSource>, kClasses>, 2> sources;
    for (size_t i = 0; i < entries.size(); ++i) {
        const TextureEntry &entry = entries[i];
        const QString name = QLatin1String(entry.path);
        auto &train = sources[size_t(ZooSplit::Train)][size_t(entry.label)];
        auto &test = sources[size_t(ZooSplit::Test)][size_t(entry.label)];
        std::vector<TextureSource> &split = entry.holdout == Holdout::Train ? train : test;
        if (entry.origin != Origin::StellariumLandscape) {
            split.push_back({name, tiled(images[i]), {}});
            continue;
        }
        const cv::Mat &bgra = images[i];
        std::vector<cv::Rect> crops = opaqueCrops(bgra,
                                                  cv::Rect(0, bgra.rows / 2, bgra.cols, bgra.rows - bgra.rows / 2));
        if (crops.empty())
            throw Error(files[i], QStringLiteral("has no opaque %1-pixel square in its lower half").arg(kMinCrop));
        split.push_back({name, toBgr(bgra), std::move(crops)});
    }
    return std::make_unique<TexturesGenerator>(std::move(sources));
}

} // namespace

DatasetRecipe texturesRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("textures");
    recipe.standsFor = QStringLiteral("DTD (describable textures)");
    recipe.packages = {kGimpPackage, kMyPaintPackage, kStellariumPackage};
    recipe.credit = QStringLiteral("GIMP's patterns (package gimp-data; its Files: * licences, GPL-3+ and GPL-2+ and "
                                   "LGPL-3+ and MIT and Expat and BSD-2-clause), MyPaint's paper "
                                   "and canvas backgrounds by Ramon Miranda and MrMamurk (package "
                                   "mypaint-data-extras; CC0-1.0) and the grass and rapeseed panels of Stellarium's "
                                   "Guéreins and Garching landscapes (package stellarium-data; GPL-2+)");
    recipe.classNames = {QStringLiteral("wood"),     QStringLiteral("stone"),  QStringLiteral("marble"),
                         QStringLiteral("paper"),    QStringLiteral("fabric"), QStringLiteral("foliage"),
                         QStringLiteral("water_sky")};
    // 4200 train images: 1050 were memorised by the fine-tunes (docs/ZOO.md, recipe 4).
    recipe.defaultTrainPerClass = 600;
    recipe.defaultTestPerClass = 45;
    recipe.load = &loadTextures;
    return recipe;
}

} // namespace wemoe
