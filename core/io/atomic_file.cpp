#include "io/atomic_file.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace wemoe {

namespace {

struct WriteFault
{
    std::atomic<qint64> budget{-1}; // bytes left before the fault; < 0: off
    std::atomic<int> error{0};
};

WriteFault &writeFault()
{
    static WriteFault fault;
    return fault;
}

// How many of `size` bytes may be written before the injected fault fires.
qint64 allowedByFault(qint64 size)
{
    WriteFault &fault = writeFault();
    qint64 budget = fault.budget.load();
    while (budget >= 0) {
        const qint64 take = std::min(budget, size);
        if (fault.budget.compare_exchange_weak(budget, budget - take))
            return take;
    }
    return size;
}

} // namespace

void injectWriteFailureAfter(qint64 bytes, int error)
{
    writeFault().error.store(error);
    writeFault().budget.store(bytes);
}

AtomicFile::AtomicFile(const QString &path)
    : m_path(path)
{
    const QFileInfo info(path);
    if (info.isDir())
        throw Error(path,
                    QCoreApplication::translate("wemoe::Error", "is a folder; a file cannot be written in its place"));
    removeStaleStaging(path);
    m_staging = std::make_unique<StagingSibling>(path, StagingSibling::Kind::File);
    // A replaced file keeps its permissions, as it would if written in place.
    struct stat existing
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &existing) == 0 && S_ISREG(existing.st_mode))
        ::fchmod(m_staging->descriptor(), existing.st_mode & 07777);
}

AtomicFile::~AtomicFile() = default; // an uncommitted sibling is removed by StagingSibling

void AtomicFile::fail(int error) const
{
    throw Error(m_path, QCoreApplication::translate("wemoe::Error", "cannot write: %1").arg(systemErrorText(error)));
}

void AtomicFile::write(const char *data, qint64 size)
{
    if (m_committed)
        throw Error(m_path, QCoreApplication::translate("wemoe::Error", "written after it was committed"));
    // Bounded chunks, so one failing call cannot hide how far we got.
    constexpr qint64 kChunk = 64LL << 20;
    while (size > 0) {
        const qint64 allowed = allowedByFault(std::min(size, kChunk));
        if (allowed == 0)
            fail(writeFault().error.load());
        const ssize_t n = ::write(m_staging->descriptor(), data, static_cast<size_t>(allowed));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fail(errno);
        }
        if (n == 0)
            fail(ENOSPC); // write(2) making no progress: nothing fits any more
        data += n;
        size -= n;
        m_written += n;
    }
}

void AtomicFile::commit(Existing existing)
{
    if (m_committed)
        return;
    const int fd = m_staging->descriptor();
    // A full disk can surface only here (delayed allocation, network file systems).
    if (::fsync(fd) != 0 && errno != EINVAL)
        fail(errno);
    const QString staging = m_staging->path();
    if (existing == Existing::Keep) {
        if (!renameWithoutReplacing(staging, m_path)) {
            if (errno == EEXIST)
                throw Error(m_path, QCoreApplication::translate(
                                        "wemoe::Error",
                                        "already exists (another program wrote it meanwhile); it is not replaced"));
            throw Error(
                m_path,
                QCoreApplication::translate("wemoe::Error", "cannot move into place: %1").arg(systemErrorText(errno)));
        }
    } else if (::rename(QFile::encodeName(staging).constData(), QFile::encodeName(m_path).constData()) != 0) {
        throw Error(
            m_path,
            QCoreApplication::translate("wemoe::Error", "cannot move into place: %1").arg(systemErrorText(errno)));
    }
    m_staging->release();
    m_committed = true;
    syncFolder(QFileInfo(m_path).absolutePath());
    m_staging.reset(); // closes the file, releasing its lock
}

void writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

} // namespace wemoe
