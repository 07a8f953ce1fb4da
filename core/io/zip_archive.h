#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QHash>
#include <QtCore/QString>

#include <memory>
#include <vector>

namespace wemoe {

class MappedFile;

// One file of a zip archive, where its central directory and its local header
// agree it is.
struct ZipEntry
{
    QString name;
    qint64 headerOffset = 0; // where its local header starts
    qint64 dataOffset = 0;   // where its bytes start
    qint64 size = 0;         // stored, so the same in the file and unpacked
    quint32 crc32 = 0;       // as the central directory records it
};

// A read-only view of a zip archive of STORED entries, the layout torch.save
// writes (see docs/METHOD.md, "PyTorch checkpoints").
//
// The file is memory-mapped copy-on-write, as safetensors files are, and
// whatever is made over an entry's bytes may keep the mapping alive through
// mapping(). The whole directory is validated when the archive is opened:
// the end records (ZIP64 ones too), every central-directory entry against
// its local header, every offset and size against the file, names (no "..",
// no absolute paths, no duplicates) and overlaps. A compressed or encrypted
// entry is refused by name. Errors are wemoe::Error "<file>: <problem>".
class ZipArchive
{
public:
    explicit ZipArchive(const QString &path);
    ~ZipArchive();
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    const QString &path() const { return m_path; }
    // In central-directory order.
    const std::vector<ZipEntry> &entries() const { return m_entries; }
    // nullptr when the archive holds no entry of that name.
    const ZipEntry *find(const QString &name) const;

    // The entry's bytes, once they match its CRC-32 (throws when not). They
    // stay valid while this archive or a copy of mapping() lives.
    QByteArrayView read(const ZipEntry &entry) const;

    // The mapping that read()'s bytes point into: tensors made over them hold
    // a copy, so they outlive the archive.
    std::shared_ptr<void> mapping() const;

private:
    QString m_path;
    std::shared_ptr<MappedFile> m_mapping;
    std::vector<ZipEntry> m_entries;
    QHash<QString, qsizetype> m_byName; // index into m_entries
};

} // namespace wemoe
