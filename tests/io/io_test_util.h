#pragma once

#include "common/tensor_map.h"
#include "io/clip_config.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <torch/types.h>

namespace wemoe::test {

// A ViT small enough to write in milliseconds: width 8, MLP 16, 2 blocks,
// 2 heads, 8 px images with 4 px patches (5 positions), projection 4.
ClipVisionConfig tinyConfig();

// config.json of a CLIPVisionConfig for `config`, written out field by field
// (not through ClipVisionConfig::toJson, which is under test).
QJsonObject visionConfigJson(const ClipVisionConfig &config);

// Seeded N(0, 1) weights for every tensor expectedVisionShapes names.
TensorMap randomVisionWeights(const ClipVisionConfig &config, quint64 seed);

// The same tensors under "<prefix><name>" (visual_projection.weight stays top level).
TensorMap withFileKeys(const TensorMap &vision, const std::string &prefix);

void writeJson(const QString &path, const QJsonObject &json);
void writeBytes(const QString &path, const QByteArray &bytes);
QByteArray readBytes(const QString &path);

// A model folder: config.json plus model.safetensors holding `fileTensors` as given.
void writeModelFolder(const QString &folder, const QJsonObject &configJson, const TensorMap &fileTensors);

// Same dtype, same shape and the same bytes.
bool bitwiseEqual(const torch::Tensor &a, const torch::Tensor &b);
// The first name whose tensor is not bitwise equal (or missing), "" when the maps agree.
QString firstDifference(const TensorMap &a, const TensorMap &b);

// The file a pointer's page is mapped from, per /proc/self/maps ("" when anonymous or unknown).
QString mappedFileOf(const void *pointer);

} // namespace wemoe::test
