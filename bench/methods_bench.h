#pragma once

#include "bench_harness.h"

#include <QtCore/QStringList>
#include <QtCore/QTextStream>

namespace wemoe::bench {

// Every method of the catalogue (or the ones named, NAME[:KEY=VALUE]) run
// end to end through runMethod — the pipeline the CLI and the studio run —
// on a generated pool of `tasks` tasks: wall seconds per run and test
// images evaluated per second. Adaptive methods take `adaptSteps` steps
// unless their text says otherwise. Prints a Markdown table.
void runMethodsBench(const QStringList &methods, int tasks, int adaptSteps, const TimingOptions &timing,
                     QTextStream &out);

} // namespace wemoe::bench
