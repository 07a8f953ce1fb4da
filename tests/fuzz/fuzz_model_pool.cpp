// libFuzzer target: a model pool file (JSON), as ModelPool::load reads it.
// Paths resolve against a folder that does not exist, so only absolute paths
// the input names can be found.

#include "common/error.h"
#include "io/json_file.h"
#include "io/model_pool.h"
#include "io/path_component.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString poolFile = QStringLiteral("/nonexistent-wemoe-fuzz/pool.json");
    try {
        const wemoe::ModelPool pool = wemoe::ModelPool::fromJson(wemoe::parseJsonObject(text, poolFile), poolFile);
        // Whatever is accepted: every task name is usable as a folder name.
        for (const wemoe::PoolTask &task : pool.tasks) {
            if (!wemoe::pathComponentProblem(task.name).isEmpty())
                std::abort();
        }
        for (int c = 0; c < 3; ++c) {
            if (!(pool.normalization.std[static_cast<size_t>(c)] > 0.0f))
                std::abort();
        }
    } catch (const wemoe::Error &) {
    }
    return 0;
}
