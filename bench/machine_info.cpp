#include "machine_info.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSet>
#include <QtCore/QStringList>
#include <QtCore/QThread>

#include <torch/version.h>

namespace wemoe::bench {

namespace {

QByteArray readProcFile(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString cpuModel()
{
    for (const auto &line : readProcFile("/proc/cpuinfo").split('\n'))
        if (line.startsWith("model name"))
            return QString::fromUtf8(line.mid(line.indexOf(':') + 1).trimmed());
    return QStringLiteral("unknown CPU");
}

// The BLAS shared libraries mapped into this process (Debian picks one by alternatives).
QString loadedBlas()
{
    QStringList found;
    for (const auto &line : readProcFile("/proc/self/maps").split('\n')) {
        const auto path = QString::fromUtf8(line.mid(line.indexOf('/')));
        if (line.indexOf('/') >= 0 && path.contains(QLatin1String("blas"), Qt::CaseInsensitive)
            && !found.contains(path))
            found << path;
    }
    return found.isEmpty() ? QStringLiteral("none found in /proc/self/maps") : found.join(QStringLiteral(", "));
}

} // namespace

QString loadAverage()
{
    const auto fields = QString::fromLatin1(readProcFile("/proc/loadavg")).split(QLatin1Char(' '));
    return fields.size() >= 3 ? fields.mid(0, 3).join(QStringLiteral(", ")) : QStringLiteral("unknown");
}

QString describeMachine(int threads)
{
    return QStringLiteral("- CPU: %1, %2 logical cores\n- LibTorch %3 (CPU); BLAS loaded: %4\n- threads: %5\n"
                          "- load average (1, 5, 15 min) at start: %6\n")
        .arg(cpuModel())
        .arg(QThread::idealThreadCount())
        .arg(QString::fromLatin1(TORCH_VERSION))
        .arg(loadedBlas())
        .arg(threads)
        .arg(loadAverage());
}

} // namespace wemoe::bench
