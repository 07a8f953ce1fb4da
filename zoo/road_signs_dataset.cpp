#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/cutout.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"
#include "zoo/parallel_for.h"
#include "zoo/photo_backgrounds.h"

#include <opencv2/imgproc.hpp>

#include <array>
#include <vector>

namespace wemoe {

namespace {

const QString kClipartPackage = QStringLiteral("openclipart-png");
const QString kStampsPackage = QStringLiteral("tuxpaint-stamps-default");
const QString kClipart = QStringLiteral("/usr/share/openclipart/png/transportation/roadsigns");
const QString kStamps = QStringLiteral("/usr/share/tuxpaint/stamps/town/roadsigns");
constexpr int kClasses = 8;
constexpr int kStoredSide = 96;

struct SignSource
{
    bool tuxPaint; // else Openclipart
    QString file;
};

// Sign designs of each class, chosen by eye. Left out: rectangular
// information signs, the cropped stop.png / yield.png of Openclipart (only
// the top half of the sign) and stop_sign_right_font_mig_.png (623 million
// pixels).
const std::array<std::vector<SignSource>, kClasses> &classSources()
{
    auto clip = [](const char *file) { return SignSource{false, QLatin1String(file)}; };
    auto tux = [](const char *file) { return SignSource{true, QLatin1String(file)}; };
    static const std::array<std::vector<SignSource>, kClasses> sources{
        std::vector<SignSource>{clip("stop_sign_01.png"), clip("stop-sign-angled_01.png"), tux("stop.png")},
        std::vector<SignSource>{clip("Give_Way.png"), tux("give_way_sign.png"), tux("yield.png")},
        std::vector<SignSource>{clip("no_entry.png"), clip("do_not_enter_sign_01.png"), tux("no_entry_sign.png")},
        std::vector<SignSource>{clip("roundabout.png"), tux("roundabout.png")},
        std::vector<SignSource>{clip("old_folks.png"), tux("school_sign.png"), tux("xing_ped.png"),
                                tux("xing_school.png")},
        std::vector<SignSource>{clip("airplane.png"),
                                clip("bambi.png"),
                                clip("cattle.png"),
                                clip("chauss_e_particuli_reme_01.png"),
                                clip("chaussee_glissante_arago_01.png"),
                                clip("crosswind.png"),
                                clip("drawbridge.png"),
                                clip("end_daul.png"),
                                clip("falling_rocks.png"),
                                clip("grounded.png"),
                                clip("horse.png"),
                                clip("humpback.png"),
                                clip("junc_curve.png"),
                                clip("man_w_umbrella.png"),
                                clip("narrows.png"),
                                clip("narrows_both.png"),
                                clip("quay_sign_01.png"),
                                clip("queues.png"),
                                clip("rail_fence.png"),
                                clip("slippery.png"),
                                clip("splash.png"),
                                clip("staggered.png"),
                                clip("train.png"),
                                clip("tram.png"),
                                clip("tunnel.png"),
                                clip("two_way_ahead.png"),
                                clip("two_way_crosses.png"),
                                clip("zigzag.png")},
        std::vector<SignSource>{clip("Evel_Knievel.png"), clip("kaboom.png"), clip("lorry_length.png"),
                                clip("lorry_limit.png"), clip("no_buses.png"), clip("no_cycles.png"), clip("no.png"),
                                clip("no_u_turn_sign_01.png"), tux("no_uturn.png")},
        std::vector<SignSource>{clip("cycles.png"), clip("keep_left.png"), clip("pass_either.png"),
                                clip("turn_ahead.png"), clip("turn_left.png"), clip("buses_and_bikes.png"),
                                clip("trams_only.png")}};
    return sources;
}

// The same sign designs appear in both splits (as the same kinds of sign do
// in GTSRB); the test images are set on held-out background photos.
class RoadSignsGenerator : public DatasetGenerator
{
public:
    RoadSignsGenerator(PhotoBackgrounds backgrounds, std::array<std::vector<Cutout>, kClasses> signs)
        : m_backgrounds(std::move(backgrounds))
        , m_signs(std::move(signs))
    {
    }

    int sourceCount(ZooSplit, int label) const override { return int(m_signs[size_t(label)].size()); }

    ZooImage draw(ZooSplit split, int label, int source, int, SeededRandom &random) const override
    {
        const Cutout &sign = m_signs[size_t(label)][size_t(source)];
        QString photo;
        cv::Mat canvas = m_backgrounds.randomCrop(split, kZooImageSize, 0.2, random, &photo);
        CutoutPlacement placement;
        placement.longestSide = random.uniform(16, 29);
        placement.angle = random.uniform(-12, 12);
        placement.centreX = 16 + random.uniform(-3, 3);
        placement.centreY = 16 + random.uniform(-3, 3);
        const double fade = random.uniform(0.8, 1.1); // weathered or sunlit paint
        for (double &gain : placement.gain)
            gain = fade * random.uniform(0.95, 1.05);
        pasteCutout(canvas, sign, placement);
        // Camera: focus blur and exposure.
        const double sigma = random.uniform(0, 1.1);
        if (sigma > 0.3)
            cv::GaussianBlur(canvas, canvas, cv::Size(0, 0), sigma);
        canvas = adjustBrightness(canvas, random.uniform(0.6, 1.3), random.uniform(-20, 20));
        return {canvas, QStringLiteral("%1 on %2").arg(sign.name, photo)};
    }

private:
    PhotoBackgrounds m_backgrounds;
    std::array<std::vector<Cutout>, kClasses> m_signs;
};

std::unique_ptr<DatasetGenerator> loadRoadSigns(const QString &systemRoot, const JobContext &context)
{
    struct Job
    {
        int label;
        QString file;
        QString name;
    };
    std::vector<Job> jobs;
    for (int label = 0; label < kClasses; ++label) {
        for (const SignSource &source : classSources()[size_t(label)]) {
            const QString file =
                source.tuxPaint
                    ? requirePackageFile(systemRoot, kStamps + QLatin1Char('/') + source.file, kStampsPackage)
                    : requirePackageFile(systemRoot, kClipart + QLatin1Char('/') + source.file, kClipartPackage);
            jobs.push_back(
                {label, file,
                 (source.tuxPaint ? QStringLiteral("tuxpaint/") : QStringLiteral("openclipart/")) + source.file});
        }
    }
    std::vector<Cutout> cutouts(jobs.size());
    parallelFor(
        int(jobs.size()), 0, context,
        [&](int i) { cutouts[size_t(i)] = loadCutout(jobs[size_t(i)].file, jobs[size_t(i)].name, kStoredSide); },
        [&](int done) {
            context.progress(done, qint64(jobs.size()),
                             QStringLiteral("road_signs: reading %1 sign designs").arg(jobs.size()));
        });
    context.throwIfCancelled();
    PhotoBackgrounds backgrounds = PhotoBackgrounds::load(systemRoot, context);

    std::array<std::vector<Cutout>, kClasses> signs;
    for (size_t i = 0; i < jobs.size(); ++i)
        signs[size_t(jobs[i].label)].push_back(std::move(cutouts[i]));
    return std::make_unique<RoadSignsGenerator>(std::move(backgrounds), std::move(signs));
}

} // namespace

DatasetRecipe roadSignsRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("road_signs");
    recipe.standsFor = QStringLiteral("GTSRB (traffic signs)");
    recipe.packages = {kClipartPackage, kStampsPackage, QStringLiteral("opencv-doc")};
    recipe.credit = QStringLiteral("Road sign drawings of Openclipart (package openclipart-png; public domain) and "
                                   "Tux Paint (package tuxpaint-stamps-default; GPL-2) on OpenCV's sample "
                                   "photographs (package opencv-doc; Apache-2.0 / BSD-3-Clause)");
    recipe.classNames = {QStringLiteral("stop"),        QStringLiteral("give_way"),    QStringLiteral("no_entry"),
                         QStringLiteral("roundabout"),  QStringLiteral("pedestrians"), QStringLiteral("warning"),
                         QStringLiteral("prohibitory"), QStringLiteral("mandatory")};
    // 4000 train images: a 1000-image split was memorised by the fine-tunes (docs/ZOO.md, recipe 4).
    recipe.defaultTrainPerClass = 500;
    recipe.defaultTestPerClass = 40;
    recipe.load = &loadRoadSigns;
    return recipe;
}

} // namespace wemoe
