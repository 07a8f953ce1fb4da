#pragma once

#include <QtCore/QString>

#include <c10/core/Device.h>

namespace wemoe {

// Parses "auto", "cpu", "cuda" or "cuda:N". "auto" picks the first CUDA device
// when LibTorch was built with CUDA and one is present, else the CPU. Throws
// wemoe::Error for an unknown spelling or a CUDA device that is not there.
c10::Device parseDevice(const QString &spec);

// Human-readable name ("cpu", "cuda:0 (NVIDIA ...)").
QString describeDevice(const c10::Device &device);

// Sets the intra-op thread count of LibTorch (and OpenCV). n <= 0 means all cores.
// LibTorch defaults to one thread on some machines, so callers always set it.
int configureThreads(int n);

// LibTorch's intra-op thread count set for a scope, the previous one restored
// when it ends (also when an exception leaves the scope).
class TorchThreadsScope
{
public:
    explicit TorchThreadsScope(int threads);
    ~TorchThreadsScope();
    TorchThreadsScope(const TorchThreadsScope &) = delete;
    TorchThreadsScope &operator=(const TorchThreadsScope &) = delete;

private:
    int m_previous;
};

} // namespace wemoe
