#include "zoo/training_images.h"

#include "common/error.h"
#include "data/batch_loader.h"
#include "data/image_preprocessor.h"
#include "data/open_dataset.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace wemoe {

TrainingImages loadTrainingImages(const DataSource &source, const QStringList &classNames, int imageSize,
                                  const Normalization &normalization, const JobContext &context)
{
    const SharedImageDataset dataset = openImageDataset(source, classNames);
    const ImagePreprocessor preprocessor(imageSize, normalization);
    const BatchLoader loader(*dataset, preprocessor, 256);
    std::vector<torch::Tensor> images;
    std::vector<torch::Tensor> labels;
    for (int i = 0; i < loader.batchCount(); ++i) {
        context.throwIfCancelled();
        BatchLoader::Batch batch = loader.batch(i);
        images.push_back(batch.images);
        labels.push_back(batch.labels);
        context.progress(i + 1, loader.batchCount(), dataset->source());
    }
    TrainingImages loaded;
    loaded.classNames = classNames;
    loaded.images = torch::cat(images, 0);
    loaded.labels = torch::cat(labels, 0);
    return loaded;
}

EpochSampler::EpochSampler(int size, at::Generator generator)
    : m_size(size)
    , m_generator(std::move(generator))
{
    if (size < 1)
        throw Error(QStringLiteral("cannot sample batches from an empty split"));
}

torch::Tensor EpochSampler::next(int count)
{
    if (count <= 0)
        return torch::empty({0}, torch::kInt64);
    std::vector<torch::Tensor> parts;
    int missing = count;
    while (missing > 0) {
        if (!m_order.defined() || m_position >= m_size) {
            m_order = torch::randperm(m_size, m_generator, torch::kInt64);
            m_position = 0;
        }
        const int take = std::min(missing, m_size - m_position);
        parts.push_back(m_order.narrow(0, m_position, take));
        m_position += take;
        missing -= take;
    }
    return parts.size() == 1 ? parts.front() : torch::cat(parts);
}

torch::Tensor randomCropAndFlip(const torch::Tensor &images, int padding, const torch::Tensor &mayFlip,
                                at::Generator &generator)
{
    if (images.dim() != 4 || mayFlip.dim() != 1 || mayFlip.size(0) != images.size(0))
        throw Error(
            QStringLiteral("augmentation: expected images [B, C, S, S] and one flip flag per image, got %1 and %2")
                .arg(QString::fromStdString(c10::str(images.sizes())),
                     QString::fromStdString(c10::str(mayFlip.sizes()))));
    if (padding < 0)
        throw Error(QStringLiteral("augmentation: negative crop padding %1").arg(padding));
    const int64_t batch = images.size(0);
    const int64_t height = images.size(2);
    const int64_t width = images.size(3);

    torch::Tensor cropped = images;
    if (padding > 0) {
        const torch::Tensor padded = torch::constant_pad_nd(images, {padding, padding, padding, padding}, 0.0);
        const torch::Tensor offsets = torch::randint(0, 2 * padding + 1, {batch, 2}, generator, torch::kInt64);
        const auto *offset = offsets.data_ptr<int64_t>();
        std::vector<torch::Tensor> windows;
        windows.reserve(size_t(batch));
        for (int64_t i = 0; i < batch; ++i)
            windows.push_back(padded[i].narrow(1, offset[2 * i], height).narrow(2, offset[2 * i + 1], width));
        cropped = torch::stack(windows);
    }
    const torch::Tensor coin = torch::rand({batch}, generator) < 0.5;
    const torch::Tensor flip = torch::logical_and(coin, mayFlip.to(torch::kBool)).view({batch, 1, 1, 1});
    return torch::where(flip, cropped.flip({3}), cropped).contiguous();
}

torch::Tensor randomResizedView(const torch::Tensor &images, double minArea, double jitter, double grayProbability,
                                const torch::Tensor &mayFlip, at::Generator &generator)
{
    if (images.dim() != 4 || mayFlip.dim() != 1 || mayFlip.size(0) != images.size(0))
        throw Error(
            QStringLiteral("augmentation: expected images [B, C, S, S] and one flip flag per image, got %1 and %2")
                .arg(QString::fromStdString(c10::str(images.sizes())),
                     QString::fromStdString(c10::str(mayFlip.sizes()))));
    if (!(minArea > 0.0 && minArea <= 1.0))
        throw Error(QStringLiteral("augmentation: the smallest crop area must be in (0, 1], got %1").arg(minArea));
    const int64_t batch = images.size(0);
    const auto uniform = [&](double low, double high) { return torch::rand({batch}, generator) * (high - low) + low; };

    // Crop size as fractions of the image side; the log-uniform aspect keeps 3:4 and 4:3 equally likely.
    const torch::Tensor area = uniform(minArea, 1.0);
    const torch::Tensor aspect = torch::exp(uniform(std::log(3.0 / 4.0), std::log(4.0 / 3.0)));
    const torch::Tensor width = torch::sqrt(area * aspect).clamp_max(1.0);
    const torch::Tensor height = torch::sqrt(area / aspect).clamp_max(1.0);
    // Centre anywhere that keeps the crop inside: affine_grid's coordinates run over [-1, 1].
    const torch::Tensor centreX = (torch::rand({batch}, generator) * 2 - 1) * (1 - width);
    const torch::Tensor centreY = (torch::rand({batch}, generator) * 2 - 1) * (1 - height);
    const torch::Tensor flip = torch::logical_and(torch::rand({batch}, generator) < 0.5, mayFlip.to(torch::kBool));
    const torch::Tensor signX = 1 - 2 * flip.to(torch::kFloat32);
    const torch::Tensor zero = torch::zeros({batch});
    const torch::Tensor theta = torch::stack(
        {torch::stack({width * signX, zero, centreX}, 1), torch::stack({zero, height, centreY}, 1)}, 1);
    const torch::Tensor grid = torch::nn::functional::affine_grid(theta, images.sizes(), false);
    torch::Tensor view = torch::nn::functional::grid_sample(images, grid,
                                                            torch::nn::functional::GridSampleFuncOptions()
                                                                .mode(torch::kBilinear)
                                                                .padding_mode(torch::kBorder)
                                                                .align_corners(false));

    const torch::Tensor contrast = uniform(1.0 - jitter, 1.0 + jitter).view({batch, 1, 1, 1});
    const torch::Tensor brightness = uniform(-jitter, jitter).view({batch, 1, 1, 1});
    view = view * contrast + brightness;
    const torch::Tensor gray = (torch::rand({batch}, generator) < grayProbability).view({batch, 1, 1, 1});
    view = torch::where(gray, view.mean(1, true).expand_as(view), view);
    return view.contiguous();
}

} // namespace wemoe
