#include "io/staging.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRandomGenerator>
#include <QtCore/QRegularExpression>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

namespace wemoe {

namespace {

QString randomTag()
{
    return QStringLiteral("%1").arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
}

int renameAt2(const QString &from, const QString &to, unsigned flags)
{
#ifdef SYS_renameat2
    // The system call directly: glibc's wrapper is newer than some build hosts.
    return static_cast<int>(::syscall(SYS_renameat2, AT_FDCWD, QFile::encodeName(from).constData(), AT_FDCWD,
                                      QFile::encodeName(to).constData(), flags));
#else
    errno = ENOSYS;
    return -1;
#endif
}

int openNoFollow(const QString &path, int flags)
{
    int fd;
    do {
        fd = ::open(QFile::encodeName(path).constData(), flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

} // namespace

StagingSibling::StagingSibling(const QString &target, Kind kind)
    : m_kind(kind)
{
    const QFileInfo info(target);
    const QDir parent = info.absoluteDir();
    const QString name = info.fileName();
    for (int attempt = 0; attempt < 100; ++attempt) {
        const QString tag = randomTag();
        const QString setup = parent.filePath(QStringLiteral(".%1.setup-%2").arg(name, tag));
        const QString partial = parent.filePath(QStringLiteral(".%1.partial-%2").arg(name, tag));
        const QByteArray native = QFile::encodeName(setup);
        if (kind == Kind::File) {
            m_fd = ::open(native.constData(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                          0666); // less the umask, as any new file
        } else if (::mkdir(native.constData(), 0755) == 0) {
            m_fd = openNoFollow(setup, O_RDONLY | O_DIRECTORY);
            if (m_fd < 0) {
                const int error = errno;
                ::rmdir(native.constData());
                errno = error;
            }
        }
        if (m_fd < 0) {
            if (errno == EEXIST)
                continue;
            if (errno == ENOENT)
                throw Error(target,
                            QCoreApplication::translate("wemoe::Error", "cannot write: the folder %1 does not exist")
                                .arg(parent.path()));
            throw Error(target,
                        QCoreApplication::translate("wemoe::Error", "cannot write: %1").arg(systemErrorText(errno)));
        }
        if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0 || !renameWithoutReplacing(setup, partial)) {
            const int error = errno;
            ::close(m_fd);
            m_fd = -1;
            kind == Kind::File ? ::unlink(native.constData()) : ::rmdir(native.constData());
            if (error == EEXIST)
                continue;
            throw Error(target,
                        QCoreApplication::translate("wemoe::Error", "cannot write: %1").arg(systemErrorText(error)));
        }
        m_path = partial;
        return;
    }
    throw Error(target, QCoreApplication::translate("wemoe::Error", "cannot find a free name beside it to write into"));
}

StagingSibling::~StagingSibling()
{
    // Remove before unlocking: a cleaner must never see it unlocked.
    if (!m_path.isEmpty()) {
        if (m_kind == Kind::File)
            QFile::remove(m_path);
        else
            QDir(m_path).removeRecursively();
    }
    if (m_fd >= 0)
        ::close(m_fd);
}

QStringList removeStaleStaging(const QString &target)
{
    const QFileInfo info(target);
    const QDir parent = info.absoluteDir();
    const QRegularExpression pattern(
        QStringLiteral("^\\.%1\\.partial-[0-9a-f]{8}$").arg(QRegularExpression::escape(info.fileName())));
    QStringList removed;
    const QStringList entries = parent.entryList({QStringLiteral(".%1.partial-*").arg(info.fileName())},
                                                 QDir::Files | QDir::Dirs | QDir::Hidden | QDir::System
                                                     | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        if (!pattern.match(entry).hasMatch())
            continue;
        const QString path = parent.filePath(entry);
        struct stat status
        {
        };
        if (::lstat(QFile::encodeName(path).constData(), &status) != 0)
            continue;
        if (!S_ISREG(status.st_mode) && !S_ISDIR(status.st_mode))
            continue; // not something we make: a link, a FIFO
        const int fd = openNoFollow(path, O_RDONLY | (S_ISDIR(status.st_mode) ? O_DIRECTORY : 0));
        if (fd < 0)
            continue;
        // The lock is free only when no process holds the sibling open: its writer is gone.
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            const bool gone = S_ISDIR(status.st_mode) ? QDir(path).removeRecursively() : QFile::remove(path);
            if (gone)
                removed << path;
        }
        ::close(fd);
    }
    return removed;
}

bool renameWithoutReplacing(const QString &from, const QString &to)
{
    if (renameAt2(from, to, RENAME_NOREPLACE) == 0)
        return true;
    if (errno != EINVAL && errno != ENOSYS)
        return false;
    // A file system without RENAME_NOREPLACE: link() never replaces, for files;
    // for folders only check-then-rename is left (a narrow race there).
    const QByteArray source = QFile::encodeName(from);
    const QByteArray destination = QFile::encodeName(to);
    struct stat status
    {
    };
    if (::lstat(source.constData(), &status) != 0)
        return false;
    if (!S_ISDIR(status.st_mode)) {
        if (::link(source.constData(), destination.constData()) != 0)
            return false;
        ::unlink(source.constData());
        return true;
    }
    if (::lstat(destination.constData(), &status) == 0) {
        errno = EEXIST;
        return false;
    }
    return ::rename(source.constData(), destination.constData()) == 0;
}

bool exchangePaths(const QString &a, const QString &b)
{
    return renameAt2(a, b, RENAME_EXCHANGE) == 0;
}

void syncFolder(const QString &folder)
{
    const int fd = openNoFollow(folder, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace wemoe
