#include "io/safetensors.h"

#include "common/error.h"
#include "io/atomic_file.h"

#include <QtCore/QtEndian>

#include <torch/torch.h>

// Tensor bytes are written as they lie in memory; safetensors is little-endian.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "safetensors writing assumes a little-endian host");

namespace wemoe {

namespace {

// A JSON string literal. Written by hand (not QJsonDocument) so the header
// lists tensors in our name order and integers never pass through a double.
QByteArray jsonQuoted(const std::string &text)
{
    QByteArray out;
    out.reserve(static_cast<qsizetype>(text.size()) + 2);
    out.append('"');
    for (const char c : text) {
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out.append(QByteArray("\\u00") + QByteArray::number(static_cast<int>(c), 16).rightJustified(2, '0'));
            else
                out.append(c);
        }
    }
    out.append('"');
    return out;
}

QByteArray shapeJson(const torch::Tensor &tensor)
{
    QByteArray out("[");
    for (int64_t i = 0; i < tensor.dim(); ++i) {
        if (i > 0)
            out.append(',');
        out.append(QByteArray::number(static_cast<qint64>(tensor.size(i))));
    }
    out.append(']');
    return out;
}

qint64 byteCount(const torch::Tensor &tensor)
{
    return static_cast<qint64>(tensor.numel()) * static_cast<qint64>(tensor.element_size());
}

// The JSON header, padded with spaces to a multiple of 8 bytes so the data
// buffer (and every tensor in it whose offset is aligned) starts aligned.
QByteArray buildHeader(const QString &path, const TensorMap &tensors, const Metadata &metadata)
{
    QByteArray header("{");
    bool first = true;
    if (!metadata.empty()) {
        header.append("\"__metadata__\":{");
        bool firstEntry = true;
        for (const auto &[key, value] : metadata) {
            if (!firstEntry)
                header.append(',');
            firstEntry = false;
            header.append(jsonQuoted(key)).append(':').append(jsonQuoted(value));
        }
        header.append('}');
        first = false;
    }
    qint64 offset = 0;
    for (const auto &[name, tensor] : tensors) {
        const QString tensorName = QString::fromStdString(name);
        if (name == "__metadata__")
            throw Error(path, QStringLiteral("a tensor cannot be named __metadata__"));
        if (!tensor.defined())
            throw Error(path, QStringLiteral("tensor '%1' is undefined").arg(tensorName));
        QString dtype;
        try {
            dtype = safetensorsDtypeName(tensor.scalar_type());
        } catch (const Error &e) {
            throw Error(path, QStringLiteral("%1 (tensor '%2')").arg(e.message(), tensorName));
        }
        const qint64 end = offset + byteCount(tensor);
        if (!first)
            header.append(',');
        first = false;
        header.append(jsonQuoted(name))
            .append(":{\"dtype\":\"")
            .append(dtype.toLatin1())
            .append("\",\"shape\":")
            .append(shapeJson(tensor))
            .append(",\"data_offsets\":[")
            .append(QByteArray::number(offset))
            .append(',')
            .append(QByteArray::number(end))
            .append("]}");
        offset = end;
    }
    header.append('}');
    while (header.size() % 8 != 0)
        header.append(' ');
    return header;
}

} // namespace

QString safetensorsDtypeName(c10::ScalarType type)
{
    switch (type) {
    case c10::ScalarType::Double: return QStringLiteral("F64");
    case c10::ScalarType::Float: return QStringLiteral("F32");
    case c10::ScalarType::Half: return QStringLiteral("F16");
    case c10::ScalarType::BFloat16: return QStringLiteral("BF16");
    case c10::ScalarType::Long: return QStringLiteral("I64");
    case c10::ScalarType::Int: return QStringLiteral("I32");
    case c10::ScalarType::Short: return QStringLiteral("I16");
    case c10::ScalarType::Char: return QStringLiteral("I8");
    case c10::ScalarType::Byte: return QStringLiteral("U8");
    case c10::ScalarType::Bool: return QStringLiteral("BOOL");
    default:
        throw Error(QStringLiteral("dtype %1 cannot be stored in safetensors").arg(QLatin1String(c10::toString(type))));
    }
}

void writeSafetensors(const QString &path, const TensorMap &tensors, const Metadata &metadata,
                      const JobContext &context)
{
    context.throwIfCancelled();
    const QByteArray header = buildHeader(path, tensors, metadata);

    // Nothing appears at `path` unless every byte reached the disk; when we
    // throw before commit(), AtomicFile removes what was written.
    AtomicFile file(path);
    uchar length[8];
    qToLittleEndian<quint64>(static_cast<quint64>(header.size()), length);
    file.write(reinterpret_cast<const char *>(length), 8);
    file.write(header);

    const qint64 total = static_cast<qint64>(tensors.size());
    qint64 done = 0;
    for (const auto &[name, tensor] : tensors) {
        context.throwIfCancelled();
        const torch::Tensor bytes = tensor.to(torch::kCPU).contiguous();
        file.write(static_cast<const char *>(bytes.data_ptr()), byteCount(bytes));
        context.progress(++done, total, QString::fromStdString(name));
    }
    context.throwIfCancelled();
    file.commit();
}

} // namespace wemoe
