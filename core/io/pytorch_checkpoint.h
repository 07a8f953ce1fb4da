#pragma once

#include "io/model_weights.h"

#include <QtCore/QString>

namespace wemoe {

// Reading PyTorch checkpoints: pytorch_model.bin and other torch.save files of
// a state dict (see docs/METHOD.md, "PyTorch checkpoints").
//
// Only the zip layout torch.save writes since torch 1.6 is read:
// "<archive>/data.pkl" (the pickle), "<archive>/data/<key>" (one record per
// storage), "<archive>/version" and perhaps "<archive>/byteorder". The
// pickle goes through a restricted unpickler that runs no code
// (pickle_reader.h), and must hold a dictionary of tensors. Tensors keep
// their storage offsets, strides and shared storages, as torch.load gives
// them; they are views of the memory-mapped file where the data is aligned
// for its dtype, else copied. Bytes are taken as they are: every dtype reads
// back bit for bit.
//
// Errors are wemoe::Error "<file>: <problem>": a file older than torch 1.6,
// one that is no PyTorch checkpoint, a damaged or compressed archive, a
// refused global, a storage shorter than its declared size, a tensor reaching
// past its storage (named), a big-endian file.
WeightsContents readPytorchCheckpoint(const QString &path);

// Reads pytorch_model.bin.index.json and the shards its weight_map names. As
// for safetensors indices, the weight_map must name every tensor exactly
// once and each in the shard that holds it, and shard names must be plain
// file names in the index's folder.
WeightsContents readPytorchCheckpointSharded(const QString &indexPath);

} // namespace wemoe
