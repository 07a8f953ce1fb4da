// libFuzzer target: a .safetensors file (header, offsets, data) read as a
// checkpoint and as a classification head. A wemoe::Error is the expected
// answer to bad bytes; any other exception, a crash or a sanitizer report is
// a finding.

#include "common/error.h"
#include "io/classification_head.h"
#include "io/safetensors.h"

#include <QtCore/QString>

#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

namespace {

// One in-memory file, rewritten for every input: no disk traffic.
int memoryFile()
{
    static const int fd = ::memfd_create("fuzz.safetensors", MFD_CLOEXEC);
    return fd;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const int fd = memoryFile();
    if (fd < 0 || ::ftruncate(fd, 0) != 0)
        return 0;
    if (size > 0 && ::pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
        return 0;
    const QString path = QStringLiteral("/proc/self/fd/%1").arg(fd);
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
