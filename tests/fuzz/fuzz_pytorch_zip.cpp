// libFuzzer target: a pytorch_model.bin read by readPytorchCheckpoint. A
// wemoe::Error is the expected answer to bad bytes; any other exception, a
// crash or a sanitizer report is a finding.
//
// Mutated bytes rarely keep a zip's CRCs right, so most raw inputs stop at
// the CRC check. An input that does not start like a zip is therefore also
// read as [u16 pickle length][pickle][storage bytes] and packed into a valid
// archive by LibTorch's own writer (records "data/0" ... "data/7" are the
// storage bytes cut to 1, 1/2, ..., 1/128 of their length), so the fuzzer
// reaches the pickle, the storage sizes and the views over them.

#include "memory_file.h"

#include "common/error.h"
#include "io/pytorch_checkpoint.h"

#include <QtCore/QString>

#include <caffe2/serialize/inline_container.h>
#include <torch/torch.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

std::string packedArchive(const uint8_t *data, size_t size)
{
    const size_t pickleLength = std::min<size_t>(size - 2, data[0] | (data[1] << 8));
    const std::string pickle(reinterpret_cast<const char *>(data) + 2, pickleLength);
    const std::string storage(reinterpret_cast<const char *>(data) + 2 + pickleLength, size - 2 - pickleLength);
    std::string archive;
    caffe2::serialize::PyTorchStreamWriter writer([&archive](const void *bytes, size_t count) {
        archive.append(static_cast<const char *>(bytes), count);
        return count;
    });
    writer.writeRecord("data.pkl", pickle.data(), pickle.size());
    for (int key = 0; key < 8; ++key)
        writer.writeRecord("data/" + std::to_string(key), storage.data(), storage.size() >> key);
    writer.writeEndOfFile();
    return archive;
}

void readAndTouch(const std::string &file)
{
    const QString path = writeMemoryFile(file.data(), file.size());
    if (path.isEmpty())
        return;
    try {
        const wemoe::WeightsContents contents = wemoe::readPytorchCheckpoint(path);
        // Touch every byte of every storage, then every element of every view:
        // a view past its storage or the mapping would fault here.
        volatile uint8_t sink = 0;
        for (const auto &[name, tensor] : contents.tensors) {
            const auto *bytes = static_cast<const uint8_t *>(tensor.storage().data());
            for (size_t i = 0; i < tensor.storage().nbytes(); ++i)
                sink ^= bytes[i];
            if (tensor.numel() > (1 << 20))
                continue; // a broadcast view the reader allows; materialising it only costs time
            const torch::Tensor dense = tensor.contiguous();
            const auto *elements = static_cast<const uint8_t *>(dense.data_ptr());
            for (int64_t i = 0; i < dense.numel() * static_cast<int64_t>(dense.element_size()); ++i)
                sink ^= elements[i];
        }
    } catch (const wemoe::Error &) {
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    readAndTouch(std::string(reinterpret_cast<const char *>(data), size));
    if (size >= 2 && !(data[0] == 'P' && data[1] == 'K'))
        readAndTouch(packedArchive(data, size));
    return 0;
}
