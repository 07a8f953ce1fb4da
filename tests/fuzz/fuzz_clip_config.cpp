// libFuzzer target: config.json as read by Checkpoint::load. A config that is
// accepted must describe a model whose tensor list is cheap to derive.

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/clip_config.h"
#include "io/json_file.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    try {
        const auto config = wemoe::ClipVisionConfig::fromJson(
            wemoe::parseJsonObject(text, QStringLiteral("config.json")), QStringLiteral("config.json"));
        // Bounded sizes: at most 256 blocks of 16 tensors, plus 8 others.
        if (wemoe::expectedVisionShapes(config).size() > 256 * 16 + 8)
            std::abort();
        if (config.numPositions() <= 1 || config.headDim() <= 0)
            std::abort();
    } catch (const wemoe::Error &) {
    }
    return 0;
}
