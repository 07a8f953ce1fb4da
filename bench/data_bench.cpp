#include "data_bench.h"

#include "common/device.h"
#include "common/error.h"
#include "data/batch_loader.h"
#include "data/batch_prefetcher.h"
#include "data/image_preprocessor.h"
#include "data/open_dataset.h"
#include "io/data_source.h"
#include "model/clip_vision_model.h"
#include "model/random_weights.h"

#ifdef WEMOE_BENCH_PARQUET_WRITER
#include "parquet_writer.h"
#endif

#include <QtCore/QDir>
#include <QtCore/QFile>

#include <ATen/Parallel.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <numeric>

namespace wemoe::bench {

namespace {

const QStringList kClasses{QStringLiteral("first"), QStringLiteral("second")};

// A photo-like JPEG: smooth gradients, a few shapes and fine noise, so the
// decoder does the work it does on real photos (flat images decode faster).
QByteArray photoLikeJpeg(int index)
{
    cv::Mat image(375, 500, CV_8UC3);
    for (int y = 0; y < image.rows; ++y) {
        auto *row = image.ptr<cv::Vec3b>(y);
        for (int x = 0; x < image.cols; ++x)
            row[x] = cv::Vec3b(static_cast<uchar>((x + index * 7) % 256), static_cast<uchar>((y * 2 + index) % 256),
                               static_cast<uchar>(128 + 100 * std::sin(0.05 * (x + y + index))));
    }
    cv::circle(image, {100 + index % 300, 180}, 60, {30, 200, 90}, -1);
    cv::rectangle(image, {250, 50 + index % 200}, {420, 160 + index % 200}, {200, 40, 160}, -1);
    cv::Mat noise(image.size(), image.type());
    cv::RNG(static_cast<std::uint64_t>(index) + 1).fill(noise, cv::RNG::NORMAL, 0, 12);
    image += noise;
    std::vector<uchar> bytes;
    cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, 90});
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), static_cast<qsizetype>(bytes.size()));
}

void writeBytes(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        throw Error(path, QStringLiteral("cannot write a benchmark file"));
}

// Images held in memory: decoding and preprocessing alone, no I/O.
class MemoryImages : public ImageDataset
{
public:
    explicit MemoryImages(QVector<QByteArray> images)
        : m_images(std::move(images))
    {
    }
    QString source() const override { return QStringLiteral("memory"); }
    const QStringList &classNames() const override { return kClasses; }
    int size() const override { return m_images.size(); }
    int label(int index) const override { return index % 2; }
    QByteArray encodedImage(int index) const override { return m_images.at(index); }
    QString sampleName(int index) const override { return QStringLiteral("image %1").arg(index); }

private:
    QVector<QByteArray> m_images;
};

// Every batch of the dataset, on `threads` intra-op threads.
void decodeAll(const ImageDataset &dataset, const ImagePreprocessor &preprocess, int batch, int threads)
{
    const TorchThreadsScope scope(threads);
    const BatchLoader loader(dataset, preprocess, batch);
    for (int i = 0; i < loader.batchCount(); ++i)
        loader.batch(i);
}

} // namespace

void runDataBench(const DataBenchOptions &options, const TimingOptions &timing, QTextStream &out)
{
    QVector<QByteArray> images;
    qint64 bytes = 0;
    for (int i = 0; i < options.images; ++i) {
        images << photoLikeJpeg(i);
        bytes += images.back().size();
    }
    const QString folder = QDir(options.folder).filePath(QStringLiteral("wemoe-bench-data"));
    QDir(folder).removeRecursively();
    for (int i = 0; i < images.size(); ++i)
        writeBytes(QStringLiteral("%1/folder/%2/%3.jpg").arg(folder, kClasses[i % 2]).arg(i, 5, 10, QLatin1Char('0')),
                   images[i]);

    std::vector<std::pair<QString, SharedImageDataset>> sources;
    sources.emplace_back(QStringLiteral("memory"), std::make_shared<MemoryImages>(images));
    sources.emplace_back(QStringLiteral("image folder"),
                         openImageDataset(DataSource::imageFolder(folder + QStringLiteral("/folder")), kClasses));
    QString parquet = options.parquetSource;
#ifdef WEMOE_BENCH_PARQUET_WRITER
    if (parquet.isEmpty()) {
        std::vector<test::HfImageRow> rows;
        for (int i = 0; i < images.size(); ++i) {
            test::HfImageRow row;
            row.bytes = images[i];
            row.label = i % 2;
            rows.push_back(row);
        }
        test::ParquetWriteOptions write;
        write.codec = 1;             // snappy, as `datasets` writes
        write.rowsPerRowGroup = 100; // `datasets`' row groups of image datasets
        parquet = folder + QStringLiteral("/test-00000-of-00001.parquet");
        writeBytes(parquet, test::huggingFaceImageParquet(rows, kClasses, write));
    }
#endif
    if (!parquet.isEmpty()) {
        const DataSource source = resolveDataSource(parquet, QDir::currentPath());
        sources.emplace_back(
            QStringLiteral("Parquet (%1)")
                .arg(options.parquetSource.isEmpty() ? QStringLiteral("snappy, generated") : source.describe()),
            openImageDataset(source, {}));
    }

    const ImagePreprocessor preprocess(options.model.imageSize, Normalization{});
    const int threads = at::get_num_threads();
    ResultTable table(timing);
    table.setBaselines({QStringLiteral("1 thread")});
    for (const auto &[name, dataset] : sources) {
        const QString group =
            QStringLiteral("%1: decode + preprocess to %2 x %2").arg(name).arg(options.model.imageSize);
        const long long count = dataset->size();
        table.measure(group, QStringLiteral("1 thread"), count,
                      [&, data = dataset] { decodeAll(*data, preprocess, options.batch, 1); });
        if (threads > 1)
            table.measure(group, QStringLiteral("%1 threads").arg(threads), count,
                          [&, data = dataset] { decodeAll(*data, preprocess, options.batch, threads); });
    }
    out << "## Test images decoded and preprocessed (" << options.images << " JPEGs of 500×375, "
        << QString::number(double(bytes) / options.images / 1024.0, 'f', 0) << " KiB each; batches of " << options.batch
        << ")\n\n";
    table.printMarkdown(out);

    if (options.evalImages > 0) {
        // What an evaluation does per batch, with the decoding in turn or ahead.
        torch::NoGradGuard noGrad;
        const ClipVisionModel model(options.model, randomClipVisionWeights(options.model, 7), torch::kCPU);
        const ImageDataset &images = *sources.back().second;
        std::vector<int> order(static_cast<std::size_t>(std::min(options.evalImages, images.size())));
        std::iota(order.begin(), order.end(), 0);
        const BatchLoader loader(images, preprocess, options.evalBatch, order);
        ResultTable eval(timing);
        eval.setBaselines({QStringLiteral("decode, then forward")});
        const QString group =
            QStringLiteral("%1: decode + forward (%2)").arg(sources.back().first, options.model.describe());
        eval.measure(group, QStringLiteral("decode, then forward"), loader.sampleCount(), [&] {
            for (int i = 0; i < loader.batchCount(); ++i)
                model.encode(loader.batch(i).images);
        });
        eval.measure(group, QStringLiteral("prefetched"), loader.sampleCount(), [&] {
            BatchPrefetcher batches(loader);
            while (!batches.atEnd())
                model.encode(batches.next().images);
        });
        out << "\n## An evaluation's loop: decoding in turn or prefetched (" << loader.sampleCount()
            << " images in batches of " << options.evalBatch << ", " << threads << " threads)\n\n";
        eval.printMarkdown(out);
    }
    QDir(folder).removeRecursively();
}

} // namespace wemoe::bench
