#pragma once

#include <QtCore/QStringList>

// One function per `wemoe` subcommand. Each takes the arguments after the
// command name, prints its own --help, and returns the process exit code.
// wemoe::Error and wemoe::Cancelled propagate to main(), which reports them.
namespace wemoe::cli {

int runInfo(const QStringList &arguments);
int runMerge(const QStringList &arguments);
int runEval(const QStringList &arguments);
int runSweep(const QStringList &arguments);
int runExport(const QStringList &arguments);
int runPool(const QStringList &arguments);
int runZoo(const QStringList &arguments);
int runUpscale(const QStringList &arguments);
int runAdapt(const QStringList &arguments);
int runCollapse(const QStringList &arguments);
int runSimilarity(const QStringList &arguments);
int runHeads(const QStringList &arguments);

} // namespace wemoe::cli
