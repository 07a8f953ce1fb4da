#pragma once

#include "bench_harness.h"
#include "io/clip_config.h"

#include <QtCore/QTextStream>

namespace wemoe::bench {

// What writing a checkpoint safely costs: one vision model's tensors (random
// weights for `config`) written as bare bytes through QFile (no checks, no
// fsync: the floor), by writeSafetensors (AtomicFile: every write checked,
// fsync of file and folder, rename), and by exportCheckpoint (config.json and
// model.safetensors into a staged folder moved into place). Written into
// `folder` (the file system under test); prints a Markdown table.
void runIoBench(const ClipVisionConfig &config, const TimingOptions &timing, const QString &folder, QTextStream &out);

} // namespace wemoe::bench
