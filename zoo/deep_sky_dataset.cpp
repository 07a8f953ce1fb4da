#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"
#include "zoo/parallel_for.h"
#include "zoo/stellarium_catalog.h"

#include <QtCore/QDir>
#include <QtCore/QHash>
#include <QtCore/QRegularExpression>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace wemoe {

namespace {

const QString kPackage = QStringLiteral("stellarium-data");
const QString kFolder = QStringLiteral("/usr/share/stellarium/nebulae/default");
constexpr int kClasses = 5;
constexpr int kStoredSide = 96; // photos are kept this small; the largest crop is 32/0.75 ≈ 43 px
constexpr double kPi = 3.14159265358979323846;

enum DeepSkyClass { Galaxy, GlobularCluster, OpenCluster, PlanetaryNebula, EmissionNebula };

int classOfType(quint32 type)
{
    switch (type) {
    case NebulaType::kGalaxy:
    case NebulaType::kActiveGalaxy:
    case NebulaType::kRadioGalaxy:
    case NebulaType::kInteractingGalaxy: return Galaxy;
    case NebulaType::kGlobularCluster: return GlobularCluster;
    case NebulaType::kOpenCluster: return OpenCluster;
    case NebulaType::kPlanetaryNebula: return PlanetaryNebula;
    case NebulaType::kEmissionNebula:
    case NebulaType::kClusterWithNebulosity: // M16, M17, M20, IC 1805...: HII regions around young clusters
    case NebulaType::kHiiRegion: return EmissionNebula;
    default: return -1; // reflection and dark nebulae, supernova remnants, star clouds...: not used
    }
}

struct UnitVector
{
    double x = 0, y = 0, z = 0;
};

UnitVector fromRaDec(double ra, double dec)
{
    return {std::cos(dec) * std::cos(ra), std::cos(dec) * std::sin(ra), std::sin(dec)};
}

double angleBetween(const UnitVector &a, const UnitVector &b)
{
    const double dot = std::clamp(a.x * b.x + a.y * b.y + a.z * b.z, -1.0, 1.0);
    return std::acos(dot);
}

// The image's field: centre and radius (to the farthest corner).
struct Field
{
    UnitVector centre;
    double radius = 0; // radians
};

Field fieldOf(const NebulaTexture &texture)
{
    constexpr double kDegree = kPi / 180;
    UnitVector sum;
    std::vector<UnitVector> corners;
    for (const QPointF &corner : texture.corners) {
        corners.push_back(fromRaDec(corner.x() * kDegree, corner.y() * kDegree));
        sum.x += corners.back().x;
        sum.y += corners.back().y;
        sum.z += corners.back().z;
    }
    const double norm = std::sqrt(sum.x * sum.x + sum.y * sum.y + sum.z * sum.z);
    Field field;
    field.centre = {sum.x / norm, sum.y / norm, sum.z / norm};
    for (const UnitVector &corner : corners)
        field.radius = std::max(field.radius, angleBetween(field.centre, corner));
    return field;
}

// Catalogue numbers by designation; image names start with one (m1dumont.png,
// n869-884spano.png, sh2-101-vasey.png, u1810.png, p143.png...).
class DesignationIndex
{
public:
    explicit DesignationIndex(const NebulaCatalog &catalog)
    {
        for (int i = 0; i < catalog.records.size(); ++i) {
            const NebulaRecord &r = catalog.records[i];
            const std::pair<const char *, quint32> numbers[] = {
                {"m", r.messier}, {"n", r.ngc},   {"ic", r.ic},          {"sh2-", r.sharpless},
                {"rcw", r.rcw},   {"ldn", r.ldn}, {"lbn", r.lbn},        {"vdb", r.vdb},
                {"u", r.ugc},     {"p", r.pgc},   {"barnard", r.barnard}};
            for (const auto &[prefix, number] : numbers) {
                QHash<quint32, int> &numbered = m_index[QLatin1String(prefix)];
                if (number != 0 && !numbered.contains(number))
                    numbered.insert(number, i); // the first record with a designation is its main one
            }
        }
    }

    // The record an image name designates, or -1.
    int find(const QString &imageName) const
    {
        static const QRegularExpression designation(QStringLiteral("^(sh2-|barnard|ic|rcw|ldn|lbn|vdb|m|n|u|p)(\\d+)"));
        const QRegularExpressionMatch match = designation.match(imageName);
        if (!match.hasMatch())
            return -1;
        const auto catalogue = m_index.constFind(match.captured(1));
        if (catalogue == m_index.constEnd())
            return -1;
        return catalogue->value(match.captured(2).toUInt(), -1);
    }

private:
    QHash<QString, QHash<quint32, int>> m_index;
};

struct DeepSkySource
{
    QString file;
    cv::Mat image; // BGR, longest side kStoredSide
};

class DeepSkyGenerator : public DatasetGenerator
{
public:
    explicit DeepSkyGenerator(std::array<std::array<std::vector<DeepSkySource>, kClasses>, 2> sources)
        : m_sources(std::move(sources))
    {
    }

    int sourceCount(ZooSplit split, int label) const override
    {
        return int(m_sources[size_t(split)][size_t(label)].size());
    }

    ZooImage draw(ZooSplit split, int label, int source, int, SeededRandom &random) const override
    {
        const DeepSkySource &photo = m_sources[size_t(split)][size_t(label)][size_t(source)];
        // Zoom 0.75–1.0: the output shows that fraction of the photo's shorter side.
        const double zoom = random.uniform(0.75, 1.0);
        const double scale = kZooImageSize / (zoom * std::min(photo.image.cols, photo.image.rows));
        cv::Mat scaled;
        cv::resize(photo.image, scaled,
                   cv::Size(std::max(kZooImageSize, int(std::lround(photo.image.cols * scale))),
                            std::max(kZooImageSize, int(std::lround(photo.image.rows * scale)))),
                   0, 0, cv::INTER_AREA);
        if (random.chance(0.5))
            cv::flip(scaled, scaled, 1);
        // Any rotation: the sky has no up. Reflected borders keep the corners sky-like.
        const cv::Point2f centre(float(scaled.cols - 1) / 2, float(scaled.rows - 1) / 2);
        cv::Mat transform = cv::getRotationMatrix2D(centre, random.uniform(0, 360), 1.0);
        transform.at<double>(0, 2) += (kZooImageSize - 1) / 2.0 - centre.x;
        transform.at<double>(1, 2) += (kZooImageSize - 1) / 2.0 - centre.y;
        cv::Mat out;
        cv::warpAffine(scaled, out, transform, cv::Size(kZooImageSize, kZooImageSize), cv::INTER_LINEAR,
                       cv::BORDER_REFLECT_101);
        return {out, photo.file};
    }

private:
    std::array<std::array<std::vector<DeepSkySource>, kClasses>, 2> m_sources;
};

std::unique_ptr<DatasetGenerator> loadDeepSky(const QString &systemRoot, const JobContext &context)
{
    const QString folder = requirePackageFolder(systemRoot, kFolder, kPackage);
    const QString catalogFile = requirePackageFile(systemRoot, kFolder + QStringLiteral("/catalog.dat"), kPackage);
    const QString texturesFile = requirePackageFile(systemRoot, kFolder + QStringLiteral("/textures.json"), kPackage);
    context.progress(0, 1, QStringLiteral("deep_sky: reading Stellarium's deep-sky catalogue"));
    const NebulaCatalog catalog = readNebulaCatalogFile(catalogFile);
    const QVector<NebulaTexture> textures = readNebulaTexturesFile(texturesFile);
    context.throwIfCancelled();

    std::vector<UnitVector> positions;
    positions.reserve(size_t(catalog.records.size()));
    for (const NebulaRecord &record : catalog.records)
        positions.push_back(fromRaDec(record.ra, record.dec));
    const DesignationIndex designations(catalog);

    // Label each image by the catalogue object it shows: the one its name
    // designates (when that object lies inside the image's field), or, for
    // unnamed images of small fields (abell31.png, Medusa-vasey.png), the
    // object nearest the centre. Wide mosaics (lmc_*, barnard_loop-*) and
    // designations outside their field are left out: their label is unsure.
    constexpr double kSmallField = 0.5 * kPi / 180;
    struct Labelled
    {
        QString file;
        int label;
    };
    std::vector<Labelled> labelled;
    for (const NebulaTexture &texture : textures) {
        const Field field = fieldOf(texture);
        int record = designations.find(texture.image);
        if (record >= 0 && angleBetween(field.centre, positions[size_t(record)]) > field.radius)
            continue;
        if (record < 0) {
            if (field.radius > kSmallField)
                continue;
            double best = field.radius / 4;
            for (size_t i = 0; i < positions.size(); ++i) {
                const double angle = angleBetween(field.centre, positions[i]);
                if (angle < best) {
                    best = angle;
                    record = int(i);
                }
            }
            if (record < 0)
                continue;
        }
        const int label = classOfType(catalog.records[record].type);
        if (label >= 0)
            labelled.push_back({texture.image, label});
    }
    std::sort(labelled.begin(), labelled.end(), [](const Labelled &a, const Labelled &b) { return a.file < b.file; });

    std::vector<DeepSkySource> photos(labelled.size());
    parallelFor(
        int(labelled.size()), 0, context,
        [&](int i) {
            const QString file = requirePackageFile(systemRoot, kFolder + QLatin1Char('/') + labelled[size_t(i)].file,
                                                    kPackage);
            photos[size_t(i)] = {labelled[size_t(i)].file,
                                 shrinkToFit(readImageFile(file, cv::IMREAD_COLOR), kStoredSide)};
        },
        [&](int done) {
            context.progress(done, qint64(labelled.size()),
                             QStringLiteral("deep_sky: reading %1 nebula photos").arg(labelled.size()));
        });

    // 80/20 by photo: in each class, every fifth photo in name order is a test photo.
    std::array<std::array<std::vector<DeepSkySource>, kClasses>, 2> sources;
    std::array<int, kClasses> seen{};
    for (size_t i = 0; i < labelled.size(); ++i) {
        const int label = labelled[i].label;
        const ZooSplit split = seen[size_t(label)]++ % 5 == 4 ? ZooSplit::Test : ZooSplit::Train;
        sources[size_t(split)][size_t(label)].push_back(std::move(photos[i]));
    }
    for (int label = 0; label < kClasses; ++label) {
        if (sources[0][size_t(label)].empty() || sources[1][size_t(label)].empty())
            throw Error(folder, QStringLiteral("too few labelled nebula photos of class %1 to split (%2)")
                                    .arg(label)
                                    .arg(seen[size_t(label)]));
    }
    return std::make_unique<DeepSkyGenerator>(std::move(sources));
}

} // namespace

DatasetRecipe deepSkyRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("deep_sky");
    recipe.standsFor = QStringLiteral("SUN397 (what is this scene): deep-sky objects");
    recipe.packages = {kPackage};
    recipe.credit = QStringLiteral("Deep-sky photographs and catalogue of Stellarium (package stellarium-data; "
                                   "GPL-2+; the photographs under mixed terms, some free with credit, some CC BY 3.0, "
                                   "each credited in textures.json)");
    recipe.classNames = {QStringLiteral("galaxy"), QStringLiteral("globular_cluster"), QStringLiteral("open_cluster"),
                         QStringLiteral("planetary_nebula"), QStringLiteral("emission_nebula")};
    // 4000 train images, as every task (docs/ZOO.md, recipe 4).
    recipe.defaultTrainPerClass = 800;
    recipe.defaultTestPerClass = 60;
    recipe.load = &loadDeepSky;
    return recipe;
}

} // namespace wemoe
