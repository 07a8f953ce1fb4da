#include "methods/compute_parameters.h"

#include "eval/evaluator.h"
#include "methods/catalogue_entries.h"

namespace wemoe {

const Parameter &threadsParameter()
{
    static const Parameter threads = catalogue::integer(
        "threads", 0, 0, 1024, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Threads"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "CPU threads for LibTorch and image decoding; 0 uses all cores."));
    return threads;
}

const Parameter &evalBatchParameter()
{
    static const Parameter batch = catalogue::integer(
        "batch_size", EvalOptions{}.batchSize, 1, 4096, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Evaluation batch"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "Images per evaluation batch: larger is faster until memory runs out."));
    return batch;
}

const Parameter &maxTestImagesParameter()
{
    static const Parameter limit = catalogue::integer(
        "max_per_task", 0, 0, 100000000, QT_TRANSLATE_NOOP("wemoe::MethodCatalogue", "Test images per task"),
        QT_TRANSLATE_NOOP("wemoe::MethodCatalogue",
                          "At most this many test images per task, a seeded random subset, for quick runs; 0 uses "
                          "them all."));
    return limit;
}

} // namespace wemoe
