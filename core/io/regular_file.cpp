#include "io/regular_file.h"

#include "common/error.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

namespace wemoe {

QString fileTypeDescription(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return QStringLiteral("a regular file");
    case S_IFDIR: return QStringLiteral("a folder");
    case S_IFCHR: return QStringLiteral("a character device");
    case S_IFBLK: return QStringLiteral("a block device");
    case S_IFIFO: return QStringLiteral("a FIFO (named pipe)");
    case S_IFSOCK: return QStringLiteral("a socket");
    default: return QStringLiteral("a special file");
    }
}

QString byteSizeText(qint64 bytes)
{
    if (bytes < 1000)
        return QStringLiteral("%1 bytes").arg(bytes);
    const char *units[] = {"kB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    int unit = -1;
    while (value >= 1000.0 && unit < 3) {
        value /= 1000.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10.0 ? 1 : 0).arg(QLatin1String(units[unit]));
}

RegularFile::RegularFile(const QString &path, qint64 maxBytes)
    : m_path(path)
    , m_maxBytes(maxBytes)
{
    const QByteArray native = QFile::encodeName(path);
    do {
        m_fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    } while (m_fd < 0 && errno == EINTR);
    if (m_fd < 0) {
        const int error = errno;
        if (error == ENOENT)
            throw Error(path, QCoreApplication::translate("wemoe::Error", "does not exist"));
        throw Error(path, QCoreApplication::translate("wemoe::Error", "cannot open: %1").arg(systemErrorText(error)));
    }
    struct stat status
    {
    };
    if (::fstat(m_fd, &status) != 0) {
        const int error = errno;
        ::close(m_fd);
        throw Error(path, QCoreApplication::translate("wemoe::Error", "cannot read: %1").arg(systemErrorText(error)));
    }
    if (!S_ISREG(status.st_mode)) {
        ::close(m_fd);
        throw Error(path, QCoreApplication::translate("wemoe::Error", "is %1, not a regular file; it is not read")
                              .arg(fileTypeDescription(static_cast<unsigned>(status.st_mode))));
    }
    m_size = static_cast<qint64>(status.st_size);
    if (maxBytes >= 0 && m_size > maxBytes) {
        ::close(m_fd);
        throw Error(path, QCoreApplication::translate(
                              "wemoe::Error", "is %1, more than the %2 a file of this kind may be; it is not read")
                              .arg(byteSizeText(m_size), byteSizeText(maxBytes)));
    }
}

RegularFile::~RegularFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

QByteArray RegularFile::readAll()
{
    // Read one byte more than the cap allows, so a file that grows while we
    // read (a log being written, a hostile writer) is caught, not followed.
    const qint64 limit = m_maxBytes >= 0 ? m_maxBytes + 1 : std::numeric_limits<qsizetype>::max();
    QByteArray bytes;
    bytes.resize(static_cast<qsizetype>(std::min<qint64>(m_size, limit)));
    qint64 done = 0;
    for (;;) {
        if (done == bytes.size()) {
            if (done >= limit)
                break;
            bytes.resize(static_cast<qsizetype>(std::min<qint64>(limit, done + (64 << 10))));
        }
        const ssize_t n = ::read(m_fd, bytes.data() + done, static_cast<size_t>(bytes.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throw Error(m_path,
                        QCoreApplication::translate("wemoe::Error", "cannot read: %1").arg(systemErrorText(errno)));
        }
        if (n == 0)
            break;
        done += n;
    }
    bytes.truncate(static_cast<qsizetype>(done));
    if (m_maxBytes >= 0 && done > m_maxBytes)
        throw Error(m_path, QCoreApplication::translate("wemoe::Error", "grew past %1 while being read; it is not read")
                                .arg(byteSizeText(m_maxBytes)));
    return bytes;
}

QByteArray readRegularFile(const QString &path, qint64 maxBytes)
{
    return RegularFile(path, maxBytes).readAll();
}

} // namespace wemoe
