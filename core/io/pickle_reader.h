#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <string>
#include <vector>

namespace wemoe {

// The element types of torch's typed storages, as a pickle names them
// (torch.FloatStorage, torch.BFloat16Storage, ...). Kept free of torch so the
// parser that reads untrusted pickles is small and quick to fuzz.
enum class StorageDtype { Float64, Float32, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

// "FloatStorage", ...
QString storageClassName(StorageDtype dtype);
// Bytes per element: 8 for Float64, ..., 1 for Bool.
int storageElementSize(StorageDtype dtype);

// One tensor of a pickled dictionary of tensors: a strided view into a
// storage record of the archive.
struct PickledTensor
{
    std::string name;
    QString storageKey; // the storage's record is "<archive>/data/<storageKey>"
    StorageDtype dtype = StorageDtype::Float32;
    qint64 storageNumel = 0;  // elements the storage holds, as the pickle declares
    qint64 storageOffset = 0; // in elements
    std::vector<qint64> sizes;
    std::vector<qint64> strides; // in elements
};

// Limits that keep a hostile pickle from exhausting memory: objects it may
// create, and references to them it may hold (stack entries, container
// items, marks). A state dict needs about 20 objects per tensor.
constexpr qint64 kMaxPickleObjects = 2'000'000;
constexpr qint64 kMaxPickleReferences = 16'000'000;

// Reads the pickle (data.pkl) of a torch.save'd dictionary of tensors with a
// restricted unpickler: it runs no code and knows only the opcodes torch.save
// writes (protocol 2, and protocol 4's framing) and only these globals:
// collections.OrderedDict, torch._utils._rebuild_tensor_v2 and
// _rebuild_parameter, torch.<Type>Storage, torch dtypes, and
// torch.jit._pickle.restore_type_tag (LibTorch's torch::pickle_save writes it).
// Any other global is refused by its name ("os.system"), before anything
// could call it. The tensors come in the pickle's order.
//
// Errors are wemoe::Error "<file>: <entryName>, byte <n>: <problem>" for the
// pickle itself, and "<file>: holds <what>, not a dictionary of tensors" when
// it is well formed but holds something else (a list, a nested dictionary).
std::vector<PickledTensor> readPickledTensors(QByteArrayView pickle, const QString &file, const QString &entryName);

} // namespace wemoe
