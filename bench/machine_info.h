#pragma once

#include <QtCore/QString>

namespace wemoe::bench {

// What a reader needs to judge the figures, read at run time: CPU model and
// cores, LibTorch version, the BLAS library actually loaded, and the load
// average (the machine may be shared).
QString describeMachine(int threads);

// "1.85, 2.10, 2.30" from /proc/loadavg (1, 5 and 15 minutes).
QString loadAverage();

} // namespace wemoe::bench
