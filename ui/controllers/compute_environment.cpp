#include "controllers/compute_environment.h"

#include <torch/cuda.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QThread>
#include <QtCore/QVector>

#include <cmath>

namespace wemoe::ui {

QVector<ComputeDevice> availableDevices()
{
    QVector<ComputeDevice> devices{
        {QStringLiteral("cpu"),
         QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "CPU (%1 threads)").arg(idealThreadCount())}};
    if (torch::cuda::is_available()) {
        const int count = static_cast<int>(torch::cuda::device_count());
        for (int i = 0; i < count; ++i)
            devices.append({QStringLiteral("cuda:%1").arg(i),
                            QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "CUDA device %1").arg(i)});
    }
    return devices;
}

int idealThreadCount()
{
    return QThread::idealThreadCount();
}

qint64 residentMemoryBytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    // "VmRSS:     123456 kB"
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith("VmRSS:"))
            continue;
        const QList<QByteArray> fields = line.mid(6).simplified().split(' ');
        bool ok = false;
        const qint64 kb = fields.value(0).toLongLong(&ok);
        return ok ? kb * 1024 : -1;
    }
    return -1;
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "unknown");
    constexpr double kKilo = 1000.0;
    if (bytes >= kKilo * kKilo * kKilo)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 GB")
            .arg(bytes / (kKilo * kKilo * kKilo), 0, 'f', 2);
    if (bytes >= kKilo * kKilo)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 MB")
            .arg(bytes / (kKilo * kKilo), 0, 'f', 1);
    if (bytes >= kKilo)
        return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 KB").arg(bytes / kKilo, 0, 'f', 0);
    return QCoreApplication::translate("wemoe::ui::ComputeEnvironment", "%1 B").arg(bytes);
}

} // namespace wemoe::ui
