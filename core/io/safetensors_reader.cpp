#include "io/safetensors.h"

#include "common/error.h"
#include "io/mapped_file.h"
#include "io/ordered_json.h"

#include <QtCore/QSet>
#include <QtCore/QtEndian>

#include <torch/torch.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

// Tensors are made over the file's bytes as they are; a big-endian host would
// have to byte-swap every element instead.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "safetensors reading assumes a little-endian host");

namespace wemoe {

namespace {

struct SupportedDtype
{
    const char *name;
    c10::ScalarType type;
};

constexpr SupportedDtype kSupportedDtypes[] = {
    {"F64", c10::ScalarType::Double},    {"F32", c10::ScalarType::Float}, {"F16", c10::ScalarType::Half},
    {"BF16", c10::ScalarType::BFloat16}, {"I64", c10::ScalarType::Long},  {"I32", c10::ScalarType::Int},
    {"I16", c10::ScalarType::Short},     {"I8", c10::ScalarType::Char},   {"U8", c10::ScalarType::Byte},
    {"BOOL", c10::ScalarType::Bool},
};

// Dtypes the format defines but LibTorch 1.13 has no type for.
constexpr const char *kUnsupportedDtypes[] = {"U16",     "U32",     "U64",     "F8_E4M3", "F8_E5M2",
                                              "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",      "C64"};

struct TensorEntry
{
    QString name;
    c10::ScalarType dtype;
    std::vector<int64_t> shape;
    qint64 begin = 0;
    qint64 end = 0;
};

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (const int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString rangeText(qint64 begin, qint64 end)
{
    return QStringLiteral("[%1, %2]").arg(begin).arg(end);
}

// Checks a header against the format and the size of the data buffer it
// describes, throwing on the first violation in file order.
class HeaderValidator
{
public:
    HeaderValidator(const QString &path, qint64 bufferSize)
        : m_path(path)
        , m_bufferSize(bufferSize)
    {
    }

    [[noreturn]] void fail(const QString &problem, const QString &tensor = {}) const
    {
        if (tensor.isNull())
            throw Error(m_path, problem);
        throw Error(m_path, QStringLiteral("%1 (tensor '%2')").arg(problem, tensor));
    }

    Metadata metadata(const JsonValue &value) const
    {
        if (!value.isObject())
            fail(QStringLiteral("__metadata__ is not an object of strings"));
        Metadata metadata;
        for (const auto &[key, entry] : value.members) {
            if (!entry.isString())
                fail(QStringLiteral("__metadata__ is not an object of strings (value of '%1' is %2)")
                         .arg(key, entry.sourceText()));
            if (!metadata.emplace(key.toStdString(), entry.string.toStdString()).second)
                fail(QStringLiteral("__metadata__ names '%1' twice").arg(key));
        }
        return metadata;
    }

    TensorEntry entry(const QString &name, const JsonValue &value) const
    {
        if (!value.isObject())
            fail(QStringLiteral("header entry is not a JSON object"), name);
        for (const char *field : {"dtype", "shape", "data_offsets"}) {
            if (!value.member(QLatin1String(field)))
                fail(QStringLiteral("header entry lacks \"%1\"").arg(QLatin1String(field)), name);
        }
        TensorEntry entry;
        entry.name = name;
        const JsonValue &dtypeValue = *value.member(QStringLiteral("dtype"));
        entry.dtype = dtype(name, dtypeValue);
        entry.shape = shape(name, *value.member(QStringLiteral("shape")));
        offsets(name, *value.member(QStringLiteral("data_offsets")), &entry);

        const qint64 elementSize = static_cast<qint64>(c10::elementSize(entry.dtype));
        qint64 bytes = elementSize;
        for (const int64_t d : entry.shape) {
            if (__builtin_mul_overflow(bytes, static_cast<qint64>(d), &bytes))
                fail(QStringLiteral("shape %1 is too large").arg(shapeText(entry.shape)), name);
        }
        if (entry.end > m_bufferSize)
            fail(QStringLiteral("data_offsets %1 run past the end of the data buffer (%2 bytes)")
                     .arg(rangeText(entry.begin, entry.end))
                     .arg(m_bufferSize),
                 name);
        if (bytes != entry.end - entry.begin)
            fail(QStringLiteral("shape %1 of %2 needs %3 bytes, but data_offsets %4 span %5")
                     .arg(shapeText(entry.shape), dtypeValue.string)
                     .arg(bytes)
                     .arg(rangeText(entry.begin, entry.end))
                     .arg(entry.end - entry.begin),
                 name);
        return entry;
    }

    // The ranges must tile the buffer exactly: sorted, each starts where the
    // previous one ended, and the last ends at the buffer's end.
    void requireExactCover(std::vector<TensorEntry> entries) const
    {
        std::stable_sort(entries.begin(), entries.end(), [](const TensorEntry &a, const TensorEntry &b) {
            return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
        });
        qint64 covered = 0;
        const TensorEntry *previous = nullptr;
        for (const TensorEntry &e : entries) {
            if (e.begin < covered)
                fail(QStringLiteral("data_offsets %1 overlap those of tensor '%2' %3")
                         .arg(rangeText(e.begin, e.end), previous->name, rangeText(previous->begin, previous->end)),
                     e.name);
            if (e.begin > covered)
                fail(QStringLiteral("hole in the data buffer: bytes %1 before this tensor belong to no tensor")
                         .arg(rangeText(covered, e.begin)),
                     e.name);
            covered = e.end;
            previous = &e;
        }
        if (covered < m_bufferSize)
            fail(QStringLiteral("bytes %1 at the end of the data buffer belong to no tensor")
                     .arg(rangeText(covered, m_bufferSize)));
    }

private:
    c10::ScalarType dtype(const QString &name, const JsonValue &value) const
    {
        if (!value.isString())
            fail(QStringLiteral("\"dtype\" is %1, not a string").arg(value.sourceText()), name);
        const QString &text = value.string;
        for (const SupportedDtype &d : kSupportedDtypes) {
            if (text == QLatin1String(d.name))
                return d.type;
        }
        for (const char *unsupported : kUnsupportedDtypes) {
            if (text == QLatin1String(unsupported))
                fail(QStringLiteral("dtype %1 is not supported").arg(text), name);
        }
        fail(QStringLiteral("unknown dtype '%1'").arg(text), name);
    }

    std::vector<int64_t> shape(const QString &name, const JsonValue &value) const
    {
        if (!value.isArray())
            fail(QStringLiteral("\"shape\" is %1, not an array of integers").arg(value.sourceText()), name);
        std::vector<int64_t> shape;
        for (const JsonValue &d : value.items) {
            if (!d.integer)
                fail(QStringLiteral("shape entry %1 is not an integer").arg(d.sourceText()), name);
            if (*d.integer < 0)
                fail(QStringLiteral("shape entry %1 is negative").arg(*d.integer), name);
            shape.push_back(*d.integer);
        }
        return shape;
    }

    void offsets(const QString &name, const JsonValue &value, TensorEntry *entry) const
    {
        if (!value.isArray() || value.items.size() != 2 || !value.items[0].integer || !value.items[1].integer)
            fail(QStringLiteral("\"data_offsets\" is %1, not two integers [begin, end]").arg(value.sourceText()), name);
        entry->begin = *value.items[0].integer;
        entry->end = *value.items[1].integer;
        if (entry->begin < 0 || entry->end < 0)
            fail(QStringLiteral("data_offsets %1 are negative").arg(rangeText(entry->begin, entry->end)), name);
        if (entry->begin > entry->end)
            fail(QStringLiteral("data_offsets %1 begin after they end").arg(rangeText(entry->begin, entry->end)), name);
    }

    QString m_path;
    qint64 m_bufferSize;
};

torch::Tensor tensorOverMapping(const std::shared_ptr<MappedFile> &mapping, const uchar *bufferStart,
                                const TensorEntry &entry)
{
    const auto options = torch::TensorOptions().dtype(entry.dtype);
    if (entry.begin == entry.end)
        return torch::empty(entry.shape, options);
    uchar *data = const_cast<uchar *>(bufferStart) + entry.begin;
    const size_t elementSize = c10::elementSize(entry.dtype);
    if (reinterpret_cast<quintptr>(data) % elementSize == 0) {
        // No copy: the deleter only keeps the mapping alive.
        return torch::from_blob(
            data, entry.shape, [mapping](void *) {}, options);
    }
    // Misaligned data cannot back a typed tensor; copy it out.
    torch::Tensor copy = torch::empty(entry.shape, options);
    std::memcpy(copy.data_ptr(), data, static_cast<size_t>(entry.end - entry.begin));
    return copy;
}

} // namespace

SafetensorsContents readSafetensors(const QString &path)
{
    auto mapping = std::make_shared<MappedFile>(path);
    const qint64 fileSize = mapping->size();
    if (fileSize < 8)
        throw Error(path, QStringLiteral("file is %1 bytes, shorter than the 8-byte header length").arg(fileSize));
    if (const QString problem = mapping->map(); !problem.isEmpty())
        throw Error(path, QStringLiteral("cannot memory-map: %1").arg(problem));

    const uchar *base = mapping->data();
    const quint64 headerLength = qFromLittleEndian<quint64>(base);
    if (headerLength > static_cast<quint64>(kMaxSafetensorsHeaderBytes))
        throw Error(path, QStringLiteral("header length %1 exceeds the limit of %2 bytes")
                              .arg(headerLength)
                              .arg(kMaxSafetensorsHeaderBytes));
    if (headerLength > static_cast<quint64>(fileSize - 8))
        throw Error(path, QStringLiteral("header length %1 runs past the end of the file (%2 bytes)")
                              .arg(headerLength)
                              .arg(fileSize));

    const auto headerBytes = QByteArrayView(reinterpret_cast<const char *>(base) + 8,
                                            static_cast<qsizetype>(headerLength));
    JsonSyntaxError syntaxError;
    const std::optional<JsonValue> header = parseOrderedJson(headerBytes, &syntaxError);
    if (!header)
        throw Error(
            path,
            QStringLiteral("header is not valid JSON: %1 at byte %2").arg(syntaxError.reason).arg(syntaxError.offset));
    if (!header->isObject())
        throw Error(path, QStringLiteral("header is not a JSON object"));

    const qint64 bufferSize = fileSize - 8 - static_cast<qint64>(headerLength);
    const HeaderValidator validator(path, bufferSize);
    SafetensorsContents contents;
    std::vector<TensorEntry> entries;
    QSet<QString> seen;
    // Members as written: duplicates are refused, and "the first violation"
    // means the first in the file.
    for (const auto &[name, value] : header->members) {
        if (seen.contains(name))
            validator.fail(name == QLatin1String("__metadata__") ? QStringLiteral("duplicate __metadata__")
                                                                 : QStringLiteral("duplicate tensor name"),
                           name == QLatin1String("__metadata__") ? QString() : name);
        seen.insert(name);
        if (name == QLatin1String("__metadata__"))
            contents.metadata = validator.metadata(value);
        else
            entries.push_back(validator.entry(name, value));
    }
    validator.requireExactCover(entries);

    const uchar *bufferStart = base + 8 + headerLength;
    for (const TensorEntry &entry : entries)
        contents.tensors.emplace(entry.name.toStdString(), tensorOverMapping(mapping, bufferStart, entry));
    return contents;
}

} // namespace wemoe
