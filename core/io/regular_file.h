#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace wemoe {

// Files a user points us at, or that a downloaded pool or index names, may be
// anything: a FIFO that blocks open() forever, /dev/zero that never ends, a
// folder. These helpers read only regular files, and only up to a cap that is
// checked before any byte is read.

// Caps for what we read whole. JSON files we know (config.json, pools, shard
// indices, sessions) are a few kB to a few MB; an index of a huge model is
// about 10 MB.
constexpr qint64 kMaxJsonFileBytes = 64LL << 20;
// Encoded images (test data): far above any real photo, far below memory.
constexpr qint64 kMaxImageFileBytes = 256LL << 20;

// An open file descriptor of a regular file, closed on destruction.
class RegularFile
{
public:
    // Opens without blocking (O_NONBLOCK, so a FIFO cannot hang us) and checks
    // the type with fstat. Throws wemoe::Error "<path>: <problem>" for a missing
    // file, a folder, a device, FIFO or socket, or a file larger than maxBytes
    // (maxBytes < 0: no limit).
    RegularFile(const QString &path, qint64 maxBytes);
    ~RegularFile();
    RegularFile(const RegularFile &) = delete;
    RegularFile &operator=(const RegularFile &) = delete;

    int descriptor() const { return m_fd; }
    qint64 size() const { return m_size; }
    const QString &path() const { return m_path; }

    // Reads the whole file; a file that grew past the cap while being read is
    // refused rather than read on.
    QByteArray readAll();

private:
    QString m_path;
    qint64 m_maxBytes;
    int m_fd = -1;
    qint64 m_size = 0;
};

// RegularFile(path, maxBytes).readAll().
QByteArray readRegularFile(const QString &path, qint64 maxBytes);

// What a path is, for messages: "a folder", "a FIFO (named pipe)", ...
QString fileTypeDescription(unsigned mode);

// "1.5 GB", "64 MB", "812 bytes".
QString byteSizeText(qint64 bytes);

} // namespace wemoe
