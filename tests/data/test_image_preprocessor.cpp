#include "data/image_preprocessor.h"

#include "common/error.h"
#include "test_support.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <torch/torch.h>

#include <array>
#include <cmath>

using namespace wemoe;

namespace {

// Encodes by the file's extension and writes through Qt, so names need not be ASCII.
void writeImage(const QString &path, const cv::Mat &image)
{
    std::vector<uchar> bytes;
    const std::string extension = QStringLiteral(".%1").arg(QFileInfo(path).suffix()).toStdString();
    QVERIFY(cv::imencode(extension, image, bytes));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(reinterpret_cast<const char *>(bytes.data()), qint64(bytes.size())), qint64(bytes.size()));
}

// The expected output for an 8-bit channel value, computed in double (the
// engine computes in float32, so comparisons allow 1e-5).
double expected(int value, int channel, const Normalization &n = {})
{
    return (value / 255.0 - double(n.mean[channel])) / double(n.std[channel]);
}

bool near(double a, double b, double tolerance = 1e-5)
{
    return std::abs(a - b) <= tolerance;
}

// Checks every value of an [3, S, S] output against rgb(x, y) -> {r, g, b}.
template<typename Pixel>
QString mismatch(const torch::Tensor &out, int size, Pixel rgb, const Normalization &n = {})
{
    if (out.sizes() != torch::IntArrayRef({3, size, size}))
        return QStringLiteral("shape %1").arg(QString::fromStdString(c10::str(out.sizes())));
    if (out.scalar_type() != torch::kFloat32 || !out.is_contiguous())
        return QStringLiteral("not contiguous float32");
    const auto a = out.accessor<float, 3>();
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const std::array<int, 3> want = rgb(x, y);
            for (int c = 0; c < 3; ++c)
                if (!near(a[c][y][x], expected(want[c], c, n)))
                    return QStringLiteral("channel %1 at (x %2, y %3): %4, expected %5 (value %6)")
                        .arg(c)
                        .arg(x)
                        .arg(y)
                        .arg(a[c][y][x], 0, 'g', 9)
                        .arg(expected(want[c], c, n), 0, 'g', 9)
                        .arg(want[c]);
        }
    return {};
}

// Solid BGR image from an RGB colour.
cv::Mat solid(int width, int height, std::array<int, 3> rgb)
{
    return cv::Mat(height, width, CV_8UC3, cv::Scalar(rgb[2], rgb[1], rgb[0]));
}

} // namespace

class TestImagePreprocessor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void solidColourValuesByHand()
    {
        // 7 x 5 -> resized to 5 x 4 (int(4 * 7 / 5) = 5) -> cropped 4 x 4.
        writeImage(path(QStringLiteral("solid.png")), solid(7, 5, {200, 100, 50}));
        const ImagePreprocessor pre(4, Normalization{});
        const auto out = pre.load(path(QStringLiteral("solid.png")));
        QCOMPARE(out.sizes(), torch::IntArrayRef({3, 4, 4}));
        // (200/255 − 0.48145466) / 0.26862954 etc., worked out by hand.
        const double want[3] = {1.1274227901, -0.2513202788, -0.7692164829};
        for (int c = 0; c < 3; ++c) {
            QVERIFY2(near(out[c].min().item<double>(), want[c]), qPrintable(QString::number(c)));
            QVERIFY2(near(out[c].max().item<double>(), want[c]), qPrintable(QString::number(c)));
        }
    }

    void customNormalization()
    {
        writeImage(path(QStringLiteral("solid_norm.png")), solid(4, 4, {51, 102, 255}));
        Normalization n;
        n.mean = {0.5f, 0.5f, 0.5f};
        n.std = {0.5f, 0.25f, 2.0f};
        const auto out = ImagePreprocessor(4, n).load(path(QStringLiteral("solid_norm.png")));
        // (0.2 − 0.5) / 0.5, (0.4 − 0.5) / 0.25, (1 − 0.5) / 2
        QVERIFY(near(out[0][0][0].item<double>(), -0.6));
        QVERIFY(near(out[1][2][3].item<double>(), -0.4));
        QVERIFY(near(out[2][3][1].item<double>(), 0.25));
    }

    void exactSizeIsNotResampled()
    {
        // Any resampling of this busy pattern would change values.
        const auto pattern = [](int x, int y) {
            return std::array<int, 3>{(x * 37 + y * 11) % 256, (x * 5 + y * 71 + 50) % 256, (x * y * 13 + 7) % 256};
        };
        cv::Mat image(6, 6, CV_8UC3);
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 6; ++x) {
                const auto p = pattern(x, y);
                image.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(p[2]), uchar(p[1]), uchar(p[0]));
            }
        writeImage(path(QStringLiteral("pattern.png")), image);
        const auto out = ImagePreprocessor(6, Normalization{}).load(path(QStringLiteral("pattern.png")));
        const QString problem = mismatch(out, 6, pattern);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void cropKeepsTheMiddle()
    {
        // 12 x 4: short side already 4, so no resize; the crop takes columns 4..7.
        const std::array<int, 3> left{255, 0, 0}, middle{30, 180, 90}, right{0, 0, 255};
        cv::Mat image = solid(12, 4, left);
        image.colRange(4, 8).setTo(cv::Scalar(middle[2], middle[1], middle[0]));
        image.colRange(8, 12).setTo(cv::Scalar(right[2], right[1], right[0]));
        writeImage(path(QStringLiteral("wide.png")), image);
        const auto out = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("wide.png")));
        const QString problem = mismatch(out, 4, [&](int, int) { return middle; });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // Portrait 4 x 12: the crop takes rows 4..7.
        cv::Mat tall = solid(4, 12, left);
        tall.rowRange(4, 8).setTo(cv::Scalar(middle[2], middle[1], middle[0]));
        tall.rowRange(8, 12).setTo(cv::Scalar(right[2], right[1], right[0]));
        writeImage(path(QStringLiteral("tall.png")), tall);
        const auto outTall = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("tall.png")));
        const QString problemTall = mismatch(outTall, 4, [&](int, int) { return middle; });
        QVERIFY2(problemTall.isEmpty(), qPrintable(problemTall));
    }

    void cropAfterResizeKeepsTheMiddle()
    {
        // 24 x 8 -> 12 x 4 (bicubic), crop columns 4..7 of the resized image,
        // which come from source columns 8..15. Bicubic taps reach 2 source
        // pixels beyond, so the crop's inner columns 1..2 are the pure middle colour.
        const std::array<int, 3> left{255, 0, 0}, middle{30, 180, 90}, right{0, 0, 255};
        cv::Mat image = solid(24, 8, left);
        image.colRange(8, 16).setTo(cv::Scalar(middle[2], middle[1], middle[0]));
        image.colRange(16, 24).setTo(cv::Scalar(right[2], right[1], right[0]));
        writeImage(path(QStringLiteral("wide_resize.png")), image);
        const auto out = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("wide_resize.png")));
        QCOMPARE(out.sizes(), torch::IntArrayRef({3, 4, 4}));
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 4; ++y)
                for (int x = 1; x <= 2; ++x)
                    QVERIFY2(near(out[c][y][x].item<double>(), expected(middle[c], c)),
                             qPrintable(QStringLiteral("c %1 x %2 y %3").arg(c).arg(x).arg(y)));
        // Had the crop been off-centre, a pure left or right colour would show up.
        QVERIFY(!near(out[0][0][0].item<double>(), expected(left[0], 0), 1e-2));
        QVERIFY(!near(out[2][0][3].item<double>(), expected(right[2], 2), 1e-2));
    }

    void cropOffsetRoundsHalfToEven()
    {
        // Column x holds grey 20 * x. torchvision: left = int(round((w − 4) / 2.0)),
        // Python rounds halves to even: w 9 -> round(2.5) = 2, w 11 -> round(3.5) = 4.
        for (const auto &[width, firstColumn] : {std::pair<int, int>{9, 2}, std::pair<int, int>{11, 4}}) {
            cv::Mat image(4, width, CV_8UC1);
            for (int x = 0; x < width; ++x)
                image.col(x).setTo(cv::Scalar(20 * x));
            const QString file = path(QStringLiteral("gradient_%1.png").arg(width));
            writeImage(file, image);
            const auto out = ImagePreprocessor(4, Normalization{}).load(file);
            const int first = firstColumn;
            const QString problem = mismatch(out, 4, [&](int x, int) {
                const int v = 20 * (first + x);
                return std::array<int, 3>{v, v, v};
            });
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("width %1: %2").arg(width).arg(problem)));
        }
    }

    void grayscaleIsReplicated()
    {
        cv::Mat gray(5, 5, CV_8UC1);
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 5; ++x)
                gray.at<uchar>(y, x) = uchar(x * 50 + y);
        writeImage(path(QStringLiteral("gray.png")), gray);
        const auto out = ImagePreprocessor(5, Normalization{}).load(path(QStringLiteral("gray.png")));
        const QString problem = mismatch(out, 5, [](int x, int y) {
            const int v = x * 50 + y;
            return std::array<int, 3>{v, v, v};
        });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void alphaIsDropped()
    {
        cv::Mat bgra(5, 5, CV_8UC4);
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 5; ++x)
                bgra.at<cv::Vec4b>(y, x) = cv::Vec4b(uchar(10 * x), uchar(20 + y), uchar(200), uchar(x * 60));
        writeImage(path(QStringLiteral("rgba.png")), bgra);
        const auto out = ImagePreprocessor(5, Normalization{}).load(path(QStringLiteral("rgba.png")));
        const QString problem = mismatch(out, 5, [](int x, int y) { return std::array<int, 3>{200, 20 + y, 10 * x}; });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void sixteenBitBecomesEightBit()
    {
        // 16-bit v maps to round(v / 257): 257·k -> k, 1000 -> 3.89 -> 4, 65535 -> 255.
        cv::Mat image(4, 4, CV_16UC3, cv::Scalar(257 * 30, 257 * 120, 65535));
        image.at<cv::Vec3w>(2, 1) = cv::Vec3w(1000, 0, 257 * 77);
        writeImage(path(QStringLiteral("deep.png")), image);
        const cv::Mat check = cv::imread(path(QStringLiteral("deep.png")).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(check.depth(), CV_16U); // the test image really is 16-bit
        const auto out = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("deep.png")));
        const QString problem = mismatch(out, 4, [](int x, int y) {
            if (x == 1 && y == 2)
                return std::array<int, 3>{77, 0, 4};
            return std::array<int, 3>{255, 120, 30};
        });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void shrinkingBy2xIsBicubic()
    {
        // 8 x 8 -> 4 x 4. Output (1, 1) samples source 2.5 with taps 1..4 and
        // OpenCV's bicubic weights (a = −0.75) −0.09375, 0.59375, 0.59375, −0.09375,
        // so a lone 255 at source (2, 2) gives 255 · 0.59375² = 89.9 -> 90
        // (area averaging would give 255 / 4 -> 64).
        cv::Mat image(8, 8, CV_8UC1, cv::Scalar(0));
        image.at<uchar>(2, 2) = 255;
        writeImage(path(QStringLiteral("dot8.png")), image);
        const auto out = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("dot8.png")));
        for (int c = 0; c < 3; ++c)
            QVERIFY2(near(out[c][1][1].item<double>(), expected(90, c), 0.6 / 255.0 / 0.26),
                     qPrintable(QString::number(out[c][1][1].item<double>())));
    }

    void shrinkingBeyond2xAveragesAreas()
    {
        // 8 x 8 -> 2 x 2 (factor 4): area averaging means each output pixel is
        // the mean of a 4 x 4 block. Block (0, 0) holds a 2 x 2 patch of 160:
        // 160 · 4 / 16 = 40 (bicubic would give about 160 · 1.1875² = 226).
        cv::Mat image(8, 8, CV_8UC1, cv::Scalar(0));
        image(cv::Rect(1, 1, 2, 2)).setTo(cv::Scalar(160));
        image(cv::Rect(4, 0, 4, 4)).setTo(cv::Scalar(100));
        writeImage(path(QStringLiteral("blocks.png")), image);
        const auto out = ImagePreprocessor(2, Normalization{}).load(path(QStringLiteral("blocks.png")));
        const QString problem = mismatch(out, 2, [](int x, int y) {
            const int v = (x == 0 && y == 0) ? 40 : (x == 1 && y == 0) ? 100 : 0;
            return std::array<int, 3>{v, v, v};
        });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void upscalingAndShapes()
    {
        writeImage(path(QStringLiteral("tiny.png")), solid(2, 2, {10, 20, 30}));
        const auto up = ImagePreprocessor(8, Normalization{}).load(path(QStringLiteral("tiny.png")));
        const QString problem = mismatch(up, 8, [](int, int) { return std::array<int, 3>{10, 20, 30}; });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        writeImage(path(QStringLiteral("odd.jpg")), solid(10, 6, {90, 90, 90}));
        const auto odd = ImagePreprocessor(4, Normalization{}).load(path(QStringLiteral("odd.jpg")));
        QCOMPARE(odd.sizes(), torch::IntArrayRef({3, 4, 4}));
        QVERIFY(odd.is_contiguous());
    }

    void nonAsciiFileName()
    {
        const QString file = path(QStringLiteral("Bild_äöü_猫.png"));
        writeImage(file, solid(3, 3, {1, 2, 3}));
        const auto out = ImagePreprocessor(3, Normalization{}).load(file);
        const QString problem = mismatch(out, 3, [](int, int) { return std::array<int, 3>{1, 2, 3}; });
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void errorsNameTheFile()
    {
        const ImagePreprocessor pre(4, Normalization{});
        const auto errorOf = [&](const QString &file) { return wemoe::test::errorOf([&] { pre.load(file); }); };

        const QString missing = path(QStringLiteral("missing.png"));
        QString message = errorOf(missing);
        QVERIFY2(message.startsWith(missing) && message.contains(QStringLiteral("file missing")), qPrintable(message));

        const QString corrupt = path(QStringLiteral("corrupt.png"));
        {
            QFile f(corrupt);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("this is not a png at all");
        }
        message = errorOf(corrupt);
        QVERIFY2(message.startsWith(corrupt) && message.contains(QStringLiteral("not a decodable image")),
                 qPrintable(message));

        const QString empty = path(QStringLiteral("empty.jpg"));
        {
            QFile f(empty);
            QVERIFY(f.open(QIODevice::WriteOnly));
        }
        message = errorOf(empty);
        QVERIFY2(message.startsWith(empty) && message.contains(QStringLiteral("not a decodable image")),
                 qPrintable(message));

        const QString folder = path(QStringLiteral("folder.png"));
        QVERIFY(QDir().mkpath(folder));
        message = errorOf(folder);
        QVERIFY2(message.startsWith(folder) && message.contains(QStringLiteral("folder")), qPrintable(message));
    }

    void badMatsAndSettings()
    {
        const ImagePreprocessor pre(4, Normalization{});
        QVERIFY_THROWS_EXCEPTION(Error, pre.fromMat(cv::Mat(), QStringLiteral("empty")));
        try {
            pre.fromMat(cv::Mat(4, 4, CV_32FC3, cv::Scalar(0.5, 0.5, 0.5)), QStringLiteral("float.tif"));
            QFAIL("a float image was accepted");
        } catch (const Error &e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("float.tif"))
                         && e.message().contains(QStringLiteral("32-bit float")),
                     qPrintable(e.message()));
        }
        QVERIFY_THROWS_EXCEPTION(Error, ImagePreprocessor(0, Normalization{}));
        Normalization zeroStd;
        zeroStd.std[1] = 0.0f;
        QVERIFY_THROWS_EXCEPTION(Error, ImagePreprocessor(4, zeroStd));
        // A 1 x 30000 strip at size 224 would need a 6.7-million-pixel side.
        QVERIFY_THROWS_EXCEPTION(Error,
                                 ImagePreprocessor(224, Normalization{})
                                     .fromMat(cv::Mat(1, 30000, CV_8UC1, cv::Scalar(0)), QStringLiteral("strip.png")));
    }
};

QTEST_APPLESS_MAIN(TestImagePreprocessor)
#include "test_image_preprocessor.moc"
