#pragma once

#include "io/regular_file.h"

#include <QtCore/QString>

namespace wemoe {

// A whole file memory-mapped copy-on-write (MAP_PRIVATE): an in-place op on a
// tensor made over it changes private pages, never the file. Readers hold it
// in a shared_ptr that tensors over the mapping share, so the mapping lives
// as long as they do. RegularFile refuses FIFOs, devices and folders before
// anything blocks.
class MappedFile
{
public:
    explicit MappedFile(const QString &path);
    ~MappedFile();
    MappedFile(const MappedFile &) = delete;
    MappedFile &operator=(const MappedFile &) = delete;

    qint64 size() const { return m_file.size(); }
    const uchar *data() const { return m_data; }

    // Maps the whole file; returns the system's error text on failure. An
    // empty file is not mapped (data() stays null).
    QString map();

private:
    RegularFile m_file;
    uchar *m_data = nullptr;
};

} // namespace wemoe
