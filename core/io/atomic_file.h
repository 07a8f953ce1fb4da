#pragma once

#include "io/staging.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <memory>

namespace wemoe {

// The one way the engine writes a file: into a locked hidden sibling
// (staging.h) that replaces the target only when every byte is on disk.
// Unlike QSaveFile (whose commit() in Qt 6.4 misses a failed flush of a small
// buffered write, and whose errors name its temporary file), every write is
// checked as it happens, the file and its folder are fsync'ed before and after
// the rename, and every error names the target with the system's reason:
//   "<target>: cannot write: No space left on device".
// A file that is destroyed without commit() leaves nothing behind.
class AtomicFile
{
public:
    enum class Existing { Replace, Keep };

    // Removes stale siblings of earlier, killed runs (staging.h), then opens a
    // new one. Throws wemoe::Error naming `path`.
    explicit AtomicFile(const QString &path);
    ~AtomicFile();
    AtomicFile(const AtomicFile &) = delete;
    AtomicFile &operator=(const AtomicFile &) = delete;

    const QString &path() const { return m_path; }
    qint64 bytesWritten() const { return m_written; }

    void write(const char *data, qint64 size);
    void write(QByteArrayView bytes) { write(bytes.data(), bytes.size()); }

    // Syncs the data, renames the sibling onto the target and syncs the
    // folder. With Existing::Keep the target is never replaced: when it exists
    // by now (another writer was quicker), throws and leaves it untouched.
    void commit(Existing existing = Existing::Replace);

private:
    [[noreturn]] void fail(int error) const;

    QString m_path;
    std::unique_ptr<StagingSibling> m_staging;
    qint64 m_written = 0;
    bool m_committed = false;
};

// AtomicFile(path), write(bytes), commit().
void writeFileAtomically(const QString &path, const QByteArray &bytes);

// A fault-injection seam for tests: every AtomicFile write in this process
// fails with `error` (errno, e.g. ENOSPC) once `bytes` bytes have been written
// to files since this call. A negative `bytes` turns it off.
void injectWriteFailureAfter(qint64 bytes, int error);

} // namespace wemoe
