#pragma once

#include "io/data_source.h"
#include "io/zero_shot_spec.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

#include <array>
#include <optional>

namespace wemoe {

// Image normalisation applied after resizing, per channel (RGB).
struct Normalization
{
    std::array<float, 3> mean{0.48145466f, 0.4578275f, 0.40821073f}; // CLIP's
    std::array<float, 3> std{0.26862954f, 0.26130258f, 0.27577711f};
};

struct PoolTask
{
    QString name;
    QString checkpoint;       // the fine-tuned model folder (or file), resolved
    QString checkpointSource; // as the pool wrote it (a path or a hub name); empty when made in code
    QString head;             // the head .safetensors; empty for a zero-shot head
    std::optional<ZeroShotHeadSpec> zeroShot;
    DataSource testData;  // the test images: an image folder or Parquet files
    DataSource trainData; // optional: training images, for methods that learn from data
};

// A model pool file (JSON):
// {
//   "name": "clip-vit-b32-8tasks",                 (optional)
//   "pretrained": "models/pretrained",             the pretrained model: a folder, a weights file,
//                                                  or a Hugging Face cache name (ORG/NAME[@REV])
//   "clip": "openai/clip-vit-base-patch32",        (optional) the CLIPModel whose text tower builds
//                                                  zero-shot heads; "pretrained" by default
//   "normalization": {"mean": [r,g,b], "std": [r,g,b]},   (optional, CLIP's by default)
//   "tasks": [
//     {"name": "mnist", "checkpoint": "models/mnist", "head": "heads/mnist.safetensors",
//      "test_data": "data/mnist/test"},
//     {"name": "dtd", "checkpoint": "tanganke/clip-vit-base-patch32_dtd",
//      "head": {"zero_shot": {"classes": [...] or "classes.txt" (default: the test folders),
//                             "templates": [...] or "templates.txt" (default: "a photo of a {}.")}},
//      "test_data": "data/dtd/test"},
//     {"name": "sun397", "checkpoint": "tanganke/clip-vit-base-patch32_sun397",
//      "head": {"zero_shot": {}},                (classes from the data's ClassLabel names)
//      "test_data": "tanganke/sun397:test",      an image folder, a .parquet file, a folder of
//                                                them, a list of them, or a Hugging Face dataset's
//                                                split in the cache (core/io/data_source.h)
//      "train_data": "tanganke/sun397:train"}, ... (optional, the same forms)
//   ]
// }
// Model names resolve as core/io/hub_cache.h says (a local path wins).
// Relative paths resolve against the folder holding the pool file.
struct ModelPool
{
    QString path; // the pool file
    QString name;
    QString pretrained;
    QString pretrainedSource; // as written; empty when made in code
    QString clip;             // the CLIPModel for zero-shot heads; empty: the pretrained model
    QString clipSource;
    Normalization normalization;
    QVector<PoolTask> tasks;

    // Throws wemoe::Error naming the pool file for bad JSON, missing fields,
    // duplicate task names or paths that do not exist.
    static ModelPool load(const QString &poolFile);
    // The same from a parsed pool object; `poolFile` names it in errors and is
    // what relative paths resolve against.
    static ModelPool fromJson(const QJsonObject &json, const QString &poolFile);
    // Writes the pool atomically, with paths relative to the pool file's folder.
    void save(const QString &poolFile) const;

    int taskIndex(const QString &taskName) const; // -1 when absent
    bool hasZeroShotHeads() const;
    // The model whose text tower builds zero-shot heads.
    QString clipModel() const { return clip.isEmpty() ? pretrained : clip; }
};

} // namespace wemoe
