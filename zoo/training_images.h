#pragma once

#include "io/data_source.h"
#include "io/model_pool.h"
#include "jobs/job_context.h"

#include <torch/types.h>

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// One task's split held in memory, preprocessed exactly as the evaluator
// preprocesses test images (ImagePreprocessor: RGB, [0, 1], normalised), so
// training sees what evaluation will see. The zoo's splits are small
// (a few thousand 32×32 images, ~12 KB each as float32).
struct TrainingImages
{
    QString task;
    QStringList classNames;
    torch::Tensor images;    // [N, 3, S, S] float32
    torch::Tensor labels;    // [N] int64, indexing classNames
    bool mirrorSafe = false; // horizontal flips keep the label

    int size() const { return images.defined() ? int(images.size(0)) : 0; }
};

// Reads every image of an image folder or Parquet files (classes in
// `classNames` order). Throws wemoe::Error naming the folder or file, or the
// first unreadable image.
TrainingImages loadTrainingImages(const DataSource &source, const QStringList &classNames, int imageSize,
                                  const Normalization &normalization, const JobContext &context = {});

// Draws indices 0..size-1 in seeded random epochs: every index once per
// epoch, reshuffled (from `generator`) when an epoch runs out.
class EpochSampler
{
public:
    EpochSampler(int size, at::Generator generator);
    // The next `count` indices, [count] int64.
    torch::Tensor next(int count);

private:
    int m_size;
    at::Generator m_generator;
    torch::Tensor m_order;
    int m_position = 0;
};

// Batch augmentations, drawn from `generator` (the same seed gives the same batch).
// Random crops: each image is zero-padded by `padding` pixels (zero is the
// mean colour after normalisation) and a window of the original size is cut
// at a random offset; images whose `mayFlip` entry is true are mirrored with
// probability 1/2. images [B, C, S, S], mayFlip [B] bool.
torch::Tensor randomCropAndFlip(const torch::Tensor &images, int padding, const torch::Tensor &mayFlip,
                                at::Generator &generator);

// SimCLR's view augmentation for 32 px images: a random crop covering
// [minArea, 1] of the image with aspect ratio in [3/4, 4/3], resized back
// (bilinear, border pixels repeated), mirrored with probability 1/2 where mayFlip is
// true, then brightness and contrast jitter of up to ±jitter and, with
// probability grayProbability, the channels replaced by their mean.
// Works on normalised images (zero is the mean colour).
torch::Tensor randomResizedView(const torch::Tensor &images, double minArea, double jitter, double grayProbability,
                                const torch::Tensor &mayFlip, at::Generator &generator);

} // namespace wemoe
