#pragma once

#include "common/tensor_map.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// The weights of a model, whatever format they came in.
struct WeightsContents
{
    TensorMap tensors;
    Metadata metadata; // safetensors' __metadata__ (merged over shards); empty for PyTorch files
    QString path;      // the weights file (or index) actually read, for messages about its tensors
};

// A folder's weights files in the order Hugging Face prefers them:
// model.safetensors, model.safetensors.index.json, pytorch_model.bin,
// pytorch_model.bin.index.json.
QStringList modelWeightsFileNames();

// The first of those that `folder` holds; "" when it holds none.
QString findModelWeightsFile(const QString &folder);

// Whether readModelWeights reads a file of this name, and those names in
// words for messages (".safetensors, .bin, .pt, .pth, or an .index.json of shards").
bool isModelWeightsFileName(const QString &path);
QString modelWeightsFileKinds();

// Reads the weights of a model folder (the first of modelWeightsFileNames()
// it holds) or of one file, by its name: .safetensors; .bin, .pt or .pth
// (torch.save zips); .bin.index.json; another .index.json (safetensors).
// Tensors are memory-mapped where they can be (see safetensors.h and
// pytorch_checkpoint.h). Errors are wemoe::Error "<file>: <problem>"; a
// folder without weights names the files it looked for.
WeightsContents readModelWeights(const QString &pathOrFolder);

} // namespace wemoe
