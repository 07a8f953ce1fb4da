#pragma once

#include "common/tensor_map.h"
#include "io/clip_config.h"
#include "jobs/job_context.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <utility>
#include <vector>

namespace wemoe {

// A Hugging Face CLIP (vision) model folder: config.json plus model.safetensors,
// pytorch_model.bin, or shards of either (model_weights.h). Tensors are
// memory-mapped (see safetensors.h and pytorch_checkpoint.h).
//
// Vision tensors are held under canonical names, without the "vision_model."
// prefix ("embeddings.patch_embedding.weight", "encoder.layers.0.mlp.fc1.weight",
// "post_layernorm.bias", "visual_projection.weight"); "embeddings.position_ids"
// is dropped. Everything else (a CLIPModel's text tower, logit_scale) is kept
// untouched in `passthrough` so an export can write it back.
struct Checkpoint
{
    QString path;           // the folder (or file) it was read from
    QJsonObject configJson; // config.json as read
    ClipVisionConfig config;
    QString keyPrefix; // "vision_model." or "" as found in the file
    TensorMap vision;
    TensorMap passthrough;
    Metadata metadata;

    // Loads a model folder, or a weights file (.safetensors, .bin, an index of
    // shards, ...) with config.json beside it.
    // Errors name the file: missing config.json, missing weights, a vision
    // tensor missing or of the wrong shape for the config.
    static Checkpoint load(const QString &path);

    // The key a canonical vision name has in this checkpoint's files.
    std::string fileKey(const std::string &canonicalName) const;
    qint64 parameterCount() const;
    qint64 byteSize() const;
};

// Canonical names and shapes of every vision tensor a config implies
// (visual_projection only when projectionDim > 0).
std::map<std::string, std::vector<int64_t>> expectedVisionShapes(const ClipVisionConfig &config);

// Throws wemoe::Error naming `other`'s path and the first tensor whose name or
// shape differs from `reference`, or the first config field that differs.
void requireSameArchitecture(const Checkpoint &reference, const Checkpoint &other);

// Warns (through the context) about every tensor holding NaN or Inf, naming it.
// Returns the number of such tensors.
int warnNonFinite(const TensorMap &tensors, const QString &source, const JobContext &context);

// Storage dtypes an export can write, as the CLI's --dtype and the studio's
// menu name them: keep (each tensor as in the template), f32, f16, bf16.
QStringList exportDtypeNames();
// One of those names (or float32, float16, bfloat16); throws wemoe::Error.
c10::ScalarType parseExportDtype(const QString &name);

struct ExportOptions
{
    // Storage dtype of the written vision tensors; c10::ScalarType::Undefined
    // keeps each tensor's dtype as in `like`.
    c10::ScalarType dtype = c10::ScalarType::Undefined;
    qint64 maxShardBytes = 5LL * 1000 * 1000 * 1000; // Hugging Face's default of 5 GB
    bool overwrite = false;
    Metadata metadata; // added to the file's __metadata__ (format=pt is always set)
    // Small files written beside config.json inside the same staging, so they
    // appear with the model or not at all (AdaMerging's coefficients): name
    // (one path component) and bytes.
    std::vector<std::pair<QString, QByteArray>> extraFiles;
};

// Exports `vision` (canonical names) as a Hugging Face folder shaped like
// `like`: the same config.json, the same key names and prefix, and like's
// passthrough tensors. Atomic (StagedFolder): everything is written into a
// hidden folder beside `folder`, which takes its place only when complete.
// Throws when `folder` exists and overwrite is false (also when another run
// created it meanwhile), or is not writable.
void exportCheckpoint(const QString &folder, const Checkpoint &like, const TensorMap &vision,
                      const ExportOptions &options = {}, const JobContext &context = {});

// The files of such a folder (config.json, model.safetensors or shards) written
// into the existing, empty `folder`, for callers that stage several models as
// one output (collapsed per-task exports). options.overwrite is not used.
void writeCheckpointFiles(const QString &folder, const Checkpoint &like, const TensorMap &vision,
                          const ExportOptions &options, const JobContext &context = {});

} // namespace wemoe
