#include "common/device.h"

#include "common/error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <opencv2/core/utility.hpp>

#include <QtCore/QThread>

namespace wemoe {

c10::Device parseDevice(const QString &spec)
{
    const QString s = spec.trimmed().toLower();
    if (s == QLatin1String("auto"))
        return torch::cuda::is_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (s == QLatin1String("cpu"))
        return c10::Device(c10::kCPU);
    if (s == QLatin1String("cuda") || s.startsWith(QLatin1String("cuda:"))) {
        int index = 0;
        if (s.size() > 4) {
            bool ok = false;
            index = s.mid(5).toInt(&ok);
            if (!ok || index < 0)
                throw Error(QStringLiteral("device '%1': expected cuda:N with N a device number").arg(spec));
        }
        const int count = static_cast<int>(torch::cuda::device_count());
        if (!torch::cuda::is_available() || index >= count)
            throw Error(QStringLiteral("device '%1': not available (this LibTorch sees %2 CUDA device(s))")
                            .arg(spec)
                            .arg(torch::cuda::is_available() ? count : 0));
        return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(index));
    }
    throw Error(QStringLiteral("device '%1': expected auto, cpu, cuda or cuda:N").arg(spec));
}

QString describeDevice(const c10::Device &device)
{
    return QString::fromStdString(device.str());
}

int configureThreads(int n)
{
    if (n <= 0)
        n = QThread::idealThreadCount();
    at::set_num_threads(n);
    cv::setNumThreads(n);
    return n;
}

TorchThreadsScope::TorchThreadsScope(int threads)
    : m_previous(at::get_num_threads())
{
    at::set_num_threads(threads);
}

TorchThreadsScope::~TorchThreadsScope()
{
    at::set_num_threads(m_previous);
}

} // namespace wemoe
