// libFuzzer target: the restricted unpickler that reads a PyTorch
// checkpoint's data.pkl, on raw pickle bytes. A wemoe::Error is the expected
// answer to bad bytes; any other exception, a crash, a sanitizer report or
// memory beyond the unpickler's caps is a finding.

#include "common/error.h"
#include "io/pickle_reader.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try {
        const auto tensors = wemoe::readPickledTensors(
            QByteArrayView(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size)),
            QStringLiteral("fuzz.bin"), QStringLiteral("archive/data.pkl"));
        // What the reader promises: dimensions agree and nothing is negative.
        for (const wemoe::PickledTensor &tensor : tensors) {
            if (tensor.sizes.size() != tensor.strides.size() || tensor.storageOffset < 0 || tensor.storageNumel < 0)
                __builtin_trap();
        }
    } catch (const wemoe::Error &) {
    }
    return 0;
}
