#include "zoo/zoo_recipes.h"

#include "common/error.h"
#include "zoo/image_ops.h"
#include "zoo/package_files.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <vector>

namespace wemoe {

namespace {

// digits.png: 2000×1000 grey, 20×20 cells, 100 a row, five rows per digit 0..9.
const QString kPackage = QStringLiteral("opencv-doc");
const QString kScan = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/digits.png");
constexpr int kCell = 20;
constexpr int kCellsPerRow = 100;
constexpr int kRowsPerDigit = 5;
// The last row of each digit is held out for testing: 400 train / 100 test cells a digit.
constexpr int kTestRow = 4;

class DigitsGenerator : public DatasetGenerator
{
public:
    explicit DigitsGenerator(cv::Mat scan)
        : m_scan(std::move(scan))
    {
        for (int digit = 0; digit < 10; ++digit) {
            for (int r = 0; r < kRowsPerDigit; ++r) {
                for (int c = 0; c < kCellsPerRow; ++c) {
                    const ZooSplit split = r == kTestRow ? ZooSplit::Test : ZooSplit::Train;
                    m_cells[size_t(split)][size_t(digit)].push_back(cv::Point(c, digit * kRowsPerDigit + r));
                }
            }
        }
    }

    int sourceCount(ZooSplit split, int label) const override
    {
        return int(m_cells[size_t(split)][size_t(label)].size());
    }

    ZooImage draw(ZooSplit split, int label, int source, int pass, SeededRandom &random) const override
    {
        const cv::Point cell = m_cells[size_t(split)][size_t(label)][size_t(source)];
        // MNIST's layout: the 20-pixel digit centred on a black square with a margin.
        cv::Mat canvas = cv::Mat::zeros(kZooImageSize, kZooImageSize, CV_8UC1);
        const int margin = (kZooImageSize - kCell) / 2;
        m_scan(cv::Rect(cell.x * kCell, cell.y * kCell, kCell, kCell))
            .copyTo(canvas(cv::Rect(margin, margin, kCell, kCell)));
        if (pass > 0) {
            // A scan drawn again: shifted, turned and scaled a little so it is not a duplicate.
            const double angle = random.uniform(-12, 12);
            const double scale = random.uniform(0.9, 1.1);
            cv::Mat transform = cv::getRotationMatrix2D(cv::Point2f(15.5f, 15.5f), angle, scale);
            transform.at<double>(0, 2) += random.uniform(-2, 2);
            transform.at<double>(1, 2) += random.uniform(-2, 2);
            cv::Mat moved;
            cv::warpAffine(canvas, moved, transform, canvas.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                           cv::Scalar(0));
            canvas = moved;
        }
        return {toBgr(canvas), QStringLiteral("digits.png cell %1,%2").arg(cell.y).arg(cell.x)};
    }

private:
    cv::Mat m_scan;
    std::array<std::array<std::vector<cv::Point>, 10>, 2> m_cells;
};

std::unique_ptr<DatasetGenerator> loadDigits(const QString &systemRoot, const JobContext &context)
{
    const QString file = requirePackageFile(systemRoot, kScan, kPackage);
    context.progress(0, 1, QStringLiteral("digits: reading %1").arg(file));
    cv::Mat scan = readImageFile(file, cv::IMREAD_GRAYSCALE);
    if (scan.cols != kCell * kCellsPerRow || scan.rows != kCell * kRowsPerDigit * 10)
        throw Error(file, QStringLiteral("is %1×%2 pixels, expected the 2000×1000 grid of 20×20 digit cells")
                              .arg(scan.cols)
                              .arg(scan.rows));
    return std::make_unique<DigitsGenerator>(std::move(scan));
}

} // namespace

DatasetRecipe digitsRecipe()
{
    DatasetRecipe recipe;
    recipe.name = QStringLiteral("digits");
    recipe.standsFor = QStringLiteral("MNIST (handwritten digits)");
    recipe.packages = {kPackage};
    recipe.credit = QStringLiteral("Handwritten digit scans digits.png from OpenCV's samples (package opencv-doc; "
                                   "Apache-2.0 / BSD-3-Clause)");
    recipe.classNames = {QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                         QStringLiteral("4"), QStringLiteral("5"), QStringLiteral("6"), QStringLiteral("7"),
                         QStringLiteral("8"), QStringLiteral("9")};
    recipe.defaultTrainPerClass = 400;
    recipe.defaultTestPerClass = 100;
    recipe.load = &loadDigits;
    return recipe;
}

} // namespace wemoe
