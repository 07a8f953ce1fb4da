#pragma once

#include "common/tensor_map.h"
#include "jobs/job_context.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

namespace wemoe {

// Reading and writing the safetensors format (see docs/METHOD.md, "safetensors").
//
// Reading memory-maps the file (copy-on-write, so a stray in-place op never
// touches the file) and creates tensors over the mapping without copying when
// the data is aligned for its dtype; the mapping lives as long as any tensor
// made from it. The whole header is validated before any tensor is made, and
// the first violation is reported as "<file>: <problem> (tensor '<name>')".
struct SafetensorsContents
{
    TensorMap tensors;
    Metadata metadata;
};

// Upper bound on the JSON header, as in the reference implementation.
constexpr qint64 kMaxSafetensorsHeaderBytes = 100LL * 1000 * 1000;

// Reads one .safetensors file.
SafetensorsContents readSafetensors(const QString &path);

// Reads a checkpoint that may be sharded: a .safetensors file, a
// model.safetensors.index.json, or a folder holding either
// (model.safetensors preferred). Shard metadata is merged; the index's
// weight_map must name every tensor exactly once and each in the shard it says.
SafetensorsContents readSafetensorsCheckpoint(const QString &pathOrFolder);

// Writes one .safetensors file atomically (AtomicFile: nothing appears unless
// all bytes reached the disk; errors name `path` and the system's reason). The header is padded with spaces to a multiple of
// 8 bytes; tensors are written in name order, contiguous, little-endian, in
// their own dtype (which must be one the format knows). The context's cancel
// flag is polled between tensors.
void writeSafetensors(const QString &path, const TensorMap &tensors, const Metadata &metadata = {},
                      const JobContext &context = {});

// Writes `tensors` into `folder` as "<baseName>.safetensors" when their total
// size is at most maxShardBytes, otherwise as "<baseName>-0000i-of-0000n.safetensors"
// shards plus "<baseName>.safetensors.index.json" (Hugging Face layout, with
// metadata.total_size). Returns the file names written (relative to folder).
// maxShardBytes <= 0 means never shard.
QStringList writeSafetensorsCheckpoint(const QString &folder, const QString &baseName, const TensorMap &tensors,
                                       const Metadata &metadata, qint64 maxShardBytes, const JobContext &context = {});

// "F32", "BF16", ... for a torch dtype; throws for a dtype safetensors cannot hold.
QString safetensorsDtypeName(c10::ScalarType type);

} // namespace wemoe
