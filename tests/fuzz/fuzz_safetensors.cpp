// libFuzzer target: a .safetensors file (header, offsets, data) read as a
// checkpoint and as a classification head. A wemoe::Error is the expected
// answer to bad bytes; any other exception, a crash or a sanitizer report is
// a finding.

#include "memory_file.h"

#include "common/error.h"
#include "io/classification_head.h"
#include "io/safetensors.h"

#include <QtCore/QString>

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = writeMemoryFile(data, size);
    if (path.isEmpty())
        return 0;
    try {
        const wemoe::SafetensorsContents contents = wemoe::readSafetensors(path);
        // Touch every byte of every tensor: a view past the mapping would fault here.
        volatile uint8_t sink = 0;
        for (const auto &[name, tensor] : contents.tensors) {
            const auto *bytes = static_cast<const uint8_t *>(tensor.data_ptr());
            for (int64_t i = 0; i < tensor.numel() * static_cast<int64_t>(tensor.element_size()); ++i)
                sink ^= bytes[i];
        }
    } catch (const wemoe::Error &) {
    }
    try {
        wemoe::ClassificationHead::load(path);
    } catch (const wemoe::Error &) {
    }
    return 0;
}
