#include "io/pytorch_checkpoint.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "io/ordered_json.h"
#include "io/path_component.h"
#include "io/pickle_reader.h"
#include "io/regular_file.h"
#include "io/zip_archive.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QHash>

#include <torch/torch.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <unistd.h>

// Tensors are made over the file's bytes as they are; a big-endian host would
// have to byte-swap every element instead.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "PyTorch checkpoint reading assumes a little-endian host");

namespace wemoe {

namespace {

// Before torch 1.6, torch.save wrote pickles one after another, the first of
// them this magic number (protocol 2: PROTO 2, LONG1 of 10 bytes).
const QByteArray kLegacyStart = QByteArray::fromHex("80028a0a6cfc9c46f9206aa85019");
// A zip starts with a local header, or with the end record when it is empty.
const QByteArray kZipStart = QByteArrayLiteral("PK\x03\x04");
const QByteArray kEmptyZipStart = QByteArrayLiteral("PK\x05\x06");

c10::ScalarType scalarType(StorageDtype dtype)
{
    switch (dtype) {
    case StorageDtype::Float64: return c10::ScalarType::Double;
    case StorageDtype::Float32: return c10::ScalarType::Float;
    case StorageDtype::Float16: return c10::ScalarType::Half;
    case StorageDtype::BFloat16: return c10::ScalarType::BFloat16;
    case StorageDtype::Int64: return c10::ScalarType::Long;
    case StorageDtype::Int32: return c10::ScalarType::Int;
    case StorageDtype::Int16: return c10::ScalarType::Short;
    case StorageDtype::Int8: return c10::ScalarType::Char;
    case StorageDtype::UInt8: return c10::ScalarType::Byte;
    case StorageDtype::Bool: return c10::ScalarType::Bool;
    }
    return c10::ScalarType::Undefined;
}

QString listText(const std::vector<qint64> &values)
{
    QStringList parts;
    for (const qint64 v : values)
        parts << QString::number(v);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// The file's first bytes, to tell a zip from the legacy format from anything else.
QByteArray fileStart(const QString &path, qint64 count)
{
    const RegularFile file(path, -1);
    QByteArray bytes(static_cast<qsizetype>(std::min(count, file.size())), '\0');
    qint64 done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::pread(file.descriptor(), bytes.data() + done, static_cast<size_t>(bytes.size() - done),
                                  done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(path, QStringLiteral("cannot read: %1").arg(systemErrorText(errno)));
        if (n == 0)
            break;
        done += n;
    }
    bytes.truncate(static_cast<qsizetype>(done));
    return bytes;
}

// The one "<archive>/data.pkl" of a torch.save zip; <archive> is whatever
// torch.save chose (the file's base name, or "archive").
const ZipEntry &pickleEntry(const ZipArchive &archive)
{
    const ZipEntry *found = nullptr;
    for (const ZipEntry &entry : archive.entries()) {
        if (entry.name.count(QLatin1Char('/')) != 1 || !entry.name.endsWith(QLatin1String("/data.pkl")))
            continue;
        if (found)
            throw Error(archive.path(), QStringLiteral("holds two pickles, '%1' and '%2'; a torch.save zip holds one")
                                            .arg(printableText(found->name), printableText(entry.name)));
        found = &entry;
    }
    if (!found)
        throw Error(archive.path(), QStringLiteral("is a zip archive without a data.pkl, not a PyTorch checkpoint"));
    return *found;
}

// Recent torch versions record the byte order of the saving machine; older files are little-endian.
void requireLittleEndian(const ZipArchive &archive, const QString &prefix)
{
    const ZipEntry *entry = archive.find(prefix + QStringLiteral("byteorder"));
    if (!entry)
        return;
    const QByteArrayView order = archive.read(*entry);
    if (order == "little")
        return;
    if (order == "big")
        throw Error(archive.path(), QStringLiteral("was saved on a big-endian machine (byteorder \"big\"); only "
                                                   "little-endian checkpoints are read"));
    throw Error(archive.path(),
                QStringLiteral("its byteorder record holds \"%1\", neither \"little\" nor \"big\"")
                    .arg(printableText(QString::fromUtf8(order.first(std::min<qsizetype>(order.size(), 40))))));
}

// The tensor over one storage record: a view of the mapping when the bytes
// are aligned for the dtype, a copy when not.
torch::Tensor storageTensor(const ZipArchive &archive, const ZipEntry &record, const PickledTensor &first)
{
    const c10::ScalarType dtype = scalarType(first.dtype);
    const auto options = torch::TensorOptions().dtype(dtype);
    const qint64 elementSize = storageElementSize(first.dtype);
    qint64 needed = 0;
    if (__builtin_mul_overflow(first.storageNumel, elementSize, &needed) || needed != record.size)
        throw Error(archive.path(), QStringLiteral("storage record '%1' holds %2 bytes, but the pickle declares %3 "
                                                   "elements of %4 (%5 bytes) (tensor '%6')")
                                        .arg(printableText(record.name))
                                        .arg(record.size)
                                        .arg(first.storageNumel)
                                        .arg(storageClassName(first.dtype))
                                        .arg(needed)
                                        .arg(printableText(QString::fromStdString(first.name))));
    const QByteArrayView bytes = archive.read(record);
    if (first.dtype == StorageDtype::Bool) {
        // Any other byte is not a bool, and torch's kernels assume they never meet one.
        for (const char b : bytes) {
            if (b != 0 && b != 1)
                throw Error(archive.path(),
                            QStringLiteral("storage record '%1' holds a bool byte other than 0 or 1 "
                                           "(tensor '%2')")
                                .arg(printableText(record.name), printableText(QString::fromStdString(first.name))));
        }
    }
    if (first.storageNumel == 0)
        return torch::empty({0}, options);
    auto *data = const_cast<char *>(bytes.data());
    if (reinterpret_cast<quintptr>(data) % static_cast<quintptr>(elementSize) == 0) {
        // No copy: the deleter only keeps the mapping alive.
        return torch::from_blob(
            data, {first.storageNumel}, [mapping = archive.mapping()](void *) {}, options);
    }
    torch::Tensor copy = torch::empty({first.storageNumel}, options);
    std::memcpy(copy.data_ptr(), data, static_cast<size_t>(bytes.size()));
    return copy;
}

// The view must stay inside its storage: its last element is at
// offset + sum((size - 1) * stride), and an empty tensor touches nothing.
void requireInsideStorage(const QString &path, const PickledTensor &tensor)
{
    qint64 last = tensor.storageOffset;
    bool overflow = false;
    bool empty = false;
    for (size_t d = 0; d < tensor.sizes.size(); ++d) {
        if (tensor.sizes[d] == 0)
            empty = true;
        qint64 step = 0;
        overflow = overflow || __builtin_mul_overflow(tensor.sizes[d] - 1, tensor.strides[d], &step)
                   || __builtin_add_overflow(last, step, &last);
    }
    if (empty)
        return;
    if (overflow || last >= tensor.storageNumel)
        throw Error(path,
                    QStringLiteral("sizes %1, strides %2 and offset %3 reach past the %4 elements of storage "
                                   "'%5' (tensor '%6')")
                        .arg(listText(tensor.sizes), listText(tensor.strides))
                        .arg(tensor.storageOffset)
                        .arg(tensor.storageNumel)
                        .arg(printableText(tensor.storageKey), printableText(QString::fromStdString(tensor.name))));
}

// A view may repeat its storage's elements (a zero stride: torch's expand),
// but a small file must not grow into a huge tensor once an operation
// materialises it, so such views stay below this many elements.
constexpr qint64 kMaxBroadcastElements = 1LL << 24;

void requireNoBroadcastBomb(const QString &path, const PickledTensor &tensor)
{
    qint64 numel = 1;
    bool overflow = false;
    for (const qint64 size : tensor.sizes)
        overflow = overflow || __builtin_mul_overflow(numel, size, &numel);
    if (!overflow && (numel <= tensor.storageNumel || numel <= kMaxBroadcastElements))
        return;
    throw Error(path, QStringLiteral("sizes %1 and strides %2 repeat the %3 elements of storage '%4' into more than %5 "
                                     "(tensor '%6')")
                          .arg(listText(tensor.sizes), listText(tensor.strides))
                          .arg(tensor.storageNumel)
                          .arg(printableText(tensor.storageKey))
                          .arg(std::max(kMaxBroadcastElements, tensor.storageNumel))
                          .arg(printableText(QString::fromStdString(tensor.name))));
}

WeightsContents readZipCheckpoint(const QString &path)
{
    const ZipArchive archive(path);
    const ZipEntry &pickle = pickleEntry(archive);
    const QString prefix = pickle.name.left(pickle.name.indexOf(QLatin1Char('/')) + 1);
    requireLittleEndian(archive, prefix);
    const std::vector<PickledTensor> pickled = readPickledTensors(archive.read(pickle), path, pickle.name);

    // One tensor per storage record, shared by every view of it, as torch.load does.
    QHash<QString, torch::Tensor> storages;
    WeightsContents contents;
    contents.path = path;
    for (const PickledTensor &tensor : pickled) {
        requireInsideStorage(path, tensor);
        requireNoBroadcastBomb(path, tensor);
        auto storage = storages.find(tensor.storageKey);
        if (storage == storages.end()) {
            const QString recordName = prefix + QStringLiteral("data/") + tensor.storageKey;
            const ZipEntry *record = archive.find(recordName);
            if (!record)
                throw Error(path,
                            QStringLiteral("storage record '%1' is missing (tensor '%2')")
                                .arg(printableText(recordName), printableText(QString::fromStdString(tensor.name))));
            storage = storages.insert(tensor.storageKey, storageTensor(archive, *record, tensor));
        }
        const std::vector<int64_t> sizes(tensor.sizes.begin(), tensor.sizes.end());
        const std::vector<int64_t> strides(tensor.strides.begin(), tensor.strides.end());
        contents.tensors.emplace(tensor.name, storage->as_strided(sizes, strides, tensor.storageOffset));
    }
    return contents;
}

} // namespace

WeightsContents readPytorchCheckpoint(const QString &path)
{
    const QByteArray start = fileStart(path, kLegacyStart.size());
    if (start.startsWith(kZipStart) || start.startsWith(kEmptyZipStart))
        return readZipCheckpoint(path);
    if (start == kLegacyStart)
        throw Error(path, QStringLiteral("saved in the legacy torch.save format (before torch 1.6); re-save it with "
                                         "torch >= 1.6"));
    throw Error(path, QStringLiteral("not a PyTorch checkpoint (torch.save writes a zip archive, and this file does "
                                     "not start like one)"));
}

WeightsContents readPytorchCheckpointSharded(const QString &indexPath)
{
    const QByteArray text = readRegularFile(indexPath, kMaxJsonFileBytes);
    JsonSyntaxError syntaxError;
    const std::optional<JsonValue> document = parseOrderedJson(text, &syntaxError);
    if (!document)
        throw Error(indexPath,
                    QStringLiteral("not valid JSON: %1 at byte %2").arg(syntaxError.reason).arg(syntaxError.offset));
    const JsonValue *weightMapValue = document->isObject() ? document->member(QStringLiteral("weight_map")) : nullptr;
    if (!weightMapValue || !weightMapValue->isObject())
        throw Error(indexPath,
                    QStringLiteral("not a checkpoint index (expected an object with a \"weight_map\" object)"));

    // Read as written, so a tensor listed twice fails.
    std::map<QString, QString> weightMap;
    QStringList shards; // in first-mention order, so errors and reads are deterministic
    for (const auto &[name, shard] : weightMapValue->members) {
        if (!shard.isString() || shard.string.isEmpty())
            throw Error(indexPath,
                        QStringLiteral("weight_map entry of tensor '%1' is not a file name").arg(printableText(name)));
        if (!weightMap.emplace(name, shard.string).second)
            throw Error(indexPath, QStringLiteral("weight_map lists tensor '%1' twice").arg(printableText(name)));
        if (!shards.contains(shard.string)) {
            // A downloaded index must not make us read files outside its folder.
            requirePathComponent(shard.string, indexPath, QStringLiteral("shard"));
            shards << shard.string;
        }
    }
    if (shards.isEmpty())
        throw Error(indexPath, QStringLiteral("weight_map is empty"));

    const QDir folder = QFileInfo(indexPath).absoluteDir();
    for (const QString &shard : shards) {
        const QFileInfo info(folder.filePath(shard));
        if (!info.exists() && !info.isSymLink())
            throw Error(indexPath, QStringLiteral("shard '%1' named in weight_map does not exist").arg(shard));
    }

    WeightsContents contents;
    contents.path = indexPath;
    std::map<std::string, QString> foundIn;
    for (const QString &shard : shards) {
        WeightsContents part = readPytorchCheckpoint(folder.filePath(shard));
        for (auto &[name, tensor] : part.tensors) {
            const QString tensorName = QString::fromStdString(name);
            const QString shown = printableText(tensorName);
            if (const auto previous = foundIn.find(name); previous != foundIn.end())
                throw Error(indexPath, QStringLiteral("tensor '%1' appears in both shard '%2' and shard '%3'")
                                           .arg(shown, previous->second, shard));
            const auto assigned = weightMap.find(tensorName);
            if (assigned == weightMap.end())
                throw Error(indexPath,
                            QStringLiteral("tensor '%1' of shard '%2' is not in weight_map").arg(shown, shard));
            if (assigned->second != shard)
                throw Error(indexPath, QStringLiteral("tensor '%1' is in shard '%2', but weight_map names shard '%3'")
                                           .arg(shown, shard, assigned->second));
            foundIn.emplace(name, shard);
            contents.tensors.emplace(name, std::move(tensor));
        }
    }
    for (const auto &[name, shard] : weightMap) {
        if (foundIn.count(name.toStdString()) == 0)
            throw Error(indexPath, QStringLiteral("weight_map puts tensor '%1' in shard '%2', which does not hold it")
                                       .arg(printableText(name), shard));
    }
    return contents;
}

} // namespace wemoe
