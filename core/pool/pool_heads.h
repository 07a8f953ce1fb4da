#pragma once

#include "io/checkpoint.h"
#include "io/classification_head.h"
#include "io/model_pool.h"
#include "jobs/job_context.h"

#include <c10/core/Device.h>

#include <vector>

namespace wemoe {

// Where zero-shot heads built for a pool are kept: "<pool file>.heads/" beside
// it, one "<task>.safetensors" each, with the key of what built it in its
// metadata ("zero_shot_key").
QString zeroShotHeadCacheFolder(const ModelPool &pool);

// The heads of a pool's tasks, in task order. Head files are read; zero-shot
// heads come from the cache when their key matches (the text tower's and
// projection's tensors, the tokenizer's files, the classes and the templates),
// else are built on `device` from the pool's CLIP model and cached. A cache
// that cannot be written costs a warning, not the run. `pretrained` is reused
// when the CLIP model is the pretrained model itself. `withProjection`: the
// pool's vision towers have no projection, so zero-shot heads carry CLIP's.
std::vector<ClassificationHead> loadPoolHeads(const ModelPool &pool, const Checkpoint &pretrained, bool withProjection,
                                              const c10::Device &device, const JobContext &context = {});

} // namespace wemoe
