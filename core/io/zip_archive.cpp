#include "io/zip_archive.h"

#include "common/error.h"
#include "common/printable_text.h"
#include "io/mapped_file.h"

#include <QtCore/QSet>
#include <QtCore/QStringDecoder>
#include <QtCore/QtEndian>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <optional>
#include <zlib.h>

namespace wemoe {

namespace {

constexpr quint32 kLocalHeaderSignature = 0x04034b50;
constexpr quint32 kCentralHeaderSignature = 0x02014b50;
constexpr quint32 kEndSignature = 0x06054b50;
constexpr quint32 kZip64EndSignature = 0x06064b50;
constexpr quint32 kZip64LocatorSignature = 0x07064b50;

constexpr qint64 kLocalHeaderBytes = 30;
constexpr qint64 kCentralHeaderBytes = 46;
constexpr qint64 kEndBytes = 22;
constexpr qint64 kZip64EndBytes = 56;
constexpr qint64 kZip64LocatorBytes = 20;
constexpr qint64 kMaxCommentBytes = 0xffff;

// 16- and 32-bit fields this full mean "see the ZIP64 record".
constexpr quint16 kSaturated16 = 0xffff;
constexpr quint32 kSaturated32 = 0xffffffff;

constexpr quint16 kFlagEncrypted = 0x0001;
// Sizes and CRC follow the data; the local header holds zeros. torch.save sets it.
constexpr quint16 kFlagDataDescriptor = 0x0008;
constexpr quint16 kZip64ExtraId = 0x0001;

// Little-endian fields of a byte range whose bounds the caller has checked.
struct Fields
{
    const uchar *at;
    quint16 u16(qint64 offset) const { return qFromLittleEndian<quint16>(at + offset); }
    quint32 u32(qint64 offset) const { return qFromLittleEndian<quint32>(at + offset); }
    quint64 u64(qint64 offset) const { return qFromLittleEndian<quint64>(at + offset); }
};

QString methodName(quint16 method)
{
    switch (method) {
    case 8: return QStringLiteral("deflate");
    case 9: return QStringLiteral("deflate64");
    case 12: return QStringLiteral("bzip2");
    case 14: return QStringLiteral("lzma");
    case 93: return QStringLiteral("zstd");
    default: return QStringLiteral("method %1").arg(method);
    }
}

// Why an entry name is refused: reading must never be steered outside the
// archive's own folder structure, and two entries must not share a name.
QString nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("is empty");
    if (name.startsWith(QLatin1Char('/')))
        return QStringLiteral("is an absolute path");
    if (name.contains(QLatin1Char('\\')))
        return QStringLiteral("holds a backslash");
    for (const QChar c : name) {
        if (isControlCharacter(c.unicode()))
            return QStringLiteral("holds a control character");
    }
    for (const QStringView part : QStringView(name).split(QLatin1Char('/'))) {
        if (part == QLatin1String(".."))
            return QStringLiteral("holds a \"..\" component");
    }
    return {};
}

// Reads the end records and the central directory of a mapped archive.
class DirectoryReader
{
public:
    DirectoryReader(const QString &path, const uchar *data, qint64 size)
        : m_path(path)
        , m_data(data)
        , m_size(size)
    {
    }

    std::vector<ZipEntry> read()
    {
        const qint64 endOffset = findEnd();
        const Fields end{m_data + endOffset};
        if (end.u16(4) != 0 || end.u16(6) != 0)
            fail(QStringLiteral("spans several disks, which is not supported"));
        quint64 entryCount = end.u16(10);
        quint64 directorySize = end.u32(12);
        quint64 directoryOffset = end.u32(16);
        if (end.u16(8) != end.u16(10))
            fail(QStringLiteral("its end record counts %1 entries on this disk but %2 in all")
                     .arg(end.u16(8))
                     .arg(end.u16(10)));
        qint64 directoryLimit = endOffset; // the directory ends before the end records

        if (const std::optional<qint64> zip64End = findZip64End(endOffset)) {
            const Fields record{m_data + *zip64End};
            if (record.u32(16) != 0 || record.u32(20) != 0)
                fail(QStringLiteral("spans several disks, which is not supported"));
            if (record.u64(24) != record.u64(32))
                fail(QStringLiteral("its ZIP64 end record counts %1 entries on this disk but %2 in all")
                         .arg(record.u64(24))
                         .arg(record.u64(32)));
            requireAgreement(entryCount, kSaturated16, record.u64(32), QStringLiteral("entry count"));
            requireAgreement(directorySize, kSaturated32, record.u64(40), QStringLiteral("central directory size"));
            requireAgreement(directoryOffset, kSaturated32, record.u64(48), QStringLiteral("central directory offset"));
            entryCount = record.u64(32);
            directorySize = record.u64(40);
            directoryOffset = record.u64(48);
            directoryLimit = *zip64End;
        } else if (entryCount == kSaturated16 || directorySize == kSaturated32 || directoryOffset == kSaturated32) {
            fail(QStringLiteral("its end record points to ZIP64 records, which are missing"));
        }

        if (directoryOffset > static_cast<quint64>(directoryLimit)
            || directorySize > static_cast<quint64>(directoryLimit) - directoryOffset)
            fail(QStringLiteral("its central directory (%1 bytes at offset %2) runs past the end records at %3")
                     .arg(directorySize)
                     .arg(directoryOffset)
                     .arg(directoryLimit));
        // Every entry takes at least a fixed header: a count beyond that is a lie
        // that must not reserve memory.
        if (entryCount > directorySize / kCentralHeaderBytes)
            fail(QStringLiteral("its end record counts %1 entries, more than its %2-byte central directory holds")
                     .arg(entryCount)
                     .arg(directorySize));
        return entries(static_cast<qint64>(directoryOffset), static_cast<qint64>(directorySize),
                       static_cast<qint64>(entryCount));
    }

private:
    [[noreturn]] void fail(const QString &problem) const
    {
        throw Error(m_path, QStringLiteral("not a valid zip archive: %1").arg(problem));
    }
    [[noreturn]] void failEntry(const QString &name, const QString &problem) const
    {
        throw Error(m_path, QStringLiteral("zip entry '%1' %2").arg(printableText(name), problem));
    }

    // The end-of-central-directory record is the last one whose comment runs
    // exactly to the end of the file.
    qint64 findEnd() const
    {
        if (m_size < kEndBytes)
            fail(QStringLiteral("the file is %1 bytes, shorter than a zip's end record").arg(m_size));
        const qint64 lowest = std::max<qint64>(0, m_size - kEndBytes - kMaxCommentBytes);
        for (qint64 offset = m_size - kEndBytes; offset >= lowest; --offset) {
            const Fields candidate{m_data + offset};
            if (candidate.u32(0) == kEndSignature && offset + kEndBytes + candidate.u16(20) == m_size)
                return offset;
        }
        fail(QStringLiteral("no end-of-central-directory record (the file may be truncated)"));
    }

    // The ZIP64 end record a locator right before the end record points to.
    std::optional<qint64> findZip64End(qint64 endOffset) const
    {
        const qint64 locatorOffset = endOffset - kZip64LocatorBytes;
        if (locatorOffset < 0 || Fields{m_data + locatorOffset}.u32(0) != kZip64LocatorSignature)
            return std::nullopt;
        const Fields locator{m_data + locatorOffset};
        if (locator.u32(4) != 0 || locator.u32(16) > 1)
            fail(QStringLiteral("spans several disks, which is not supported"));
        const quint64 offset = locator.u64(8);
        if (locatorOffset < kZip64EndBytes || offset > static_cast<quint64>(locatorOffset - kZip64EndBytes))
            fail(QStringLiteral("its ZIP64 locator points to offset %1, past the records that follow it").arg(offset));
        const Fields record{m_data + offset};
        if (record.u32(0) != kZip64EndSignature)
            fail(QStringLiteral("no ZIP64 end record at offset %1, where its locator points").arg(offset));
        // The record's own size excludes its first 12 bytes.
        const quint64 recordSize = record.u64(4);
        if (recordSize < kZip64EndBytes - 12 || recordSize > static_cast<quint64>(locatorOffset) - offset - 12)
            fail(QStringLiteral("its ZIP64 end record declares %1 bytes, which do not fit before the locator")
                     .arg(recordSize));
        return static_cast<qint64>(offset);
    }

    void requireAgreement(quint64 plain, quint64 saturated, quint64 zip64, const QString &what) const
    {
        if (plain != saturated && plain != zip64)
            fail(QStringLiteral("its end records disagree on the %1 (%2 and %3)").arg(what).arg(plain).arg(zip64));
    }

    std::vector<ZipEntry> entries(qint64 directoryOffset, qint64 directorySize, qint64 count) const
    {
        std::vector<ZipEntry> entries;
        entries.reserve(static_cast<size_t>(count));
        QSet<QString> seen;
        const qint64 directoryEnd = directoryOffset + directorySize;
        qint64 offset = directoryOffset;
        for (qint64 i = 0; i < count; ++i) {
            if (directoryEnd - offset < kCentralHeaderBytes)
                fail(QStringLiteral("central directory entry %1 runs past the directory's end").arg(i));
            const Fields header{m_data + offset};
            if (header.u32(0) != kCentralHeaderSignature)
                fail(
                    QStringLiteral("central directory entry %1 (offset %2) has no entry signature").arg(i).arg(offset));
            const qint64 nameLength = header.u16(28);
            const qint64 extraLength = header.u16(30);
            const qint64 commentLength = header.u16(32);
            const qint64 length = kCentralHeaderBytes + nameLength + extraLength + commentLength;
            if (directoryEnd - offset < length)
                fail(QStringLiteral("central directory entry %1 runs past the directory's end").arg(i));
            const QByteArrayView rawName(m_data + offset + kCentralHeaderBytes, nameLength);
            ZipEntry entry = centralEntry(header, rawName, m_data + offset + kCentralHeaderBytes + nameLength,
                                          extraLength);
            if (seen.contains(entry.name))
                failEntry(entry.name, QStringLiteral("appears twice in the archive"));
            seen.insert(entry.name);
            checkLocalHeader(rawName, header.u16(10), &entry, directoryOffset);
            entries.push_back(std::move(entry));
            offset += length;
        }
        if (offset != directoryEnd)
            fail(QStringLiteral("%1 bytes of its central directory follow the last entry").arg(directoryEnd - offset));
        requireNoOverlap(entries);
        return entries;
    }

    ZipEntry centralEntry(const Fields &header, QByteArrayView rawName, const uchar *extra, qint64 extraLength) const
    {
        ZipEntry entry;
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        entry.name = decoder(rawName);
        if (decoder.hasError())
            fail(QStringLiteral("an entry name is not valid UTF-8"));
        if (const QString problem = nameProblem(entry.name); !problem.isEmpty())
            failEntry(entry.name, QStringLiteral("has a name that %1").arg(problem));
        const quint16 flags = header.u16(8);
        if (flags & kFlagEncrypted)
            failEntry(entry.name, QStringLiteral("is encrypted"));
        if (const quint16 method = header.u16(10); method != 0)
            failEntry(entry.name, QStringLiteral("is compressed (%1); torch.save stores entries uncompressed, and "
                                                 "only such archives are read")
                                      .arg(methodName(method)));
        entry.crc32 = header.u32(16);
        quint64 compressedSize = header.u32(20);
        quint64 size = header.u32(24);
        quint64 headerOffset = header.u32(42);
        if (header.u16(34) != 0 && header.u16(34) != kSaturated16)
            failEntry(entry.name, QStringLiteral("lies on another disk"));

        // The ZIP64 extra field holds, in this order, only the values whose
        // 32-bit fields are saturated.
        if (size == kSaturated32 || compressedSize == kSaturated32 || headerOffset == kSaturated32) {
            const std::optional<QByteArrayView> zip64 = zip64Field(entry.name, extra, extraLength);
            if (!zip64)
                failEntry(entry.name, QStringLiteral("needs a ZIP64 extra field it lacks"));
            qint64 at = 0;
            auto next = [&](quint64 *value) {
                if (*value != kSaturated32)
                    return;
                if (zip64->size() - at < 8)
                    failEntry(entry.name, QStringLiteral("has a ZIP64 extra field too short for its sizes"));
                *value = qFromLittleEndian<quint64>(zip64->data() + at);
                at += 8;
            };
            next(&size);
            next(&compressedSize);
            next(&headerOffset);
        }
        if (compressedSize != size)
            failEntry(entry.name,
                      QStringLiteral("is stored in %1 bytes but unpacks to %2").arg(compressedSize).arg(size));
        if (headerOffset > static_cast<quint64>(m_size) || size > static_cast<quint64>(m_size))
            failEntry(entry.name, QStringLiteral("lies past the end of the file"));
        entry.size = static_cast<qint64>(size);
        entry.headerOffset = static_cast<qint64>(headerOffset);
        return entry;
    }

    // The body of the ZIP64 block among an entry's extra fields, if it has one.
    std::optional<QByteArrayView> zip64Field(const QString &name, const uchar *extra, qint64 length) const
    {
        qint64 at = 0;
        while (length - at >= 4) {
            const quint16 blockId = qFromLittleEndian<quint16>(extra + at);
            const qint64 blockLength = qFromLittleEndian<quint16>(extra + at + 2);
            if (length - at - 4 < blockLength)
                failEntry(name, QStringLiteral("has an extra field that runs past its end"));
            if (blockId == kZip64ExtraId)
                return QByteArrayView(extra + at + 4, blockLength);
            at += 4 + blockLength;
        }
        return std::nullopt;
    }

    // The local header must repeat what the central directory says, and the
    // data must end before the directory starts.
    void checkLocalHeader(QByteArrayView rawName, quint16 method, ZipEntry *entry, qint64 directoryOffset) const
    {
        if (directoryOffset - entry->headerOffset < kLocalHeaderBytes)
            failEntry(entry->name, QStringLiteral("has a local header past the start of the central directory"));
        const Fields local{m_data + entry->headerOffset};
        if (local.u32(0) != kLocalHeaderSignature)
            failEntry(
                entry->name,
                QStringLiteral("has no local header at offset %1, where the directory says").arg(entry->headerOffset));
        const qint64 nameLength = local.u16(26);
        const qint64 extraLength = local.u16(28);
        const qint64 dataOffset = entry->headerOffset + kLocalHeaderBytes + nameLength + extraLength;
        if (dataOffset > directoryOffset)
            failEntry(entry->name, QStringLiteral("has a local header that runs into the central directory"));
        if (QByteArrayView(m_data + entry->headerOffset + kLocalHeaderBytes, nameLength) != rawName)
            failEntry(entry->name, QStringLiteral("has another name in its local header"));
        const quint16 flags = local.u16(6);
        if (flags & kFlagEncrypted)
            failEntry(entry->name, QStringLiteral("is encrypted"));
        if (local.u16(8) != method)
            failEntry(entry->name, QStringLiteral("has another compression method in its local header"));
        if (!(flags & kFlagDataDescriptor)) {
            quint64 compressedSize = local.u32(18);
            quint64 size = local.u32(22);
            if (size == kSaturated32 || compressedSize == kSaturated32) {
                const auto zip64 = zip64Field(
                    entry->name, m_data + entry->headerOffset + kLocalHeaderBytes + nameLength, extraLength);
                if (!zip64 || zip64->size() < 16)
                    failEntry(entry->name, QStringLiteral("needs a ZIP64 extra field in its local header"));
                size = qFromLittleEndian<quint64>(zip64->data());
                compressedSize = qFromLittleEndian<quint64>(zip64->data() + 8);
            }
            if (local.u32(14) != entry->crc32 || size != static_cast<quint64>(entry->size)
                || compressedSize != static_cast<quint64>(entry->size))
                failEntry(entry->name,
                          QStringLiteral("has another CRC-32 or size in its local header than in the directory"));
        }
        if (entry->size > directoryOffset - dataOffset)
            failEntry(entry->name, QStringLiteral("(%1 bytes at offset %2) runs into the central directory at %3")
                                       .arg(entry->size)
                                       .arg(dataOffset)
                                       .arg(directoryOffset));
        entry->dataOffset = dataOffset;
    }

    // Each entry's header and data must lie apart from every other's.
    void requireNoOverlap(const std::vector<ZipEntry> &entries) const
    {
        std::vector<const ZipEntry *> byOffset;
        byOffset.reserve(entries.size());
        for (const ZipEntry &entry : entries)
            byOffset.push_back(&entry);
        std::sort(byOffset.begin(), byOffset.end(),
                  [](const ZipEntry *a, const ZipEntry *b) { return a->headerOffset < b->headerOffset; });
        for (size_t i = 1; i < byOffset.size(); ++i) {
            const ZipEntry &previous = *byOffset[i - 1];
            if (previous.dataOffset + previous.size > byOffset[i]->headerOffset)
                failEntry(byOffset[i]->name, QStringLiteral("overlaps entry '%1'").arg(printableText(previous.name)));
        }
    }

    QString m_path;
    const uchar *m_data;
    qint64 m_size;
};

} // namespace

ZipArchive::ZipArchive(const QString &path)
    : m_path(path)
    , m_mapping(std::make_shared<MappedFile>(path))
{
    if (const QString problem = m_mapping->map(); !problem.isEmpty())
        throw Error(path, QStringLiteral("cannot memory-map: %1").arg(problem));
    m_entries = DirectoryReader(path, m_mapping->data(), m_mapping->size()).read();
    for (qsizetype i = 0; i < static_cast<qsizetype>(m_entries.size()); ++i)
        m_byName.insert(m_entries[static_cast<size_t>(i)].name, i);
}

ZipArchive::~ZipArchive() = default;

const ZipEntry *ZipArchive::find(const QString &name) const
{
    const auto found = m_byName.constFind(name);
    return found == m_byName.constEnd() ? nullptr : &m_entries[static_cast<size_t>(*found)];
}

QByteArrayView ZipArchive::read(const ZipEntry &entry) const
{
    const auto *bytes = m_mapping->data() + entry.dataOffset;
    uLong crc = ::crc32_z(0L, Z_NULL, 0);
    crc = ::crc32_z(crc, bytes, static_cast<z_size_t>(entry.size));
    if (static_cast<quint32>(crc) != entry.crc32)
        throw Error(m_path, QStringLiteral("zip entry '%1' is corrupt: its CRC-32 is %2, but the archive records %3")
                                .arg(printableText(entry.name))
                                .arg(static_cast<quint32>(crc), 8, 16, QLatin1Char('0'))
                                .arg(entry.crc32, 8, 16, QLatin1Char('0')));
    return QByteArrayView(bytes, entry.size);
}

std::shared_ptr<void> ZipArchive::mapping() const
{
    return m_mapping;
}

} // namespace wemoe
