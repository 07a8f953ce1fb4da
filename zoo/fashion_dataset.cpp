#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/idx_file.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <vector>

namespace wemoe {

namespace {

const QString kPackage = QStringLiteral("dataset-fashion-mnist");
const QString kFolder = QStringLiteral("/usr/share/datasets/fashion-mnist");
constexpr int kSide = 28;
constexpr int kClasses = 10;

struct FashionSplit
{
    QString name; // file prefix: train or t10k
    IdxArray images;
    std::array<std::vector<int>, kClasses> indexesByClass;
};

// The original split is kept: train images from train-*, test images from t10k-*.
class FashionGenerator : public DatasetGenerator
{
public:
    explicit FashionGenerator(std::array<FashionSplit, 2> splits)
        : m_splits(std::move(splits))
    {
    }

    int sourceCount(ZooSplit split, int label) const override
    {
        return int(m_splits[size_t(split)].indexesByClass[size_t(label)].size());
    }

    ZooImage draw(ZooSplit split, int label, int source, int pass, SeededRandom &random) const override
    {
        const FashionSplit &data = m_splits[size_t(split)];
        const int index = data.indexesByClass[size_t(label)][size_t(source)];
        const cv::Mat item(kSide, kSide, CV_8UC1, const_cast<unsigned char *>(data.images.item(index)));
        cv::Mat canvas;
        const int margin = (kZooImageSize - kSide) / 2;
        cv::copyMakeBorder(item, canvas, margin, margin, margin, margin, cv::BORDER_CONSTANT, cv::Scalar(0));
        if (pass > 0) {
            // Drawn again: mirrored and shifted (clothes look the same mirrored).
            if (random.chance(0.5))
                cv::flip(canvas, canvas, 1);
            cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, random.between(-2, 2), 0, 1, random.between(-2, 2));
            cv::Mat moved;
            cv::warpAffine(canvas, moved, shift, canvas.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));
            canvas = moved;
        }
        return {toBgr(canvas), QStringLiteral("%1-images #%2").arg(data.name).arg(index)};
    }

private:
    std::array<FashionSplit, 2> m_splits;
};

FashionSplit readSplit(const QString &systemRoot, const QString &prefix)
{
    const QString imagesFile = requirePackageFile(
        systemRoot, QStringLiteral("%1/%2-images-idx3-ubyte.gz").arg(kFolder, prefix), kPackage);
    const QString labelsFile = requirePackageFile(
        systemRoot, QStringLiteral("%1/%2-labels-idx1-ubyte.gz").arg(kFolder, prefix), kPackage);
    FashionSplit split;
    split.name = prefix;
    split.images = readIdxFile(imagesFile);
    const IdxArray labels = readIdxFile(labelsFile);
    if (split.images.dims.size() != 3 || split.images.dims[1] != kSide || split.images.dims[2] != kSide)
        throw Error(imagesFile, QStringLiteral("expected N×28×28 images"));
    if (labels.dims.size() != 1 || labels.count() != split.images.count())
        throw Error(labelsFile, QStringLiteral("expected one label per image (%1 images)").arg(split.images.count()));
    for (qsizetype i = 0; i < labels.count(); ++i) {
        const int label = *labels.item(i);
        if (label >= kClasses)
            throw Error(labelsFile, QStringLiteral("label %1 of item %2 is not a class 0..9").arg(label).arg(i));
        split.indexesByClass[size_t(label)].push_back(int(i));
    }
    return split;
}

std::unique_ptr<DatasetGenerator> loadFashion(const QString &systemRoot, const JobContext &context)
{
    context.progress(0, 2, QStringLiteral("fashion: reading the Fashion-MNIST training set"));
    FashionSplit train = readSplit(systemRoot, QStringLiteral("train"));
    context.throwIfCancelled();
    context.progress(1, 2, QStringLiteral("fashion: reading the Fashion-MNIST test set"));
    FashionSplit test = readSplit(systemRoot, QStringLiteral("t10k"));
    return std::make_unique<FashionGenerator>(std::array<FashionSplit, 2>{std::move(train), std::move(test)});
}

} // namespace

DatasetRecipe fashionRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("fashion");
    recipe.standsFor = QStringLiteral("Fashion-MNIST (product photos)");
    recipe.packages = {kPackage};
    recipe.credit = QStringLiteral("Fashion-MNIST by Zalando Research (package dataset-fashion-mnist; MIT)");
    recipe.classNames = {QStringLiteral("t-shirt_top"), QStringLiteral("trouser"), QStringLiteral("pullover"),
                         QStringLiteral("dress"),       QStringLiteral("coat"),    QStringLiteral("sandal"),
                         QStringLiteral("shirt"),       QStringLiteral("sneaker"), QStringLiteral("bag"),
                         QStringLiteral("ankle_boot")};
    // 4000 train images: a 1000-image split was memorised by the fine-tunes (docs/ZOO.md, recipe 4).
    recipe.defaultTrainPerClass = 400;
    recipe.defaultTestPerClass = 30;
    recipe.load = &loadFashion;
    return recipe;
}

} // namespace wemoe
