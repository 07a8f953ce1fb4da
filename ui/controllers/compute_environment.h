#pragma once

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QVector>

namespace wemoe::ui {

// What the machine offers, for the device menu and the status bar.
struct ComputeDevice
{
    QString id;    // "cpu", "cuda:0": what wemoe::parseDevice accepts
    QString label; // "CPU (2 threads)", "cuda:0 (CUDA)"
};

// The CPU, then every CUDA device this LibTorch sees.
QVector<ComputeDevice> availableDevices();
int idealThreadCount();
// Resident memory of this process (VmRSS of /proc/self/status), -1 when unknown.
qint64 residentMemoryBytes();
// "1.2 GB", "350 MB", "12 KB".
QString formatBytes(qint64 bytes);

} // namespace wemoe::ui
